"""Questions answered in the shape of the answer contract (ARCHITECTURE.md), which the CLI, API, bot and eval share.

Search finds candidate passages (only those the caller's role may see); their sentences and rows are reranked
by how well they answer; the best are quoted with numbered markers, or, when nothing answers well enough, the
answer says so and offers the closest passages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from index.filters import OPEN, Filter
from index.passages import passages as passages_of
from index.search import Searcher
from index.tokens import tokenize
from index.units import units_of
from ingest.store import Store
from retrieval.access import restrict
from retrieval.compose import CLOSEST, NOT_ANSWERED, citation, compose
from retrieval.query import Query, analyse, merged_glossary
from retrieval.rerank import Candidate, Scored, rerank

CANDIDATE_PASSAGES = 8  # whose units are reranked
CLOSEST_SHOWN = 3


@dataclass(frozen=True)
class Selection:
    """How many units an answer quotes and how close to the best each must score."""

    most: int = 3
    margin: float = 0.12


@dataclass(frozen=True)
class Support:
    """When the best unit answers well enough: the abstention thresholds, calibrated on the development set."""

    score: float = 0.45
    coverage: float = 0.2


class Answerer:
    """Answers questions from one store and index; build it once and share it (it holds the loaded model)."""

    def __init__(self, searcher: Searcher, store: Store, selection: Selection = Selection(),
                 support: Support = Support()) -> None:
        self.searcher = searcher
        self.store = store
        self.embedder = searcher.index.embedder
        self.glossary = merged_glossary(searcher.glossary.definitions)
        self.committees = [row["committee"] for row in store.db.execute(
            "SELECT DISTINCT committee FROM documents WHERE committee != ''")]
        self.selection = selection
        self.support = support

    def analyse(self, question: str) -> Query:
        return analyse(question, self.glossary, self.committees)

    def ask(self, question: str, where: Filter | None = None, role: str = "public", mode: str = "hybrid",
            k: int = 10) -> dict:
        """The answer contract for a question; `role` (public, member, officer) decides whether exempt papers count."""
        started = time.perf_counter()
        query = self.analyse(question)
        found = self.search(query, restrict(where or OPEN, role), mode, max(k, CANDIDATE_PASSAGES))
        retrieved = time.perf_counter()
        ranked = self.rank_units(query, found[:CANDIDATE_PASSAGES])
        chosen = self.choose(ranked)
        by_id = {passage["chunk_id"]: passage for passage in found}
        if chosen:
            answer, citations = compose(chosen, by_id)
        else:
            answer = f"{NOT_ANSWERED} {CLOSEST}" if found else NOT_ANSWERED
            citations = [citation(n, passage, []) for n, passage in enumerate(found[:CLOSEST_SHOWN], start=1)]
        finished = time.perf_counter()
        return {
            "question": question,
            "answered": bool(chosen),
            "answer": answer,
            "citations": citations,
            "passages": found[:k],
            "timings_ms": {"retrieve": round((retrieved - started) * 1000, 1),
                           "answer": round((finished - retrieved) * 1000, 1)},
        }

    def search(self, query: Query, where: Filter, mode: str, k: int) -> list[dict]:
        """The passages for a question, from the committee it names when the caller named none and it has any."""
        if query.committee and not where.committee:
            named = self.searcher.search(query.text, k, replace(where, committee=query.committee), mode)
            if named:
                return passages_of(self.store, named)
        return passages_of(self.store, self.searcher.search(query.text, k, where, mode))

    def rank_units(self, query: Query, passages: list[dict]) -> list[Scored]:
        candidates = []
        for rank, passage in enumerate(passages, start=1):
            row = self.store.chunk(passage["chunk_id"])
            units = units_of(row)
            vectors = self.embedder.embed([unit.embedded_text for unit in units]) if units else []
            candidates += [Candidate(unit, vector, rank, passage["document"]["meeting_date"] or "", row["context"])
                           for unit, vector in zip(units, vectors, strict=True)]
        if not candidates:
            return []
        terms = [term for group in query.groups for form in group.forms for term in form]
        rarity = self.searcher.index.rarity(list(dict.fromkeys(terms + tokenize(query.text))))
        return rerank(query, self.embedder.query(query.text), candidates, rarity)

    def choose(self, ranked: list[Scored]) -> list[Scored]:
        """The units the answer quotes: none when the best does not answer well enough."""
        best = next((scored for scored in ranked if scored.shaped), None)
        if best is None or best.score < self.support.score or best.features["coverage"] < self.support.coverage:
            return []
        chosen, seen = [best], {best.candidate.unit.text}
        for scored in ranked:
            if len(chosen) == self.selection.most or scored.score < best.score - self.selection.margin:
                break
            if scored.candidate.unit.text not in seen:
                chosen.append(scored)
                seen.add(scored.candidate.unit.text)
        return chosen

