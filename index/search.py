"""Search in one of three modes: BM25 alone, dense alone, or both fused (hybrid), always under a filter."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.errors import BadQuery
from index.filters import OPEN, Filter
from index.fusion import FUSIONS
from index.glossary import Glossary
from index.interface import SearchIndex

MODES = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Fusion:
    """How the two rankings are fused: `rrf` or `weighted` (FUSIONS), and the knobs of each."""

    name: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.5
    depth: int = 50  # how many results each retriever hands to fusion


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    score: float
    ranks: dict[str, int] = field(default_factory=dict)  # this chunk's rank in each retriever's list


class Searcher:
    """Hybrid search over any `SearchIndex`, the rankings fused as `fusion` says."""

    def __init__(self, index: SearchIndex, fusion: Fusion = Fusion(), glossary: Glossary | None = None) -> None:
        self.index = index
        self.glossary = glossary or Glossary({})
        self.fusion = fusion
        self.fuse = FUSIONS[fusion.name]
        self.rrf_k = fusion.rrf_k
        self.weights = {"bm25": 1 - fusion.dense_weight, "dense": fusion.dense_weight}
        self.depth = fusion.depth

    def search(self, query: str, k: int = 10, where: Filter | None = None, mode: str = "hybrid") -> list[Hit]:
        if not query.strip():
            raise BadQuery("query", "empty")
        if k < 1:
            raise BadQuery("k", f"{k} is not a positive number")
        if mode not in MODES:
            raise BadQuery("mode", f"{mode!r} not among {list(MODES)}")
        where = where or OPEN
        depth = max(k, self.depth) if mode == "hybrid" else k
        rankings = {}
        if mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.index.lexical(query, depth, where, self.glossary.additions(query))
        if mode in ("dense", "hybrid"):
            rankings["dense"] = self.index.dense(query, depth, where)
        ranks = {name: {hit.chunk_id: rank for rank, hit in enumerate(ranking, 1)}
                 for name, ranking in rankings.items()}
        fused = rankings[mode] if mode != "hybrid" else self.fuse(rankings, k=self.rrf_k, weights=self.weights)
        return [
            Hit(hit.chunk_id, hit.score, {name: ranked[hit.chunk_id] for name, ranked in ranks.items()
                                          if hit.chunk_id in ranked})
            for hit in fused[:k]
        ]
