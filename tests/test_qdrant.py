"""The Qdrant backend (qdrant-client's local mode, no server): the same search as the embedded engine on the real
papers, fusion in the engine, and a collection's life (rebuilt behind an alias, updated in place, put back)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.ablations import ABLATIONS, primary
from eval.gold import load_questions
from eval.runner import run
from index.bench import QUERIES
from index.errors import IndexProblem
from index.filters import Filter
from index.fusion import Fusion, fused_here
from index.qdrant import QdrantIndex
from papers.library import Library
from papers.settings import Settings
from tests.conftest import SAMPLES, shared_path


@pytest.fixture(scope="module")
def embedded(corpus_library):
    return corpus_library.current.searcher.index


@pytest.fixture(scope="module")
def qdrant(corpus_qdrant_library):
    return corpus_qdrant_library.current.searcher.index


def test_dense_search_is_the_embedded_exact_search(embedded, qdrant):
    """A chunk's windows are one multivector scored by MAX_SIM: its best window, the embedded engine's rule."""
    for query in QUERIES:
        ours = embedded.dense(query, 10, Filter())
        theirs = qdrant.dense(query, 10, Filter())
        assert [hit.chunk_id for hit in theirs] == [hit.chunk_id for hit in ours], query
        np.testing.assert_allclose([hit.score for hit in theirs], [hit.score for hit in ours], atol=1e-5)


def test_bm25_scores_are_the_embedded_engines(embedded, qdrant):
    """Qdrant's IDF modifier times the tf parts stored gives the embedded engine's BM25 score to float rounding."""
    for query in QUERIES:
        ours = {hit.chunk_id: hit.score for hit in embedded.lexical(query, 50, Filter())}
        theirs = qdrant.lexical(query, 10, Filter())
        assert len(theirs) == min(10, len(ours)), query
        for hit in theirs:
            assert hit.score == pytest.approx(ours[hit.chunk_id], rel=1e-4), (query, hit.chunk_id)
        assert [round(hit.score, 3) for hit in theirs] == [round(score, 3) for score in list(ours.values())[:10]]
    assert qdrant.rarity(["foster", "zzzunheard"]) == pytest.approx(embedded.rarity(["foster", "zzzunheard"]))


def test_weighted_hybrid_is_the_embedded_engines(embedded, qdrant):
    """Both rankings come back in one batch and are fused here: the same chunks in the same order."""
    for query in QUERIES:
        ours = embedded.hybrid(query, 50, Filter(kind="minutes"), "", Fusion()).ranking[:10]
        theirs = qdrant.hybrid(query, 50, Filter(kind="minutes"), "", Fusion())
        assert set(theirs.rankings) == {"bm25", "dense"}
        assert [round(hit.score, 4) for hit in theirs.ranking[:10]] == [round(hit.score, 4) for hit in ours], query


def test_rrf_is_fused_in_the_engine_as_it_is_here(qdrant):
    """Server-side prefetch and RRF give the ranking `fusion.rrf` gives the same two lists."""
    fusion = Fusion(name="rrf", depth=30)
    for query in QUERIES:
        served = qdrant.hybrid(query, 30, Filter(committee="cabinet"), "", fusion)
        assert not served.rankings  # fused in the engine: only the fused list comes back
        here = fused_here({"bm25": qdrant.lexical(query, 30, Filter(committee="cabinet")),
                           "dense": qdrant.dense(query, 30, Filter(committee="cabinet"))}, fusion)
        assert [round(hit.score, 6) for hit in served.ranking] == [round(hit.score, 6) for hit in here.ranking[:30]]
        assert {hit.chunk_id for hit in served.ranking[:10]} == {hit.chunk_id for hit in here.ranking[:10]}


def test_answers_through_qdrant_cite_the_papers(corpus_qdrant_library):
    answer = corpus_qdrant_library.view("public").ask("What is the status of the HMO action?").model_dump()
    assert answer["answered"] and answer["citations"]
    assert all(citation["chunk_id"] for citation in answer["citations"])


def test_the_dev_gold_scores_within_one_question_on_either_backend(corpus_library, corpus_qdrant_library):
    """The shared dev questions answered through each backend: every count (found at 1, 5, 10; facts right;
    citations supported; rightly and wrongly refused) differs by at most one question."""
    questions = load_questions(shared_path("gold", "dev.jsonl"))
    configured = ABLATIONS[primary(corpus_library.settings)]
    counts = {}
    for name, library in (("embedded", corpus_library), ("qdrant", corpus_qdrant_library)):
        outcomes = run(questions, [configured], library)[configured.name]
        answerable = [o for o in outcomes if o.question.answerable]
        counts[name] = {
            **{f"recall@{k}": sum(o.rank is not None and o.rank <= k for o in answerable) for k in (1, 5, 10)},
            "facts": sum(bool(o.facts_correct) for o in answerable),
            "citations": sum(bool(o.citation_supported) for o in answerable),
            "right refusals": sum(bool(o.abstained_correctly) for o in outcomes if not o.question.answerable),
            "wrong refusals": sum(bool(o.abstained_wrongly) for o in answerable),
        }
    assert counts["embedded"]["recall@10"] >= len(questions) // 2  # a real run, not two empty ones
    for metric, embedded in counts["embedded"].items():
        assert abs(counts["qdrant"][metric] - embedded) <= 1, (metric, counts)


def _library(home: Path, **settings) -> Library:
    return Library(Settings(home=home, index_backend="qdrant", **settings))


def test_a_rebuild_moves_the_alias_and_an_update_works_in_place(tmp_path: Path):
    library = _library(tmp_path / "home", qdrant_url=":memory:")
    backend = library.index
    library.ingest([SAMPLES / "committee-pack.txt"])
    library.reindex()
    first = backend.current()
    searcher = library.current.searcher
    assert first and len(searcher.index) > 0 and not library.current.behind
    document = library.store.documents(("public", "exempt"))[0]["id"]

    library.remove(document)  # an update: the same collection, the document's chunks gone
    assert backend.current() == first
    assert not any(library.store.chunk(hit.chunk_id, ("public", "exempt")) is None
                   for hit in library.current.searcher.search("foster households", k=20))
    remaining = {point[0] for point in QdrantIndex(backend.client, first, backend.embedder, 1.0).held()}
    assert document not in remaining

    backend.window_words = 50  # other settings: the next update builds a new collection and moves the alias
    with pytest.raises(IndexProblem, match="papers index"):
        backend.open(library.store)
    library.reindex()
    second = backend.current()
    assert second != first and library.current.searcher.search("foster households", k=3)
    library.close()


def test_a_failed_rebuild_leaves_the_collection_that_was_current(tmp_path: Path, monkeypatch):
    library = _library(tmp_path / "home", qdrant_url=":memory:")
    library.ingest([SAMPLES / "committee-pack.txt"])
    library.reindex()
    before = library.index.current()
    library.index.window_words = 50

    def fail(*args, **kwargs):
        raise RuntimeError("the server went away")

    monkeypatch.setattr(QdrantIndex, "add_embedded", fail)
    with pytest.raises(RuntimeError):
        library.index.update(library.store)
    assert library.index.current() == before
    library.index.window_words = library.settings.embed_window_words
    assert library.index.open(library.store).searcher.search("foster households", k=3)
    library.close()


def test_a_store_changed_since_the_build_reads_as_behind(tmp_path: Path):
    library = _library(tmp_path / "home", qdrant_url=":memory:")
    library.ingest([SAMPLES / "committee-pack.txt"])
    library.reindex()
    backend = library.index
    library.store.delete_document(library.store.documents(("public", "exempt"))[0]["id"])
    assert backend.open(library.store).behind
    backend.update(library.store)
    assert not backend.open(library.store).behind
    library.close()


def test_local_mode_keeps_the_collection_on_disk(tmp_path: Path):
    """With no server URL the collection lives in the home folder and a later process searches it."""
    home = tmp_path / "home"
    library = _library(home)
    library.ingest([SAMPLES / "committee-pack.txt"])
    library.reindex()
    library.index.client.close()
    library.close()
    again = _library(home)
    assert (home / "qdrant").is_dir()
    assert again.current.searcher.search("approved foster households", k=3)
    with pytest.raises(IndexProblem, match="PAPERS_QDRANT_URL"):  # local mode is one process (one client) at a time
        _library(home)
    again.index.client.close()
    again.close()


def test_a_server_that_does_not_answer_is_an_index_problem_naming_the_setting(tmp_path: Path):
    library = _library(tmp_path / "home", qdrant_url="http://127.0.0.1:9")  # nothing listens on the discard port
    library.ingest([SAMPLES / "committee-pack.txt"])
    with pytest.raises(IndexProblem, match="PAPERS_QDRANT_URL"):
        library.index.open(library.store)
    with pytest.raises(IndexProblem, match="PAPERS_QDRANT_URL"):
        library.index.update(library.store)
    library.close()
