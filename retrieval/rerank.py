"""Which sentences and rows answer the question: a pure score from a few plain features, checked on the gold set.

Each unit of the candidate passages is scored by how close its meaning is to the question (the embedding model,
on the unit with its section), how much of the question's key terms it holds (weighted by rarity, in any of
their glossary forms), whether it holds the kind of thing asked for (a number, a date, a name, a status word),
where its passage ranked in hybrid search, how brief it is (a 200-word tracker row holds many terms by chance;
a short KPI row that names the measure is the better evidence), and, when the question asks for now or names a
date, how well its meeting's date fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index.tokens import tokenize
from index.units import Unit
from retrieval.query import Query
from retrieval.shapes import SHAPES, months_in, news, on_the_day, shaped

WEIGHTS = {"similarity": 0.45, "coverage": 0.35, "typed": 0.10, "prior": 0.10, "dated": 0.05, "recent": 0.05,
           "brief": 0.15}
BRIEF_WORDS = 40  # a unit this short or shorter counts as fully brief

@dataclass(frozen=True)
class Candidate:
    """A unit with what the reranker needs to know about its passage."""

    unit: Unit
    vector: np.ndarray
    passage_rank: int  # 1-based, in hybrid search
    meeting_date: str  # of the pack, ISO or ""
    document_date: str  # of the document itself (the meeting a set of minutes records), ISO or ""
    document_kind: str
    context: str


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    features: Mapping[str, float]
    eligible: bool  # may be the answer: holds the kind of thing asked for, from the day the question names
    on_day: bool  # from the day the question names (or it names none)
    covers: frozenset[int]  # which of the question's key terms (by position) the unit itself holds


def coverage(query: Query, text: str, around: frozenset[str], rarity: Mapping[str, float]
             ) -> tuple[float, frozenset[int]]:
    """The share of the question's key terms the text holds, each weighted by its rarity (terms found only in
    the passage's context line, `around`, count half), and which of them the text itself holds."""
    if not query.groups:
        return 0.0, frozenset()
    own = frozenset(tokenize(text))
    total = found = 0.0
    held = set()
    for number, group in enumerate(query.groups):
        weight = max(rarity.get(term, 1.0) for form in group.forms for term in form)
        total += weight
        if group.found_in(own):
            found += weight
            held.add(number)
        elif group.found_in(around | own):
            found += weight / 2
    return found / total, frozenset(held)


def typed(query: Query, added: str) -> float:
    """The share of the kinds of answer asked for that what a unit adds (`news`) holds (0 when none is asked)."""
    wanted = [kind for kind in query.wants if kind in SHAPES]
    return sum(bool(SHAPES[kind](added)) for kind in wanted) / len(wanted) if wanted else 0.0


def dated(query: Query, text: str, meeting_date: str) -> float:
    """1 when the unit or its meeting falls in a month or year the question names."""
    if not (query.months or query.years):
        return 0.0
    named = set(months_in(text, int(meeting_date[:4]) if meeting_date else 0))
    if any(meeting_date.startswith(month) or month in named for month in query.months):
        return 1.0
    if any(meeting_date.startswith(year) or year in text for year in query.years):
        return 0.5
    return 0.0


def rerank(query: Query, query_vector: np.ndarray, candidates: Sequence[Candidate],
           rarity: Mapping[str, float]) -> list[Scored]:
    """The candidates, best answer first; `rarity` maps terms to their inverse document frequency."""
    dates = sorted({c.meeting_date for c in candidates if c.meeting_date})
    recency = {day: (position + 1) / len(dates) for position, day in enumerate(dates)}
    contexts = {c.context: frozenset(tokenize(c.context)) for c in candidates}  # once per passage, not per unit
    scored = []
    for candidate in candidates:
        text = candidate.unit.text
        added = news(query, text)
        share, covers = coverage(query, text, contexts[candidate.context], rarity)
        features = {
            "similarity": float(candidate.vector @ query_vector),
            "coverage": share,
            "typed": typed(query, added),
            "prior": 1 / candidate.passage_rank,
            "dated": dated(query, text, candidate.meeting_date),
            "recent": recency.get(candidate.meeting_date, 0.0) if query.latest else 0.0,
            "brief": min(1.0, BRIEF_WORDS / max(1, len(text.split()))),
        }
        score = sum(WEIGHTS[name] * value for name, value in features.items())
        on_day = on_the_day(query, f"{candidate.context}\n{text}", candidate.meeting_date, candidate.document_date,
                            candidate.document_kind)
        eligible = on_day and shaped(query, added, candidate.meeting_date)
        scored.append(Scored(candidate, score, features, eligible, on_day, covers))
    return sorted(scored, key=lambda s: (-s.score, s.candidate.passage_rank, s.candidate.unit.position))
