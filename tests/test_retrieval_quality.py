"""Hybrid search against each retriever alone on the development questions (the evaluation's ratchet, run by
`make test`, holds the absolute figures)."""

from __future__ import annotations

from eval.gold import load_questions
from eval.metrics import summarise
from eval.outcome import Outcome

from .conftest import shared_path


def test_hybrid_finds_at_least_what_each_retriever_finds_alone(corpus_library):
    questions = load_questions(shared_path("gold", "dev.jsonl"), shared_path("gold", "pdf_dev.jsonl"))

    def score(mode: str) -> dict:
        return summarise([Outcome(q, corpus_library.view("officer").ask(q.question, mode=mode), 0.0)
                          for q in questions])

    bm25, dense, hybrid = (score(mode) for mode in ("bm25", "dense", "hybrid"))
    assert hybrid["answerable"] == 51
    for metric in ("recall@10", "mrr@10"):
        assert hybrid[metric] >= max(bm25[metric], dense[metric]), (metric, bm25, dense, hybrid)
