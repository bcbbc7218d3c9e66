"""Search in one of three modes: BM25 alone, dense alone, or both fused (hybrid), always under a filter."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.errors import BadQuery
from index.filters import OPEN, Filter
from index.fusion import Fused, Fusion
from index.glossary import Glossary
from index.interface import SearchIndex

MODES = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # its rank in each retriever's list the engine reported


class Searcher:
    """Hybrid search over any `SearchIndex`, the rankings fused as `fusion` says."""

    def __init__(self, index: SearchIndex, fusion: Fusion | None = None, glossary: Glossary | None = None) -> None:
        self.index = index
        self.glossary = glossary or Glossary({})
        self.fusion = fusion or Fusion()

    def search(self, query: str, k: int = 10, where: Filter | None = None, mode: str = "hybrid") -> list[Hit]:
        if not query.strip():
            raise BadQuery("query", "empty")
        if k < 1:
            raise BadQuery("k", f"{k} is not a positive number")
        if mode not in MODES:
            raise BadQuery("mode", f"{mode!r} not among {list(MODES)}")
        where = where or OPEN
        expansion = self.glossary.additions(query)
        if mode == "hybrid":
            found = self.index.hybrid(query, max(k, self.fusion.depth), where, expansion, self.fusion)
        elif mode == "bm25":
            found = Fused(ranking := self.index.lexical(query, k, where, expansion), {"bm25": ranking})
        else:
            found = Fused(ranking := self.index.dense(query, k, where), {"dense": ranking})
        ranks = {name: {hit.chunk_id: rank for rank, hit in enumerate(ranking, 1)}
                 for name, ranking in found.rankings.items()}
        return [
            Hit(hit.chunk_id, hit.score, {name: ranked[hit.chunk_id] for name, ranked in ranks.items()
                                          if hit.chunk_id in ranked})
            for hit in found.ranking[:k]
        ]
