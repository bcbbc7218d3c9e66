"""Search over one index of all of ../shared/corpus: BM25 against its reference, filters (on every backend), IVF,
the passages."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from index.bench import QUERIES as QUESTIONS
from index.bench import bench_qdrant, bench_synthetic
from index.dense import ANN_RECALL, PROBE_COUNTS, Dense
from index.embedded import EmbeddedIndex
from index.errors import BadQuery
from index.filters import VISIBILITIES, Filter
from index.lexical import K1, B, Lexical
from index.search import MODES
from index.tokens import tokenize
from retrieval.passages import passages

QUERIES = [
    "houses in multiple occupation for care leavers",
    "EHCP 20-week timeliness",
    "safety valve agreement with the DfE",
    "forecast overspend November",
    "Ofsted monitoring visit",
    "agency social workers recruitment",
    "67.1%",
    "family hubs",
    "school exclusions and suspensions",
    "minutes of the previous meeting",
]


@pytest.fixture(scope="module")
def searcher(corpus_searcher):
    return corpus_searcher


@pytest.fixture(scope="module")
def store(corpus_store):
    return corpus_store[0]


def test_bm25_scores_are_bm25s_lucene_ones(searcher, corpus_entries):
    index = searcher.index
    tokens = [tokenize(entry.lexical_text) for entry in corpus_entries]
    reference = bm25s.BM25(method="lucene", k1=K1, b=B)
    reference.index(tokens, show_progress=False)
    for query in QUERIES:
        expected = reference.get_scores(tokenize(query))
        ours = index.lexical_index.scores(query)
        np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-6)
        top = np.argsort(-expected, kind="stable")[:10]
        found = [hit.chunk_id for hit in index.lexical(query, 10, Filter())]
        assert found == [index.entries[row].chunk_id for row in top if expected[row] > 0], query


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_a_committee_filter_returns_only_that_committee_and_still_k_results(engine_searcher, store, mode):
    hits = engine_searcher.search("care leavers housing", k=10, where=Filter(committee="cabinet"), mode=mode)
    assert len(hits) == 10
    assert {store.chunk(hit.chunk_id, VISIBILITIES)["committee"] for hit in hits} == {"Cabinet"}


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_a_narrow_filter_is_applied_before_the_cut(engine_searcher, store, mode):
    """Omaha's City Council agenda has nothing on SEND, so none of it is in the unfiltered top 50; filtered, k come
    back."""
    where = Filter(committee="city council")
    unfiltered = engine_searcher.search("SEND EHCP timeliness", k=50, mode=mode)
    assert not any(store.chunk(hit.chunk_id, VISIBILITIES)["committee"] == "City Council" for hit in unfiltered)
    hits = engine_searcher.search("SEND EHCP timeliness", k=10, where=where, mode=mode)
    assert len(hits) == 10
    assert all(store.chunk(hit.chunk_id, VISIBILITIES)["committee"] == "City Council" for hit in hits)


def test_date_kind_item_and_visibility_filters(engine_searcher, store):
    hits = engine_searcher.search("improvement plan", k=10, where=Filter(date_from="2024-01-01", date_to="2024-12-31"))
    assert len(hits) == 10
    assert all("2024-01-01" <= store.chunk(hit.chunk_id, VISIBILITIES)["meeting_date"] <= "2024-12-31" for hit in hits)

    hits = engine_searcher.search("improvement plan", k=5, where=Filter(kind="minutes"))
    assert len(hits) == 5 and {store.chunk(hit.chunk_id, VISIBILITIES)["document_kind"] for hit in hits} == {"minutes"}

    where = Filter(committee="Children's Services Overview", date_from="2024-07-24", date_to="2024-07-24", item="6a")
    hits = engine_searcher.search("actions", k=5, where=where)
    assert hits and all(store.chunk(hit.chunk_id, VISIBILITIES)["item"] == "6a" for hit in hits)

    exempt = engine_searcher.search("improvement journey", k=50, mode="bm25")
    assert any(store.chunk(hit.chunk_id, VISIBILITIES)["visibility"] == "exempt" for hit in exempt)
    public = engine_searcher.search("improvement journey", k=50, mode="bm25", where=Filter(visibility=("public",)))
    assert public and all(store.chunk(hit.chunk_id, VISIBILITIES)["visibility"] == "public" for hit in public)


def test_bad_parameters_are_named(engine_searcher):
    with pytest.raises(BadQuery, match="date_from"):
        Filter(date_from="24/07/2024")
    with pytest.raises(BadQuery, match="mode"):
        engine_searcher.search("x", mode="fuzzy")
    with pytest.raises(BadQuery, match=r"kind.*report"):
        engine_searcher.search("x", where=Filter(kind="reports"))
    with pytest.raises(BadQuery, match="committee"):
        engine_searcher.search("x", where=Filter(committee="parish council"))


def test_hybrid_hits_carry_each_retrievers_rank(engine_searcher):
    hits = engine_searcher.search("houses in multiple occupation for care leavers", k=10)
    assert all(set(hit.ranks) <= {"bm25", "dense"} and hit.ranks for hit in hits)
    assert any(set(hit.ranks) == {"bm25", "dense"} for hit in hits)


def test_passages_follow_the_answer_contract(engine_searcher, store):
    hits = engine_searcher.search("Ofsted monitoring visit", k=5)
    found = [p.model_dump() for p in passages(store, hits, VISIBILITIES)]
    assert [p["rank"] for p in found] == [1, 2, 3, 4, 5]
    for passage in found:
        assert {"rank", "chunk_id", "score", "text", "document", "agenda_item", "pages", "lines"} <= set(passage)
        assert {"id", "title", "path", "committee", "meeting_date", "kind", "url"} <= set(passage["document"])
        assert (passage["pages"] is None) != (passage["lines"] is None)


def test_ivf_finds_what_the_exact_search_finds(searcher):
    vectors = searcher.index.vectors
    flat = Dense.build(vectors, ann_min_vectors=10**9, dimension=vectors.shape[1])
    ivf = Dense.build(vectors, ann_min_vectors=1, dimension=vectors.shape[1])
    assert (flat.kind, ivf.kind) == ("flat", "ivf")
    queries = [searcher.index.embedder.query(query) for query in QUESTIONS]  # real questions, not stored vectors
    found = [len(set(flat.search(q, 10)[0]) & set(ivf.search(q, 10)[0])) / 10 for q in queries]
    assert np.mean(found) >= 0.97
    rows, scores = ivf.search(queries[0], 10)
    np.testing.assert_allclose(scores, vectors[rows] @ queries[0], atol=1e-5)  # re-ranked by the exact vectors
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::7] = True
    rows, _ = ivf.search(queries[0], 10, allowed)
    assert len(rows) == 10 and allowed[rows].all()
    assert set(rows) == set(flat.search(queries[0], 10, allowed)[0])


def test_ivf_takes_added_and_deleted_chunks_in_place(searcher, corpus_entries):
    """Two thirds of the corpus's chunks, then the rest added, then a document deleted: the IVF index built for the
    first part is kept (not trained again), its rows follow the chunks', and it still finds what exact search
    finds."""
    real = searcher.index
    entries, owners = corpus_entries, real.owners
    first = 2 * len(entries) // 3
    index = EmbeddedIndex(real.embedder, ann_min_vectors=1)
    index.add_embedded(entries[:first], real.vectors[owners < first])
    ivf = index.dense_index
    index.add_embedded(entries[first:], real.vectors[owners >= first])
    gone = entries[0].document_id
    index.delete_document(gone)
    assert index.dense_index is ivf and ivf.trained_on == int((owners < first).sum())
    kept = np.array([entry.document_id != gone for entry in entries])[owners]
    np.testing.assert_array_equal(index.vectors, real.vectors[kept])
    exact = Dense.build(index.vectors, ann_min_vectors=10**9, dimension=index.dimension)
    queries = [real.embedder.query(query) for query in QUESTIONS]
    assert np.mean([len(set(exact.search(q, 10)[0]) & set(ivf.search(q, 10)[0])) / 10 for q in queries]) >= 0.97
    found = {hit.chunk_id for question in QUESTIONS for hit in index.dense(question, 10, Filter())}
    assert found and not found & {entry.chunk_id for entry in entries if entry.document_id == gone}
    assert len(ivf.vectors) == ivf.index.ntotal


def test_ivf_probes_are_tuned_to_the_recall_they_measure_and_kept_with_the_index(tmp_path):
    """Random unit vectors, the hardest case for an inverted file (no clusters to find): the few lists that held on
    the corpus are not enough, so the build visits more until its sample reaches ANN_RECALL; fresh queries near the
    vectors then find ≥ 0.97."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((20_000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ivf = Dense.build(vectors, ann_min_vectors=1, dimension=64)
    assert ivf.probes > PROBE_COUNTS[0] and ivf.sampled_recall >= ANN_RECALL
    queries = vectors[rng.choice(len(vectors), 50, replace=False)] + 0.05 * rng.standard_normal((50, 64))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    flat = Dense.build(vectors, ann_min_vectors=10**9, dimension=64)
    assert np.mean([len(set(flat.search(q, 10)[0]) & set(ivf.search(q, 10)[0])) / 10 for q in queries]) >= 0.97
    ivf.save(tmp_path)
    loaded = Dense.load(tmp_path, 64)
    assert (loaded.kind, loaded.probes, loaded.trained_on) == ("ivf", ivf.probes, len(vectors))
    np.testing.assert_array_equal(loaded.search(queries[0], 10)[0], ivf.search(queries[0], 10)[0])


