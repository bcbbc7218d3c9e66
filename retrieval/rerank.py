"""Which sentences and rows answer the question: a pure score from a few plain features, checked on the gold set.

Each unit of the candidate passages is scored by how close its meaning is to the question (the embedding model,
on the unit with its section), how much of the question's key terms it holds (weighted by rarity, in any of
their glossary forms), whether it holds the kind of thing asked for (a number, a date, a name, a status word),
where its passage ranked in hybrid search, and, when the question asks for now or names a date, how well its
meeting's date fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.tokens import tokenize
from index.units import Unit
from retrieval.query import Query
from retrieval.shapes import SHAPES, news, shaped

WEIGHTS = {"similarity": 0.45, "coverage": 0.35, "typed": 0.10, "prior": 0.10, "dated": 0.05, "recent": 0.05}

@dataclass(frozen=True)
class Candidate:
    """A unit with what the reranker needs to know about its passage."""

    unit: Unit
    vector: np.ndarray
    passage_rank: int  # 1-based, in hybrid search
    meeting_date: str  # ISO or ""
    context: str


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    features: Mapping[str, float]
    shaped: bool  # holds the kind of thing asked for, where an answer cannot do without it


def coverage(query: Query, text: str, context: str, weights: Mapping[str, float]) -> float:
    """The share of the question's key terms the text holds, each weighted by its rarity; terms found only in
    the passage's context line count half."""
    if not query.groups:
        return 0.0
    own, around = frozenset(tokenize(text)), frozenset(tokenize(context))
    total = found = 0.0
    for group in query.groups:
        weight = max(weights.get(term, 1.0) for form in group.forms for term in form)
        total += weight
        if group.found_in(own):
            found += weight
        elif group.found_in(around | own):
            found += weight / 2
    return found / total


def typed(query: Query, text: str) -> float:
    """The share of the kinds of answer asked for that the text holds (0 when the question names none)."""
    text = news(query, text)
    wanted = [kind for kind in query.wants if kind in SHAPES]
    return sum(bool(SHAPES[kind](text)) for kind in wanted) / len(wanted) if wanted else 0.0


def dated(query: Query, text: str, meeting_date: str) -> float:
    """1 when the unit or its meeting falls in a month or year the question names."""
    if not (query.months or query.years):
        return 0.0
    if any(meeting_date.startswith(month) for month in query.months):
        return 1.0
    if any(meeting_date.startswith(year) or year in text for year in query.years):
        return 0.5
    return 0.0


def rerank(query: Query, query_vector: np.ndarray, candidates: Sequence[Candidate],
           weights: Mapping[str, float]) -> list[Scored]:
    """The candidates, best answer first; `weights` maps terms to their rarity (inverse document frequency)."""
    dates = sorted({c.meeting_date for c in candidates if c.meeting_date})
    recency = {day: (position + 1) / len(dates) for position, day in enumerate(dates)}
    scored = []
    for candidate in candidates:
        text = candidate.unit.text
        features = {
            "similarity": float(candidate.vector @ query_vector),
            "coverage": coverage(query, text, candidate.context, weights),
            "typed": typed(query, text),
            "prior": 1 / candidate.passage_rank,
            "dated": dated(query, text, candidate.meeting_date),
            "recent": recency.get(candidate.meeting_date, 0.0) if query.latest else 0.0,
        }
        score = sum(WEIGHTS[name] * value for name, value in features.items())
        scored.append(Scored(candidate, score, features, shaped(query, text, candidate.meeting_date)))
    return sorted(scored, key=lambda s: (-s.score, s.candidate.passage_rank, s.candidate.unit.position))
