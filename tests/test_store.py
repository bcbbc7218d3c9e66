"""The store: unchanged files skipped, changed files replaced atomically, a killed ingest leaves the old state."""

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

from index.filters import VISIBILITIES
from ingest.pipeline import ingest_file
from ingest.records import DECISION
from ingest.store import Store
from papers.backends import reading

from .conftest import SAMPLES, bcp
from .test_pdfs import SCANNED
from .test_robustness import EXPECTED


def _copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "pack.txt"
    shutil.copy(SAMPLES / "committee-pack.txt", target)
    return target


def test_reingesting_an_unchanged_file_does_nothing(store, settings, tmp_path):
    pack = _copy_sample(tmp_path)
    assert ingest_file(pack, store, reading(settings)).status == "ingested"
    ids = [c["id"] for c in store.chunks()]
    assert ingest_file(pack, store, reading(settings)).status == "unchanged"
    assert [c["id"] for c in store.chunks()] == ids


def test_a_file_read_by_another_version_of_the_reader_is_read_again(store, settings, tmp_path):
    pack = _copy_sample(tmp_path)
    assert ingest_file(pack, store, reading(settings)).status == "ingested"
    resized = settings.model_copy(update={"chunk_target_words": 200})
    assert ingest_file(pack, store, reading(resized)).status == "ingested"
    assert ingest_file(pack, store, reading(resized)).status == "unchanged"
    assert reading(resized).version != reading(settings).version


def test_a_store_made_before_reader_versions_opens_and_reads_its_files_again(settings, tmp_path):
    settings.home.mkdir(parents=True)
    old = sqlite3.connect(settings.database)
    old.execute("CREATE TABLE sources (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, format TEXT NOT NULL, "
                "pages INTEGER, meeting_id TEXT, warnings TEXT NOT NULL, ingested_at TEXT NOT NULL)")
    old.commit()
    old.close()
    store = Store(settings.database)
    assert ingest_file(_copy_sample(tmp_path), store, reading(settings)).status == "ingested"
    store.close()


def test_a_store_made_before_ocr_gets_its_chunks_confidence_column(settings, tmp_path):
    Store(settings.database).close()
    old = sqlite3.connect(settings.database)
    old.execute("ALTER TABLE chunks DROP COLUMN ocr_confidence")  # the table as stores made before OCR hold it
    old.close()
    store = Store(settings.database)
    assert ingest_file(_copy_sample(tmp_path), store, reading(settings)).status == "ingested"
    assert {row["ocr_confidence"] for row in store.chunks()} == {None}  # a text file: nothing read by OCR
    store.close()


def test_forgetting_a_file_drops_what_was_read_from_it(store, settings, tmp_path):
    pack = _copy_sample(tmp_path)
    ingest_file(pack, store, reading(settings))
    assert store.counts()["records"] == 28  # 4 decisions, 20 figures, 4 actions
    store.forget([str(pack.resolve())])
    assert store.counts() == dict.fromkeys(
        ("sources", "meetings", "agenda_items", "documents", "chunks", "records"), 0)


def test_a_changed_file_replaces_its_chunks(store, settings, tmp_path):
    pack = _copy_sample(tmp_path)
    ingest_file(pack, store, reading(settings))
    old = {c["text"] for c in store.chunks()}
    pack.write_text(pack.read_text().replace("118 approved foster households", "121 approved foster households"))
    result = ingest_file(pack, store, reading(settings))
    new = {c["text"] for c in store.chunks()}
    assert result.status == "ingested"
    assert any("121 approved" in t for t in new) and not any("118 approved foster households" in t for t in new)
    assert len(new) == len(old)
    assert store.counts()["sources"] == 1


