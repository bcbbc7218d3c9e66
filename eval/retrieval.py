"""Retrieval metrics on the gold questions: recall@1/5/10 and MRR@10."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eval.gold import Question
from eval.scoring import first_hit, mrr_at, recall_at

DEPTH = 10


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None  # of the first passage supporting a gold quote, within the first DEPTH; None: missed


def run_retrieval(questions: Sequence[Question], retrieve: Callable[[str], list[str]]) -> list[Outcome]:
    """Ask each answerable question; `retrieve` returns the texts of the passages found, best first."""
    return [Outcome(question, first_hit(retrieve(question.question)[:DEPTH], question.quotes))
            for question in questions if question.answerable]


def metrics(outcomes: Sequence[Outcome]) -> dict[str, float]:
    ranks = [outcome.rank for outcome in outcomes]
    return {"questions": len(ranks), "recall@1": recall_at(ranks, 1), "recall@5": recall_at(ranks, 5),
            "recall@10": recall_at(ranks, 10), "mrr@10": mrr_at(ranks, 10)}

