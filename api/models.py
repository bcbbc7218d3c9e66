"""The API's request and response models beside the answer contract (`retrieval/contract.py`): the store's views,
each field described, so `/docs` tells an officer's developer all there is to know."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, field_validator

from index.search import MODES
from retrieval.contract import DocumentRef, IsoDate, Located, Passage, file_name

MAX_QUERY_CHARS = 500
MAX_K = 50
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Mode = Literal[MODES]  # type: ignore[valid-type]


def _date_from_string(value: object) -> object:
    """A request carries a date as a `YYYY-MM-DD` string; strict validation takes only a date, so the string is
    made one here. Anything not a string is left for that validation to refuse (a number is not a date)."""
    if not isinstance(value, str):
        return value
    try:
        if ISO_DATE.fullmatch(value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


def _not_blank(text: str) -> str:
    """Spaces alone are no query: refused here, where the parameter has the name its client sent, rather than by
    the search, which would name it `query`."""
    if not text.strip():
        raise ValueError("spaces alone are no query")
    return text


RequestDate = Annotated[datetime.date, Strict(), BeforeValidator(_date_from_string)]
QueryText = Annotated[str, AfterValidator(_not_blank)]


class AskRequest(BaseModel):
    """Strict: each field must arrive as its JSON type (`k` a number, not `true` or `"3"`; text as strings)."""

    model_config = ConfigDict(strict=True)

    question: QueryText = Field(min_length=1, max_length=MAX_QUERY_CHARS,
                                description="The question, in your own words.")
    committee: str | None = Field(None, max_length=200, description="Only committees whose name contains this.")
    date_from: RequestDate | None = Field(None, description="Meetings on or after this date (YYYY-MM-DD).")
    date_to: RequestDate | None = Field(None, description="Meetings on or before this date (YYYY-MM-DD).")
    kind: str | None = Field(None, max_length=40, description="Only this kind of document (report, minutes, ...).")
    k: int = Field(10, ge=1, le=MAX_K, description="How many passages to return.")
    mode: Mode = Field("hybrid", description="bm25, dense or hybrid.")


class SearchResults(BaseModel):
    query: str = Field(description="The query as sent.")
    page: int = Field(description="1-based; each page holds `k` passages.")
    k: int = Field(description="Passages per page.")
    passages: list[Passage] = Field(description="This page of results, best first; `rank` counts from the first page.")


class DocumentSummary(BaseModel):
    id: str = Field(description="The document's id.")
    kind: str = Field(description="report, appendix, minutes, action_sheet, agenda, forward_plan, ...")
    title: str = Field(description="Its title as the paper prints it.")
    visibility: Literal["public", "exempt"] = Field(description="`exempt` papers reach only member and officer keys.")
    source_path: str = Field(description="The name of the file it was read from.")
    meeting_id: str | None = Field(None, description="The meeting whose pack holds it.")
    committee: str | None = Field(None, description="The committee whose papers it is in.")
    meeting_date: datetime.date | None = Field(None, description="The date of the meeting whose pack holds it.")
    item: str | None = Field(None, description="The agenda item it belongs to.")
    chunks: int = Field(description="How many passages it was cut into.")

    _file_name = field_validator("source_path")(lambda path: file_name(path))

class AgendaItem(BaseModel):
    number: str = Field(description="As printed (`8`, `6a`).")
    title: str = Field(description="The item's title.")
    description: str = Field(description="What the agenda says under the title (purpose, recommendations).")
    page_start: int | None = Field(description="First page of the item in the pack, when the agenda gives it.")
    page_end: int | None = Field(description="Last page of the item in the pack.")
    documents: list[DocumentSummary] = Field(description="The papers under this item the caller may see.")


class MeetingSummary(BaseModel):
    id: str = Field(description="`committee-slug-YYYY-MM-DD`.")
    council: str | None = Field(description="The council, as the front sheet names it.")
    committee: str | None = Field(description="The committee that met.")
    date: datetime.date | None = Field(description="The day it met (YYYY-MM-DD).")
    time: str | None = Field(description="As the front sheet prints it.")
    venue: str | None = Field(description="Where it met.")
    documents: int = Field(description="How many documents of its pack the caller may see.")


class Meeting(MeetingSummary):
    items: list[AgendaItem] = Field(description="The agenda, in order.")


class ChunkView(BaseModel):
    id: str = Field(description="The passage's id.")
    position: int = Field(description="Its place in the document.")
    item: str | None = Field(description="The agenda item it belongs to.")
    kind: str = Field(description="prose, minute, table_rows, agenda, cover, question.")
    section: str = Field(description="The heading it sits under.")
    text: str = Field(description="The passage as printed.")
    rows: str = Field(description="Its table rows written out as `Header: value`; empty for prose.")
    pages: list[int] | None = Field(description="First and last page, for PDFs.")
    lines: list[int] | None = Field(description="First and last line, for text files.")


class Document(DocumentSummary):
    original_date: datetime.date | None = Field(
        None, description="Its own date when it differs from the pack's meeting.")
    appendix: str | None = Field(None, description="Its appendix label in the report it belongs to.")
    passages: list[ChunkView] = Field(description="The document's passages, in order.")


class Chunk(ChunkView):
    document: DocumentRef = Field(description="The paper it comes from.")
    context: str = Field(description="Committee | meeting date | agenda item | document | section.")


class Decision(Located):
    id: str = Field(description="The record's id: its passage's id, then `dec` and its number in that passage.")
    decision: Literal["resolved", "recommended", "agreed", "noted", "deferred", "public_excluded"] = Field(
        description="What was decided: `resolved` (a resolution), `recommended` (to another body, or a report's "
                    "recommendation), `agreed` (proposed, seconded and agreed; confirmed; elected), `noted` (a "
                    "resolution that only notes), `deferred`, `public_excluded` (the public excluded or the "
                    "meeting closed to them).")
    text: str = Field(description="The decision as printed, whole: a resolution with its lettered list.")
    vote: str | None = Field(None, description="The vote as printed (`Voting: For – 8 Against – 1`, "
                                               "`unanimously agreed`), when one is.")
    votes_for: int | None = Field(None, description="Votes for, when counted.")
    votes_against: int | None = Field(None, description="Votes against, when counted (0 when unanimous).")
    abstentions: int | None = Field(None, description="Abstentions, when counted.")
    minute: str | None = Field(None, description="The resolution's number as printed (`R2025-042`), when one is.")
    date: IsoDate | None = Field(description="The meeting that made it (or that a report was written for), "
                                             "YYYY-MM-DD.")
    body: str | None = Field(None, description="The body whose minutes or report it is, when it is named.")
    section: str = Field(description="The minute or heading it sits under.")
    chunk_id: str = Field(description="The passage that prints it; `GET /chunks/{id}` shows it.")


class Figure(Located):
    id: str = Field(description="The record's id: its passage's id, then `fig` and its number in that passage.")
    measure: str = Field(description="The measure as the paper names it (a KPI's row label, a sentence's subject).")
    value: str = Field(description="The value as printed (`54.2%`, `1030`, `41.8 wks`).")
    unit: str | None = Field(None, description="`%`, `£`, `count`, `days`, ... when it can be told.")
    period: str | None = Field(None, description="The period as printed (`Mar-24`, `Quarter 3, 2024/25`), when one is.")
    period_normalised: str | None = Field(
        None, description="The period in a form that sorts (`2024-03`, `2024/25 Q3`), when it names a year.")
    target: str | None = Field(None, description="The target as printed, when one is.")
    comparator: str | None = Field(None, description="A national or statistical neighbours' figure with its label.")
    rag: str | None = Field(None, description="The RAG rating as printed, when one is.")
    text: str = Field(description="The row or sentence that states it.")
    date: IsoDate | None = Field(description="The meeting that was told it: the pack's, or the meeting a set of "
                                             "minutes records (YYYY-MM-DD).")
    section: str = Field(description="The heading it sits under.")
    chunk_id: str = Field(description="The passage that prints it; `GET /chunks/{id}` shows it.")


class ActionPrinting(Located):
    id: str = Field(description="The record's id: its passage's id, then `act` and its number in that passage.")
    date: IsoDate | None = Field(description="The meeting as of which this paper says where the action stands.")
    status: str | None = Field(None, description="Where it stands, as printed (`Action – Officers aware`, "
                                                 "`Actioned.`), when printed.")
    text: str = Field(description="The action as this paper prints it.")
    progress: str | None = Field(None, description="Progress as printed, when a tracker has a column for it.")
    chunk_id: str = Field(description="The passage that prints it; `GET /chunks/{id}` shows it.")


class Action(BaseModel):
    id: str = Field(description="The action's id: its first printing's record id; `GET /actions/{id}` shows it.")
    text: str = Field(description="The action as its latest printing words it.")
    raised: IsoDate | None = Field(None, description="The meeting that raised it, when the papers say.")
    item: str | None = Field(None, description="The item or minute it was raised under, as printed.")
    owner: str | None = Field(None, description="Who is to do it, as printed, when named.")
    deadline: str | None = Field(None, description="When it is due, as printed, when given.")
    status: str | None = Field(None, description="Where it stands now: its latest printed status.")
    state: Literal["open", "done"] = Field(description="`done` when the latest status says it needs nothing more "
                                                      "(`Actioned`, `Completed`), else `open`.")
    ambiguous: bool = Field(description="True when a printing could have continued another action's timeline "
                                        "and was kept apart rather than guessed.")
    could_continue: list[str] = Field(description="Those other actions' ids, when ambiguous.")
    history: list[ActionPrinting] = Field(description="Each paper's printing of it, oldest meeting first.")


class Health(BaseModel):
    status: Literal["ok"] = Field("ok", description="`ok` when the store and index are loaded.")
    store: dict[str, int] = Field(description="How many meetings, documents and chunks the caller may see.")
    index: str = Field(description="The index in use: how many chunks and vectors it holds.")
    model: str = Field(description="The embedding model.")
    behind: bool = Field(description="True while the index in use was built before the store's last change: it "
                                     "answers from what it holds while it is brought up to date.")
    sources: dict[str, str | None] = Field(
        description="Each committee site `papers sync` keeps current, and when it last synced it successfully "
                    "(ISO time, UTC; null: never).")


class Uploaded(BaseModel):
    file: str = Field(description="The name the paper was uploaded with.")
    status: Literal["ingested", "unchanged"] = Field(description="`unchanged` when the same bytes were already in.")
    pages: int = Field(description="Pages read (0 for text).")
    items: int = Field(description="Agenda items found.")
    chunks: int = Field(description="Passages stored.")
    warnings: list[str] = Field(description="What was read with difficulty (pages without text, repairs).")


class Problem(BaseModel):
    detail: str = Field(description="What was wrong, naming the parameter, field or file.")