def test_a_process_killed_mid_ingest_leaves_the_previous_state(store, settings, tmp_path):
    pack = _copy_sample(tmp_path)
    ingest_file(pack, store, reading(settings))
    before = store.chunks()
    pack.write_text(pack.read_text().replace("Foster Care Recruitment Campaign", "Foster Carer Recruitment Drive"))
    # A real process dies (os._exit) in the middle of writing the changed file's chunks.
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from ingest.pipeline import ingest_file
        from ingest.store import Store
        from papers.backends import reading
        from papers.settings import Settings
        settings = Settings(home=Path({str(settings.home)!r}))
        store = Store(settings.database)
        store.db.set_trace_callback(lambda sql: os._exit(9) if sql.startswith("INSERT INTO chunks") else None)
        ingest_file(Path({str(pack)!r}), store, reading(settings))
    """)
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    assert store.chunks() == before
    assert not any("Recruitment Drive" in c["text"] for c in store.chunks())


def test_the_same_text_in_two_files_is_stored_once_and_linked(store, settings):
    ingest_file(bcp("002"), store, reading(settings))  # the standalone report first
    ingest_file(bcp("000"), store, reading(settings))  # then the pack that prints it under item 6
    rows = store.chunks(include_duplicates=True)
    copies = [r for r in rows if r["duplicate_of"]]
    assert copies and all(r["source_path"].endswith(bcp("002").name) for r in copies)
    canonical = {r["id"]: r for r in rows}
    assert all(canonical[r["duplicate_of"]]["item"] == "6" for r in copies)
    assert len(store.chunks()) == len(rows) - len(copies)


def test_the_same_file_at_two_paths_ingests_twice_and_the_copy_is_flagged(store, settings, tmp_path):
    first, second = _copy_sample(tmp_path), tmp_path / "copy.txt"
    shutil.copy(first, second)
    assert [ingest_file(path, store, reading(settings)).status for path in (first, second)] == ["ingested", "ingested"]
    rows = store.chunks(include_duplicates=True)
    assert len(rows) == 2 * len(store.chunks())
    assert all(r["source_path"].endswith("copy.txt") for r in rows if r["duplicate_of"])


def test_web_minutes_are_linked_to_their_meeting_whichever_comes_first(store, settings):
    ingest_file(bcp("004"), store, reading(settings))
    ingest_file(bcp("000"), store, reading(settings))
    web = next(c for c in store.chunks() if c["document_kind"] == "web_minutes")
    assert web["item"] == "6" and web["meeting_date"] == "2022-05-03"
    assert web["context"].startswith("Children's Services Overview and Scrutiny Committee | 3 May 2022 | Item 6")
    items = store.items("childrens-services-overview-and-scrutiny-committee-2022-05-03", VISIBILITIES)
    assert "web_minutes" in [d["kind"] for d in next(i for i in items if i["number"] == "6")["documents"]]


def test_whole_shared_corpus_in_one_store(corpus_store):
    store, summary = corpus_store
    refused = {name for name, problem in EXPECTED.items() if problem}  # the scans are read by OCR
    assert {Path(path).name for path, _ in summary.errors} == refused
    scanned = {Path(row["source_path"]).name for row in store.chunks() if row["ocr_confidence"] is not None}
    assert scanned == set(SCANNED) | {"ca_nipissing_council_2024-10-01_agenda-package_mostly-scanned.pdf"}
    read = summary.count("ingested") + summary.count("unchanged")  # the store is kept between test runs
    assert read == len(summary.results) - len(refused) and summary.count("failed") == len(refused)
    meetings = {m["id"]: m for m in store.meetings(VISIBILITIES)}
    assert "childrens-services-overview-and-scrutiny-committee-2024-07-24" in meetings
    assert "cabinet-2025-01-30" in meetings
    ids = [c["id"] for c in store.chunks(include_duplicates=True)]
    assert len(ids) == len(set(ids))


def test_records_are_read_with_where_they_come_from_under_the_callers_visibility(corpus_store):
    """Decisions of the whole corpus: the exempt report's only to those who may see it, a report printed in a pack
    and alone listed once, web minutes dated by the meeting they were linked to, filters by committee and date."""
    store, _ = corpus_store
    public, every = store.records(DECISION, ("public",)), store.records(DECISION, VISIBILITIES)
    exempt = [r for r in every if r["visibility"] == "exempt"]
    assert [r["text"] for r in exempt] == ["It is RECOMMENDED that: For information and scrutiny"]
    assert len(public) == len(every) - 1 and not [r for r in public if r["visibility"] == "exempt"]
    assert [r["source_path"][-28:] for r in every if r["text"] == "For information and scrutiny"] == [
        "bcp/000_b35f86d97bdcb475.txt"]  # the pack's copy; 002's is the same chunk, stored once
    web = next(r for r in every if r["document_kind"] == "web_minutes")
    assert (web["date"], web["item"], web["fields"]) == ("2022-05-03", "6", {"decision": "noted"})
    deferred = next(r for r in every if r["fields"]["decision"] == "deferred")
    assert (deferred["date"], deferred["meeting_date"], deferred["section"]) == (
        "2024-03-19", "2024-07-24", "74. Confirmation of Minutes")  # the minuted meeting's date, not the pack's
    assert [r["date"] for r in every] == sorted((r["date"] for r in every), reverse=True)
    cabinet = store.records(DECISION, VISIBILITIES, committee="cabinet", date_from="2025-01-01", date_to="2025-01-31")
    assert sorted((r["document_kind"], r["fields"]["decision"]) for r in cabinet) == [
        ("document", "recommended")] + [("minutes", "resolved")] * 6  # the transfer report's, the six minuted
    assert {r["committee"] for r in cabinet} == {"Cabinet"} and all(r["page_start"] for r in cabinet)
    assert store.records(DECISION, VISIBILITIES, limit=5, offset=5) == every[5:10]


def _duplicates_from_nothing(store: Store) -> dict[str, str | None]:
    """Every chunk's canonical copy worked out over the whole table, the rule written plainly: the reference the
    store's incremental marking must agree with."""
    groups: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in store.db.execute(
        """SELECT c.id, c.text_hash, c.item IS NULL AS outside_items, s.rowid AS stored, c.position
           FROM chunks c JOIN documents d ON c.document_id = d.id JOIN sources s ON d.source_path = s.path"""
    ):
        groups[row["text_hash"]].append(row)
    canonical: dict[str, str | None] = {}
    for rows in groups.values():
        first = min(rows, key=lambda row: (row["outside_items"], row["stored"], row["position"]))
        canonical |= {row["id"]: None if row is first else first["id"] for row in rows}
    return canonical


