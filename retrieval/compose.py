"""An extractive answer: the chosen sentences and rows, verbatim, each saying where it comes from, latest first.

Nothing is paraphrased, so every figure, date and status word in the answer is in the passage its marker cites.
Units from one passage share its marker; passages are ordered by meeting date, newest first, so a status that
changed ("Officers aware" in May 2022, "Actioned" in July 2024) reads in the order a councillor needs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ingest.dates import human_date
from retrieval.contract import Citation, Located, Passage
from retrieval.excerpt import excerpt
from retrieval.query import Query
from retrieval.rerank import Scored

NOT_ANSWERED = "The papers do not answer this question."
CLOSEST = "The closest passages are listed below."


def source_label(located: Located) -> str:
    """Which paper a passage comes from and the date of its meeting; the citation says the rest."""
    document = located.document
    title = document.title or document.committee or "a paper"
    day = human_date(document.meeting_date, "%B")
    return f"{title} ({day})" if day else title


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
        lines.append(f"{source_label(passages[chunk_id])}: {' … '.join(quotes)} [{number}]")
        citations.append(citation(number, passages[chunk_id], quotes))
    return "\n".join(lines), citations


def citation(number: int, passage: Passage, quotes: list[str]) -> Citation:
    """A marker's target: the passage and where it sits, with the sentences or rows the answer quotes."""
    return Citation(n=number, chunk_id=passage.chunk_id, text=passage.text, rows=passage.rows, quotes=quotes,
                    document=passage.document, agenda_item=passage.agenda_item, pages=passage.pages,
                    lines=passage.lines)


def _sentence(text: str) -> str:
    return text.rstrip().rstrip(";,")
