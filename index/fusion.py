"""Fusing ranked lists from several retrievers into one: pure functions, chosen by name.

`rrf` adds 1/(k + rank) from each list (k=60, the value of Cormack et al.), so only ranks matter;
`weighted` min-max normalises each list's scores and adds them with weights, so a clear lead counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from index.interface import Scored

Rankings = Mapping[str, Sequence[Scored]]


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