def test_duplicates_marked_write_by_write_agree_with_marking_them_all_again(store, settings, read_paper, tmp_path):
    copy = tmp_path / "report-copy.txt"
    shutil.copy(bcp("002"), copy)
    reprint = str(copy.resolve())
    report, pack, web, big = (read_paper(bcp(prefix)) for prefix in ("002", "000", "004", "003"))

    def marked() -> dict[str, str | None]:
        marks = {row["id"]: row["duplicate_of"] for row in store.chunks(include_duplicates=True)}
        assert marks == _duplicates_from_nothing(store)
        return marks

    def marks_of(path: str) -> set[str | None]:
        marks = marked()
        return {marks[row["id"]] for row in store.chunks(include_duplicates=True) if row["source_path"] == path}

    def chunks_of(path: str) -> set[str]:
        return {row["id"] for row in store.chunks() if row["source_path"] == path}

    store.save(report, "test")
    ingest_file(copy, store, reading(settings))  # the same report at another path: the first stored is canonical
    assert marks_of(reprint) <= chunks_of(report.path)
    store.save(web, "test")  # web minutes waiting for their meeting
    store.save(big, "test")  # repeats some of its own chunks, and shares some with the pack
    store.save(pack, "test")  # prints the report under item 6 (which outranks both copies) and links the minutes
    in_pack = marks_of(report.path)
    assert in_pack <= chunks_of(pack.path)
    assert any(mark in chunks_of(big.path) for mark in marks_of(pack.path))  # stored first, though later in its file
    store.save(report, "test")  # stored again, so now after its reprint
    marked()
    store.delete_document(store.chunk(next(iter(in_pack)), VISIBILITIES)["document_id"])
    assert marks_of(report.path) <= chunks_of(reprint)
    copy.write_text(copy.read_text().replace("no current public health", "no known public health"))
    ingest_file(copy, store, reading(settings))  # replaced with one chunk changed, and stored after the report
    assert marks_of(report.path) == {None} and marks_of(reprint) - chunks_of(report.path) == {None}
    store.forget([big.path])  # the chunks the pack shared with it are the pack's own again
    assert marks_of(pack.path) <= {None} | chunks_of(pack.path)
    store.forget([pack.path])
    store.forget([reprint])
    assert marks_of(report.path) == {None}


