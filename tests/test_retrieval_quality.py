"""Retrieval on the development questions, scored as the gold set's README says, over one index of the corpus."""

from __future__ import annotations

import pytest

from eval.gold import load_questions
from eval.retrieval import metrics, run_retrieval

from .conftest import shared_path


@pytest.fixture(scope="module")
def scores(corpus_searcher, corpus_store):
    store = corpus_store[0]
    questions = load_questions(shared_path("gold", "dev.jsonl"), shared_path("gold", "pdf_dev.jsonl"))

    def score(mode: str) -> dict[str, float]:
        def retrieve(question: str) -> list[str]:
            return [store.chunk(hit.chunk_id)["text"] for hit in corpus_searcher.search(question, 10, mode=mode)]

        return metrics(run_retrieval(questions, retrieve))

    return {mode: score(mode) for mode in ("bm25", "dense", "hybrid")}


def test_hybrid_recall_at_10_meets_the_bar_and_beats_each_retriever_alone(scores):
    assert scores["hybrid"]["questions"] == 51
    assert scores["hybrid"]["recall@10"] >= 0.92, scores
    assert scores["hybrid"]["recall@10"] >= max(scores["bm25"]["recall@10"], scores["dense"]["recall@10"]), scores


def test_hybrid_mrr_at_10_meets_the_bar(scores):
    assert scores["hybrid"]["mrr@10"] >= 0.65, scores
