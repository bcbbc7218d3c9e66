"""The index on disk, on our own sample papers: built, updated, checked against the store, swapped atomically;
an index behind the store still answers, and says so."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from index.build import BuildReport
from index.entries import entry_of
from index.errors import IndexProblem
from index.filters import VISIBILITIES
from index.search import Searcher
from index.storage import BUILDS, build_lock
from index.units import units_of
from ingest.model import short_hash
from ingest.pipeline import Summary
from ingest.store import Store
from papers.library import Library
from papers.settings import Settings

from .conftest import SAMPLES

MAY_MINUTES = """RIVERSIDE DISTRICT COUNCIL

CHILDREN AND FAMILIES SCRUTINY COMMITTEE

Minutes of the Meeting held on 13 May 2026 at 6.30 pm

51. Apologies

Apologies for absence were received from Cllr F Greaves.

52. Youth Justice Plan

The Head of Youth Justice presented the draft Youth Justice Plan for 2026/27. First-time entrants to the youth
justice system had fallen to 38 in the year, and the restorative justice pilot in Millbrook schools would be
extended to two more secondary schools.

RESOLVED that the Committee supports the draft Youth Justice Plan.
"""

TOPICS = ("Libraries", "Parks", "Allotments", "Bus passes", "Street lighting", "Cemeteries", "Leisure centres",
          "Markets", "Public toilets", "Car parks", "Recycling", "Grit bins")
LONGER_MINUTES = MAY_MINUTES + "".join(  # a paper with more windows than one batch of eight
    f"\n{53 + n}. {topic}\n\nThe Committee considered a report on {topic.lower()}. Members asked about costs in "
    f"{2020 + n} and were told the {topic.lower()} budget was £{n + 1}.{n}m.\n" for n, topic in enumerate(TOPICS))


def ingest(settings: Settings, *paths: Path) -> Summary:
    return Library(settings).ingest(list(paths))


def update(settings: Settings) -> BuildReport:
    return Library(settings).reindex()


def searcher(settings: Settings) -> Searcher:
    """The index as a process starting now opens it."""
    return Library(settings).current.searcher


def behind(settings: Settings) -> bool:
    return Library(settings).current.behind


def text_of(store: Store, chunk_id: str) -> str:
    return store.chunk(chunk_id, VISIBILITIES)["text"]


@pytest.fixture
def indexed(settings: Settings, store: Store) -> Settings:
    ingest(settings, SAMPLES / "committee-pack.txt")
    update(settings)
    return settings


def add_may_minutes(settings: Settings, folder: Path) -> None:
    paper = folder / "may-minutes.txt"
    paper.write_text(MAY_MINUTES, encoding="utf-8")
    assert ingest(settings, paper).count("ingested") == 1


def test_a_built_index_answers_with_the_sample_papers(indexed, store):
    hits = searcher(indexed).search("how many young people are in HMOs", k=3)
    assert any("HMO" in text_of(store, hit.chunk_id) for hit in hits)
    assert (indexed.index_path / "manifest.json").exists() and indexed.index_path.is_symlink()


def test_an_index_behind_the_store_says_so_and_an_update_embeds_only_the_new_document(indexed, store, tmp_path):
    add_may_minutes(indexed, tmp_path)
    assert behind(indexed)
    assert searcher(indexed).search("restorative justice pilot", k=1)  # what it holds still answers

    report = update(indexed)
    new_chunks = [chunk for chunk in store.chunks() if chunk["source_path"].endswith("may-minutes.txt")]
    new_texts = sum(len(entry_of(chunk, indexed.embed_window_words).dense_texts)
                    + len(units_of(chunk["id"], chunk["text"], chunk["fields_text"], chunk["section"]))
                    for chunk in new_chunks)  # its windows, and the sentences and rows answers quote
    assert report.documents_indexed == 1 and report.documents_removed == 0
    assert 0 < report.embedded <= new_texts
    assert not behind(indexed)
    hits = searcher(indexed).search("restorative justice pilot", k=1)
    assert store.chunk(hits[0].chunk_id, VISIBILITIES)["source_path"].endswith("may-minutes.txt")

    changed = tmp_path / "may-minutes.txt"  # the same file, corrected: its document is replaced, not added
    changed.write_text(MAY_MINUTES.replace("fallen to 38", "fallen to 36"), encoding="utf-8")
    assert ingest(indexed, changed).count("ingested") == 1
    report = update(indexed)
    assert (report.documents_indexed, report.documents_removed) == (1, 1)
    hits = searcher(indexed).search("first-time entrants", k=1, mode="bm25")
    assert "fallen to 36" in text_of(store, hits[0].chunk_id)


def test_one_catch_up_brings_a_behind_index_up_to_date_after_the_build_in_progress(indexed, tmp_path):
    add_may_minutes(indexed, tmp_path)
    library = Library(indexed)
    with build_lock(indexed.index_path):
        catching_up = library.catch_up()
        assert library.catch_up() is catching_up and library.current.behind
    catching_up.join(120)
    assert not library.current.behind and library.catch_up() is None
    assert library.view("public").search("restorative justice pilot", k=1)[0].document.path == "may-minutes.txt"


def test_a_catch_up_that_fails_is_logged_and_the_old_index_serves_on(indexed, tmp_path, monkeypatch, caplog):
    add_may_minutes(indexed, tmp_path)
    library = Library(indexed)
    old = library.current

    def fail(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr("index.backend.update_index", fail)
    library.catch_up().join(120)
    assert "failed" in caplog.text and "No space left on device" in caplog.text
    assert library.current is old and old.behind
    assert library.view("public").search("foster households", k=1)


def test_rebuilding_from_nothing_takes_every_vector_from_the_cache(indexed, store):
    indexed.index_path.unlink()
    shutil.rmtree(indexed.home / BUILDS)
    report = update(indexed)
    assert report.embedded == 0 and report.chunks == len(store.chunks())


def _build_and_die(home: str) -> None:
    """Run in a child process: start writing a new build, then die the way a killed process does."""
    from index import embedded

    def die(self, folder):
        folder.mkdir(parents=True)
        (folder / "entries.jsonl").write_text("half a build")
        os._exit(9)

    embedded.EmbeddedIndex.save = die
    update(Settings(home=Path(home)))


def test_a_build_killed_half_way_leaves_the_previous_index_answering(indexed, store, tmp_path):
    before = indexed.index_path.resolve()
    add_may_minutes(indexed, tmp_path)
    child = multiprocessing.get_context("spawn").Process(target=_build_and_die, args=(str(indexed.home),))
    child.start()
    child.join(120)
    assert child.exitcode == 9
    assert indexed.index_path.resolve() == before
    assert len(list(indexed.home.joinpath(BUILDS).iterdir())) == 2  # the old build and the half-written one

    assert behind(indexed) and searcher(indexed).search("foster households", k=1)  # the old index still answers
    update(indexed)
    assert searcher(indexed).search("restorative justice", k=1)
    assert len(list(indexed.home.joinpath(BUILDS).iterdir())) == 2  # the half-written build was cleared


def _embed_a_batch_and_die(home: str) -> None:
    """Run in a child process: rebuild in batches of eight texts, and die as the model starts the second."""
    from index.embedding import Embedder

    encode = Embedder.encode_uncached
    batches: list[int] = []

    def encode_then_die(self, texts):
        batches.append(len(texts))
        if len(batches) == 2:
            os._exit(9)
        return encode(self, texts)

    Embedder.encode_uncached = encode_then_die
    update(Settings(home=Path(home), embed_batch_size=1))


def cached(settings: Settings) -> set[str]:
    """The hashes of the texts whose vectors are in the embedding cache."""
    with sqlite3.connect(settings.embedding_cache) as db:
        return {key for (key,) in db.execute("SELECT hash FROM vectors")}


def test_a_build_killed_while_embedding_keeps_the_vectors_it_had_made(indexed, store, tmp_path):
    paper = tmp_path / "may-minutes.txt"
    paper.write_text(LONGER_MINUTES, encoding="utf-8")
    assert ingest(indexed, paper).count("ingested") == 1
    windows = {short_hash(text) for chunk in store.chunks() if chunk["source_path"].endswith("may-minutes.txt")
               for text in entry_of(chunk, indexed.embed_window_words).dense_texts}
    before = cached(indexed)
    assert len(windows - before) > 8
    child = multiprocessing.get_context("spawn").Process(target=_embed_a_batch_and_die, args=(str(indexed.home),))
    child.start()
    child.join(120)
    assert child.exitcode == 9

    kept = cached(indexed) - before
    assert len(kept) == 8 and kept <= windows  # the first batch of the paper's windows, committed as it was made
    report = update(indexed)
    assert report.embedded == len(cached(indexed) - before) - len(kept)  # only what the killed build had not made
    hits = searcher(indexed).search("grit bins budget", k=1, mode="bm25")
    assert "grit bins" in text_of(store, hits[0].chunk_id)


def test_a_damaged_or_missing_index_says_what_to_run(indexed, store, settings):
    (indexed.index_path.resolve() / "owners.npy").unlink()
    with pytest.raises(IndexProblem, match=r"damaged.*papers index"):
        searcher(indexed)
    with pytest.raises(IndexProblem, match=r"No index.*papers index"):
        searcher(Settings(home=settings.home.parent / "elsewhere"))


def test_an_index_built_with_other_windows_is_refused(indexed, store):
    with pytest.raises(IndexProblem, match="windows"):
        searcher(indexed.model_copy(update={"embed_window_words": 0}))


def test_an_empty_store_has_nothing_to_index(settings, store):
    with pytest.raises(IndexProblem, match="no chunks"):
        update(settings)


def test_a_relative_home_keeps_the_previous_build_for_readers(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    relative = Settings(home=Path("relative-home"))
    ingest(relative, SAMPLES / "committee-pack.txt")
    for _ in range(3):
        update(relative)
    assert len(list((relative.home / BUILDS).iterdir())) == 2


def test_a_changed_ann_setting_is_honoured_without_any_document_changing(indexed, store):
    report = update(indexed.model_copy(update={"ann_min_vectors": 1}))
    assert report.dense == "ivf" and report.embedded == 0 and report.documents_indexed == 0
    assert update(indexed).dense == "flat"


def test_any_change_to_a_chunks_text_puts_the_index_behind(indexed, store):
    assert not behind(indexed)
    store.db.execute("UPDATE chunks SET fields_text = fields_text || ' zebracorn' WHERE id = "
                     "(SELECT id FROM chunks WHERE fields_text != '' LIMIT 1)")
    assert behind(indexed)


def test_an_index_built_by_another_version_of_the_indexer_is_rebuilt_from_cached_vectors(indexed, store):
    manifest = indexed.index_path / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"builder": "', '"builder": "older-'))
    with pytest.raises(IndexProblem, match="another version of the indexer"):
        searcher(indexed)
    report = update(indexed)
    assert report.embedded == 0 and report.chunks == len(store.chunks())
    assert searcher(indexed).search("foster households", k=1)
