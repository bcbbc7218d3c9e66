"""Fusion functions, checked against the formulas worked by hand."""

import pytest

from index.fusion import FUSIONS, rrf, weighted
from index.interface import Scored

RANKINGS = {
    "bm25": [Scored("a", 12.0), Scored("b", 8.0), Scored("c", 2.0)],
    "dense": [Scored("c", 0.9), Scored("a", 0.7), Scored("d", 0.5)],
}


def test_reciprocal_rank_fusion_adds_one_over_k_plus_rank():
    fused = {hit.chunk_id: hit.score for hit in rrf(RANKINGS, k=60)}
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62) and fused["d"] == pytest.approx(1 / 63)
    assert [hit.chunk_id for hit in rrf(RANKINGS, k=60)] == ["a", "c", "b", "d"]


def test_weighted_fusion_adds_min_max_normalised_scores():
    fused = weighted(RANKINGS, weights={"bm25": 0.5, "dense": 0.5})
    scores = {hit.chunk_id: hit.score for hit in fused}
    assert scores["a"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert scores["b"] == pytest.approx(0.5 * 0.6)
    assert scores["c"] == pytest.approx(0.5 * 0.0 + 0.5 * 1.0)
    assert scores["d"] == pytest.approx(0.0)
    assert [hit.chunk_id for hit in fused] == ["a", "c", "b", "d"]


def test_a_single_result_or_an_empty_list_does_not_divide_by_zero():
    assert weighted({"bm25": [Scored("a", 3.0)], "dense": []}) == [Scored("a", 1.0)]


def test_both_fusions_are_registered_by_name():
    assert set(FUSIONS) == {"rrf", "weighted"}
