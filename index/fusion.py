"""Fusing ranked lists from several retrievers into one: pure functions, chosen by name.

`rrf` adds 1/(k + rank) from each list (k=60, the value of Cormack et al.), so only ranks matter;
`weighted` min-max normalises each list's scores and adds them with weights, so a clear lead counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.interface import Scored

if TYPE_CHECKING:
    from index.filters import Filter
    from index.interface import SearchIndex

Rankings = Mapping[str, Sequence[Scored]]


@dataclass(frozen=True)
class Fusion:
    """How the two rankings are fused: `rrf` or `weighted` (FUSIONS), and the knobs of each."""

    name: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.5
    depth: int = 50  # how many results each retriever hands to fusion

    @property
    def weights(self) -> dict[str, float]:
        return {"bm25": 1 - self.dense_weight, "dense": self.dense_weight}


@dataclass(frozen=True)
class Fused:
    """A fused ranking, best first, and the retrievers' own rankings when the engine reports them (an engine that
    fuses on its side returns only the fused one)."""

    ranking: list[Scored]
    rankings: Rankings = field(default_factory=dict)


def rrf(rankings: Rankings, k: int = 60, weights: Mapping[str, float] | None = None) -> list[Scored]:
    fused: dict[str, float] = {}
    for ranking in rankings.values():
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + 1.0 / (k + rank)
    return _ordered(fused)


def weighted(rankings: Rankings, k: int = 60, weights: Mapping[str, float] | None = None) -> list[Scored]:
    fused: dict[str, float] = {}
    for name, ranking in rankings.items():
        if not ranking:
            continue
        weight = (weights or {}).get(name, 1.0)
        scores = [hit.score for hit in ranking]
        low, span = min(scores), max(scores) - min(scores)
        for hit in ranking:
            normalised = (hit.score - low) / span if span else 1.0
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + weight * normalised
    return _ordered(fused)


def _ordered(fused: dict[str, float]) -> list[Scored]:
    return [Scored(chunk_id, score) for chunk_id, score in sorted(fused.items(), key=lambda pair: -pair[1])]


FUSIONS: dict[str, Callable[..., list[Scored]]] = {"rrf": rrf, "weighted": weighted}


def fused_here(rankings: Rankings, fusion: Fusion) -> Fused:
    """The retrievers' rankings fused in this process, as `fusion` says."""
    return Fused(FUSIONS[fusion.name](rankings, k=fusion.rrf_k, weights=fusion.weights), rankings)


def retrieved_and_fused(index: SearchIndex, query: str, depth: int, where: Filter, expansion: str,
                        fusion: Fusion) -> Fused:
    """Hybrid search for an engine that ranks each way apart: both rankings, `depth` deep, fused here."""
    return fused_here({"bm25": index.lexical(query, depth, where, expansion),
                       "dense": index.dense(query, depth, where)}, fusion)
