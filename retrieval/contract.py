"""The answer contract (ARCHITECTURE.md): what `ask` returns and what the CLI, API, Slack bot and evaluation read.

One set of typed models, each field described, so the API's OpenAPI description, `papers ask --json` and the
bot all show the same shape. A passage names its file without the server's folders.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, field_validator

from ingest.ocr import LOW_CONFIDENCE

IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]  # as the store keeps dates


def file_name(path: str) -> str:
    """A file's name without its folders: the server's folders are nobody's business."""
    return PurePath(path).name


class DocumentRef(BaseModel):
    id: str = Field(description="The document's id; `GET /documents/{id}` shows it whole.")
    title: str = Field(description="Its title as the paper prints it (a report's subject, an appendix's heading).")
    path: str = Field(description="The name of the file it was read from.")
    committee: str | None = Field(description="The committee whose papers it is in.")
    meeting_date: IsoDate | None = Field(description="The date of the meeting whose pack holds it (YYYY-MM-DD).")
    original_date: IsoDate | None = Field(
        None, description="Its own date when that differs: the meeting a set of minutes records, a reused report's.")
    kind: str = Field(description="report, appendix, minutes, action_sheet, agenda, forward_plan, ...")
    visibility: Literal["public", "exempt"] = Field(description="`exempt` papers reach only member and officer keys.")
    url: str | None = Field(None, description="Where the paper is published, when known.")

    _file_name = field_validator("path")(lambda path: file_name(path))

class AgendaItemRef(BaseModel):
    number: str = Field(description="The agenda item's number as printed (`8`, `6a`).")
    title: str | None = Field(description="The agenda item's title.")


class Located(BaseModel):
    """Where a passage comes from: its paper, agenda item, and pages or lines, and whether it was read off a scan."""

    document: DocumentRef = Field(description="The paper it comes from.")
    agenda_item: AgendaItemRef | None = Field(description="The agenda item it belongs to, when known.")
    pages: list[int] | None = Field(description="First and last page, for PDFs.")
    lines: list[int] | None = Field(description="First and last line, for text files.")
    ocr_confidence: float | None = Field(
        None, description="Set when its text was read by OCR off scanned pages: the recogniser's confidence (0 to 1, "
                          f"mean over its characters; under {LOW_CONFIDENCE} is uncertain). Null for a text layer "
                          "or a text file.")


class Passage(Located):
    rank: int = Field(description="1 for the best match.")
    chunk_id: str = Field(description="The passage's id; `GET /chunks/{id}` shows it.")
    score: float = Field(description="The fused hybrid score (or the one retriever's, in bm25 or dense mode).")
    ranks: dict[str, int] = Field(description="Its rank in each retriever's own list (`bm25`, `dense`).")
    text: str = Field(description="The passage as the paper prints it.")
    rows: str = Field(description="Its table rows written out as `Header: value`, one a line; empty for prose.")
    context: str = Field(description="Committee | meeting date | agenda item | document | section.")
    section: str = Field(description="The heading it sits under.")


class Citation(Located):
    n: int = Field(description="The number of the marker `[n]` in the answer that points here.")
    chunk_id: str = Field(description="The cited passage's id.")
    text: str = Field(description="The cited passage as printed.")
    rows: str = Field(description="Its table rows written out; empty for prose.")
    quotes: list[str] = Field(description="The sentences or rows the answer quotes from it; empty for a closest match.")


class LeadRecord(BaseModel):
    """The record a lead line was built from, so a client can show or follow it (`GET /actions/{id}`)."""

    id: str = Field(description="The record's id: its passage's id, then `dec`, `act` or `fig` and its number.")
    kind: Literal["decision", "action", "figure"] = Field(description="What kind of record it is.")
    n: int = Field(description="The marker of the citation that prints it.")
    text: str = Field(description="The record's text as printed.")
    date: IsoDate | None = Field(description="The meeting it is as of (YYYY-MM-DD).")
    fields: dict[str, Any] = Field(description="What was read off it: an action's status, owner, deadline and "
                                               "progress; a decision's kind and vote; a figure's measure, value, "
                                               "period, target and comparator (as `GET /decisions`, `/actions`, "
                                               "`/figures` show them).")


class Answer(BaseModel):
    """The answer contract that the CLI, the API, the Slack bot and the evaluation share."""

    question: str = Field(description="The question as asked.")
    answered: bool = Field(description="False when the papers do not answer the question.")
    answer: str = Field(description="The lead line first when there is one, then quoted sentences and rows with "
                                    "numbered markers; or a plain 'the papers do not answer this' with the closest "
                                    "passages as citations.")
    lead: str | None = Field(None, description="The answer in one line of under 40 words, built from the record "
                                               "(an action's status, a figure, a decision) behind a cited passage, "
                                               "its figures, dates and status words checked against it; none when "
                                               "no record answers the question.")
    lead_record: LeadRecord | None = Field(None, description="The record behind `lead`, when there is one.")
    generated: bool = Field(description="True when a configured language model wrote the prose (checked against the "
                                        "citations); false for the extractive answer.")
    citations: list[Citation] = Field(description="What each marker points to; the closest passages when unanswered.")
    passages: list[Passage] = Field(description="What search found, best first.")
    timings_ms: dict[str, float] = Field(description="`retrieve` and `answer`, in milliseconds.")
    index_behind: bool = Field(False, description="True when the index that answered was built before the store's "
                                                  "last change (it is being brought up to date): papers added since "
                                                  "may be missing from the answer.")
