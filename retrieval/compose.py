"""An extractive answer: the chosen sentences and rows, verbatim, each with its meeting day and marker, latest first.

The marker's citation names the paper (`source_label`, which every front end prints; "scanned" after the pages of
a passage OCR read off a scan). Nothing is paraphrased, so
every figure, date and status word in the answer is in the passage its marker cites.
Units from one passage share its marker; passages are ordered by meeting date, newest first, so a status that
changed ("Officers aware" in May 2022, "Actioned" in July 2024) reads in the order a councillor needs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.dates import human_date
from ingest.ocr import LOW_CONFIDENCE
from retrieval.contract import Citation, Located, Passage
from retrieval.excerpt import excerpt
from retrieval.kinds import kind_name
from retrieval.query import Query
from retrieval.rerank import Scored

NOT_ANSWERED = "The papers do not answer this question."
CLOSEST = "The closest passages are listed below."
UNCERTAIN = "Its figures were read by OCR off a scan with low confidence: check them against the page."


@dataclass(frozen=True)
class SourceLabel:
    """Where a passage comes from, in the order a councillor looks for it: the paper's title, then its committee,
    meeting day, agenda item and pages, with the file name last. Front ends link or bold `title` and print
    `where` after it; `str()` is the whole label in one line."""

    title: str
    day: str  # of the meeting whose pack holds the paper
    where: str
    when: str  # the day an answer's line opens with: the paper's own (a set of minutes' meeting), else its pack's

    def __str__(self) -> str:
        return f"{self.title} · {self.where}"

    @property
    def short(self) -> str:
        """Just the paper and its meeting day, where an answer's quotes say what they come from."""
        return f"{self.title} ({self.day})" if self.day else self.title


def source_label(located: Located) -> SourceLabel:
    """The one label of a passage or citation, for every front end (the CLI, the page, Slack)."""
    document, item = located.document, located.agenda_item
    day = human_date(document.meeting_date, "%B")
    title = document.title or kind_name(document.kind)
    where = span(located.pages, located.lines)
    if located.ocr_confidence is not None:
        where = f"{where}, scanned" if where else "scanned"
    parts = (document.committee, day, f"item {item.number} {item.title or ''}".strip() if item else "", where,
             document.path)
    own = human_date(document.original_date, "%B") if document.original_date else day
    return SourceLabel(title, day, " · ".join(part for part in parts if part and part != title), own or title)


def span(pages: Sequence[int] | None, lines: Sequence[int] | None) -> str:
    """"p. 7", "pp. 7–8" or "lines 120–141": where in its file a passage or record sits (its first and last)."""
    if pages:
        first, last = pages
        return f"p. {first}" if first == last else f"pp. {first}–{last}"
    if lines:
        first, last = lines
        return f"line {first}" if first == last else f"lines {first}–{last}"
    return ""


def compose(chosen: Sequence[Scored], passages: dict[str, Passage], query: Query, rarity: Mapping[str, float]
            ) -> tuple[str, list[Citation]]:
    """The answer text with a marker after each claim, and the citations its markers point to; each unit is cut
    to what answers the question (`retrieval/excerpt.py`)."""
    by_passage: dict[str, list[Scored]] = {}
    for scored in chosen:
        by_passage.setdefault(scored.candidate.unit.chunk_id, []).append(scored)
    order = sorted(by_passage, key=lambda chunk_id: (
        passages[chunk_id].document.meeting_date or "",
        max(s.score for s in by_passage[chunk_id]),
    ), reverse=True)
    lines, citations = [], []
    for number, chunk_id in enumerate(order, start=1):
        units = sorted(by_passage[chunk_id], key=lambda s: s.candidate.unit.position)
        quotes = [_sentence(excerpt(s.candidate.unit.text, query, rarity)) for s in units]
        lines.append(f"{source_label(passages[chunk_id]).when}: {' … '.join(quotes)} [{number}]")
        citations.append(citation(number, passages[chunk_id], quotes))
    return "\n".join(lines), citations


def uncertain(citations: Sequence[Citation]) -> bool:
    """The answer's figures come only from passages OCR read off a scan with low confidence: it should say so."""
    with_figures = [c for c in citations if any(ch.isdigit() for quote in c.quotes for ch in quote)]
    return bool(with_figures) and all(
        c.ocr_confidence is not None and c.ocr_confidence < LOW_CONFIDENCE for c in with_figures)


def citation(number: int, passage: Passage, quotes: list[str]) -> Citation:
    """A marker's target: the passage and where it sits, with the sentences or rows the answer quotes."""
    return Citation(n=number, chunk_id=passage.chunk_id, text=passage.text, rows=passage.rows, quotes=quotes,
                    document=passage.document, agenda_item=passage.agenda_item, pages=passage.pages,
                    lines=passage.lines, ocr_confidence=passage.ocr_confidence)


def _sentence(text: str) -> str:
    return text.rstrip().rstrip(";,")