def _fingerprint_from_nothing(path: Path) -> str:
    """The fingerprint as a process opening the store now computes it."""
    fresh = Store(path)
    try:
        return fresh.fingerprint()
    finally:
        fresh.close()


def _fingerprint_reading_no_chunk(store: Store) -> str:
    """The store's fingerprint, given without reading a chunk: kept from an earlier call."""
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    try:
        fingerprint = store.fingerprint()
    finally:
        store.db.set_trace_callback(None)
    assert statements and not any("chunks" in sql for sql in statements)
    return fingerprint


def _searchable_documents(store: Store, path: Path) -> list[str]:
    return [row[0] for row in store.db.execute(
        "SELECT DISTINCT c.document_id FROM chunks c JOIN documents d ON c.document_id = d.id "
        "WHERE c.duplicate_of IS NULL AND d.source_path = ? ORDER BY c.document_id", (str(path),))]


def _withhold(db: sqlite3.Connection, document: str) -> None:
    """One row written: the document made exempt."""
    db.execute("UPDATE documents SET visibility = 'exempt' WHERE id = ?", (document,))


def test_an_unchanged_store_gives_its_fingerprint_without_reading_the_chunks_again(store, read_paper):
    store.save(read_paper(bcp("000")), "test")
    first = store.fingerprint()
    assert _fingerprint_reading_no_chunk(store) == first == _fingerprint_from_nothing(store.path)


def test_the_fingerprint_follows_writes_from_any_connection_and_rollbacks(store, settings, read_paper):
    store.save(read_paper(bcp("002")), "test")
    before = store.fingerprint()
    other = Store(settings.database)  # as `papers ingest` would while `papers serve` runs
    other.save(read_paper(bcp("000")), "test")
    other.close()
    after = store.fingerprint()
    assert after != before and after == _fingerprint_from_nothing(settings.database)

    searchable = _searchable_documents(store, bcp("000"))
    shell = sqlite3.connect(settings.database)  # hand edits
    with shell:
        _withhold(shell, searchable[0])
    withheld = store.fingerprint()
    assert withheld != after and withheld == _fingerprint_from_nothing(settings.database)
    with shell:
        shell.execute("UPDATE chunks SET text = text || ' (corrected)' WHERE document_id = ?", (searchable[3],))
    edited = store.fingerprint()
    assert edited != withheld and edited == _fingerprint_from_nothing(settings.database)
    with pytest.raises(RuntimeError), store.transaction() as db:
        _withhold(db, searchable[1])
        assert store.fingerprint() != edited  # this transaction sees its own write
        raise RuntimeError("rolled back")
    assert _fingerprint_from_nothing(settings.database) == edited
    with shell:  # committed under the generation number the rolled back write had
        _withhold(shell, searchable[2])
    shell.close()
    assert store.fingerprint() == _fingerprint_from_nothing(settings.database) != edited


def test_a_fingerprint_read_in_a_transaction_is_kept_in_it_and_once_it_commits(store, settings, read_paper):
    store.save(read_paper(bcp("002")), "test")
    with store.transaction():  # as an upload is saved, indexed, and its index opened
        store.save(read_paper(bcp("000")), "test")
        saved = store.fingerprint()
        assert _fingerprint_reading_no_chunk(store) == saved
        searchable = _searchable_documents(store, bcp("000"))
        with pytest.raises(RuntimeError), store.transaction() as db:
            _withhold(db, searchable[0])
            assert store.fingerprint() != saved
            raise RuntimeError("rolled back to the savepoint")
        _withhold(store.db, searchable[1])  # under the generation number the rolled back write had
        withheld = store.fingerprint()
    assert _fingerprint_reading_no_chunk(store) == withheld == _fingerprint_from_nothing(settings.database) != saved
