"""What a question's answer was chosen from, kept so calibration can answer it again under other knobs.

Search and reranking do not depend on the answer step's knobs (`Selection`, `Support` in `retrieval/ask.py`), and
they are most of a question's time, so an evaluation that calibrates keeps each question's ranked units once and
runs only the cheap choice and composition again for every setting it tries.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.ask import Answerer
from retrieval.contract import Answer, Passage
from retrieval.query import Query
from retrieval.rerank import Scored


@dataclass(frozen=True)
class Trace:
    """One question as the answer step saw it: analysed, its candidate passages, their units ranked."""

    query: Query
    passages: list[Passage]
    ranked: list[Scored]
    rarity: dict[str, float]  # of the question's key terms, which cutting quotes weighs them by


class Tracing(Answerer):
    """An answerer that keeps the trace of the last question it answered (an evaluation asks one at a time): the
    first ranking each question makes, the caller's own (a later one looks at papers out of the caller's sight)."""

    last: Trace | None = None
    _asking = False

    def ask(self, *args, **kwargs) -> Answer:
        self.last, self._asking = None, True
        return super().ask(*args, **kwargs)

    def rank_units(self, query: Query, passages: list[Passage]) -> list[Scored]:
        ranked = super().rank_units(query, passages)
        if self._asking:
            self.last, self._asking = Trace(query, passages, ranked, self.rarity(query)), False
        return ranked