def test_filters_refuse_an_empty_date_range_and_accept_any_sequence_of_visibilities():
    with pytest.raises(BadQuery, match="after date_to"):
        Filter(date_from="2024-12-31", date_to="2024-01-01")
    assert Filter(visibility=["public"]) == Filter(visibility=("public",))
    with pytest.raises(BadQuery, match="visibility"):
        Filter(visibility=())


def test_adding_and_deleting_chunks_updates_bm25_as_a_build_from_scratch_would(searcher, corpus_entries,
                                                                              monkeypatch):
    """Half the corpus's chunks, then the rest added, then a document deleted: each time the scores a fresh build
    gives, and only the chunks added are tokenised."""
    real = searcher.index
    entries, owners = corpus_entries, real.owners
    half = len(entries) // 2
    index = EmbeddedIndex(real.embedder, real.ann_min_vectors)
    index.add_embedded(entries[:half], real.vectors[owners < half])
    assert index.lexical_index.rows == half
    tokenised = []
    monkeypatch.setattr("index.embedded.tokenize", lambda text: tokenised.append(text) or tokenize(text))
    index.add_embedded(entries[half:], real.vectors[owners >= half])
    assert len(tokenised) == len(entries) - half
    for query in QUERIES:
        np.testing.assert_allclose(index.lexical_index.scores(query), real.lexical_index.scores(query), atol=1e-6)
    gone = entries[0].document_id
    index.delete_document(gone)
    fresh = Lexical.build([tokenize(entry.lexical_text) for entry in entries if entry.document_id != gone])
    for query in QUERIES:
        np.testing.assert_allclose(index.lexical_index.scores(query), fresh.scores(query), atol=1e-6)
    assert len(tokenised) == len(entries) - half  # deleting tokenised nothing


def test_bench_search_measures_ours_the_naive_stack_and_qdrant_on_the_same_chunks(searcher, corpus_entries):
    run = bench_synthetic(searcher, corpus_entries, 2000, with_ann=True)
    assert run["chunks"] == 2000 and run["vectors"] > 2000
    assert all(run["latency_ms"][mode]["p50_ms"] > 0 for mode in MODES)
    assert run["naive"]["hybrid_ms"]["p50_ms"] > 0 and run["naive"]["build_seconds"] >= 0
    assert run["dense"] == "flat" and 0.5 <= run["ann"]["recall_at_10_vs_flat"] <= 1
    qdrant = bench_qdrant(searcher, corpus_entries, 300)
    assert qdrant["chunks"] == 300 and all(qdrant["latency_ms"][mode]["p50_ms"] > 0 for mode in MODES)
