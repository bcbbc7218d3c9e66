"""Retrieval on the development questions, scored as the gold set's README says, over one index of the corpus."""

from __future__ import annotations

import pytest

from eval.gold import load_questions
from eval.metrics import summarise
from eval.outcome import Outcome
from retrieval.ask import ask

from .conftest import shared_path


@pytest.fixture(scope="module")
def scores(corpus_searcher, corpus_store):
    store = corpus_store[0]
    questions = load_questions(shared_path("gold", "dev.jsonl"), shared_path("gold", "pdf_dev.jsonl"))

    def score(mode: str) -> dict:
        return summarise([Outcome(q, ask(corpus_searcher, store, q.question, mode=mode), 0.0) for q in questions])

    return {mode: score(mode) for mode in ("bm25", "dense", "hybrid")}


def test_hybrid_recall_at_10_meets_the_bar_and_beats_each_retriever_alone(scores):
    assert scores["hybrid"]["answerable"] == 51
    assert scores["hybrid"]["recall@10"] >= 0.92, scores
    assert scores["hybrid"]["recall@10"] >= max(scores["bm25"]["recall@10"], scores["dense"]["recall@10"]), scores


def test_hybrid_mrr_at_10_meets_the_bar(scores):
    assert scores["hybrid"]["mrr@10"] >= 0.65, scores
