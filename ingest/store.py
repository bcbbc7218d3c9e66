"""The SQLite store, the source of truth: files, meetings, agenda items, documents, chunks and records.

Each file is written in one transaction: an unchanged file is skipped, a changed one has its old rows replaced,
and a process killed half way leaves the previous state. The same text stored twice (a report printed in a pack
and published alone) is kept once as canonical; the copies point at it with `duplicate_of`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from ingest.dates import human_date
from ingest.model import Paper
from ingest.understand import chunk_id, document_id, record_id

_SAVEPOINTS = itertools.count()

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, format TEXT NOT NULL, pages INTEGER,
    meeting_id TEXT, warnings TEXT NOT NULL, ingested_at TEXT NOT NULL, reader TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY, council TEXT, committee TEXT, date TEXT, time TEXT, venue TEXT,
    published TEXT, reference TEXT
);
CREATE TABLE IF NOT EXISTS agenda_items (
    source_path TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    meeting_id TEXT, number TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    page_start INTEGER, page_end INTEGER, PRIMARY KEY (source_path, number)
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source_path TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    position INTEGER NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT, committee TEXT,
    meeting_id TEXT, meeting_date TEXT, original_date TEXT, item TEXT, appendix TEXT,
    visibility TEXT NOT NULL, fields TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, item TEXT, kind TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL,
    fields_text TEXT NOT NULL, context TEXT NOT NULL, page_start INTEGER, page_end INTEGER,
    line_start INTEGER NOT NULL, line_end INTEGER NOT NULL, quality TEXT NOT NULL, text_hash TEXT NOT NULL,
    duplicate_of TEXT, ocr_confidence REAL
);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    chunk_id TEXT NOT NULL REFERENCES chunks(id) ON DELETE CASCADE, position INTEGER NOT NULL, kind TEXT NOT NULL,
    text TEXT NOT NULL, fields TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id);
CREATE INDEX IF NOT EXISTS records_by_kind ON records(kind, document_id);
CREATE INDEX IF NOT EXISTS chunks_by_hash ON chunks(text_hash);
CREATE INDEX IF NOT EXISTS documents_by_source ON documents(source_path);
"""

# Every row written to documents and every chunk updated, whoever writes it (this or another connection or process,
# the sqlite3 shell), adds one to the store's `generation`, under which `fingerprint` is kept. Chunks are only added
# and removed with their document, so that is every write the store makes; a trigger on each chunk added or removed
# as well made re-saving a large paper about a quarter slower.
GENERATION = """
CREATE TABLE IF NOT EXISTS generation (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER NOT NULL);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} BEGIN "
    "UPDATE generation SET number = number + 1; END;\n"
    for name, event, table in (("document_added", "INSERT", "documents"), ("document_changed", "UPDATE", "documents"),
                               ("document_removed", "DELETE", "documents"), ("chunk_changed", "UPDATE", "chunks"))
)


class Store:
    """The SQLite store; every write goes through `save` or `forget`, each a single transaction.

    Each thread gets its own connection (the API answers requests on a thread pool, and a SQLite connection
    belongs to one thread), all to the same file in WAL mode, so readers never wait for a writer.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._connections: dict[int, sqlite3.Connection] = {}  # by thread
        self._lock = threading.Lock()
        self._fingerprint: tuple[int, str] | None = None  # (generation, fingerprint)
        self.db.executescript(SCHEMA + GENERATION)
        if self.db.execute("SELECT 1 FROM generation").fetchone() is None:  # an INSERT would wait for any writer
            self.db.execute("INSERT OR IGNORE INTO generation VALUES (1, 0)")
        for table, column, kind in (("sources", "reader", "TEXT NOT NULL DEFAULT ''"),
                                    ("chunks", "ocr_confidence", "REAL")):  # columns added since the first stores
            if column not in {row["name"] for row in self.db.execute(f"PRAGMA table_info({table})")}:
                with suppress(sqlite3.OperationalError):  # another process added it first
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection = getattr(self._local, "db", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA busy_timeout=10000")
            self._local.db = connection
            with self._lock:  # a server's worker threads come and go: close what the ended ones left open
                alive = {thread.ident for thread in threading.enumerate()}
                for ident in [ident for ident in self._connections if ident not in alive]:
                    self._connections.pop(ident).close()
                self._connections[threading.get_ident()] = connection
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; inside another transaction of this thread, a savepoint within it (so a caller can
        hold several saves, and what follows them, to one outcome)."""
        db = self.db
        if db.in_transaction:
            name = f"save_{next(_SAVEPOINTS)}"
            db.execute(f"SAVEPOINT {name}")
            try:
                yield db
            except BaseException:
                if hasattr(self._local, "pending"):  # a fingerprint read, maybe, from what is rolled back
                    self._local.pending = None
                db.execute(f"ROLLBACK TO {name}")
                db.execute(f"RELEASE {name}")
                raise
            db.execute(f"RELEASE {name}")
            return
        db.execute("BEGIN IMMEDIATE")
        self._local.pending = None  # a fingerprint read in this transaction, kept for all once it commits
        try:
            yield db
        except BaseException:
            del self._local.pending
            db.execute("ROLLBACK")
            raise
        pending = self._local.pending
        del self._local.pending
        db.execute("COMMIT")
        if pending is not None:
            self._fingerprint = pending

    def is_current(self, path: str, sha256: str, reader: str) -> bool:
        """The file is stored with these bytes, read by this version of the reader."""
        row = self.db.execute("SELECT sha256, reader FROM sources WHERE path = ?", (path,)).fetchone()
        return row is not None and (row["sha256"], row["reader"]) == (sha256, reader)

    def forget(self, paths: list[str]) -> None:
        """Drop files (and all that was read from them) in one transaction."""
        with self.transaction() as db:
            hashes = _text_hashes(db, "source_path", paths)
            db.executemany("DELETE FROM sources WHERE path = ?", [(path,) for path in paths])
            _mark_duplicates(db, hashes)
            _drop_orphan_meetings(db)

    def delete_document(self, document_id: str) -> str | None:
        """Delete one document and its chunks; the file it came from goes too once none of its documents is left
        (so the same file can be added again). Returns that file's path, or None when there is no such document."""
        with self.transaction() as db:
            row = db.execute("SELECT source_path FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                return None
            hashes = _text_hashes(db, "id", [document_id])
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
            db.execute("DELETE FROM sources WHERE path = ? AND NOT EXISTS "
                       "(SELECT 1 FROM documents WHERE source_path = ?)", (row["source_path"], row["source_path"]))
            _mark_duplicates(db, hashes)  # a copy of one of its chunks elsewhere becomes the searchable one
            _drop_orphan_meetings(db)
            return row["source_path"]

    def paths(self) -> list[str]:
        return [row["path"] for row in self.db.execute("SELECT path FROM sources ORDER BY path")]

    def save(self, paper: Paper, reader: str) -> None:
        """Replace whatever the store held for this file with what was understood from it, atomically.

        `reader` names the version of the ingest code and chunk sizes that read it, so a new one reads it again.
        """
        with self.transaction() as db:
            replaced = _text_hashes(db, "source_path", [paper.path])
            db.execute("DELETE FROM sources WHERE path = ?", (paper.path,))
            meeting = paper.meeting
            db.execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (paper.path, paper.sha256, paper.format, paper.pages, meeting.id, json.dumps(paper.warnings),
                 datetime.now(UTC).isoformat(timespec="seconds"), reader),
            )
            if meeting.id:
                # A standalone report names the same meeting as its pack with fewer details: keep what is known.
                db.execute(
                    """INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
                       council = coalesce(excluded.council, council), time = coalesce(excluded.time, time),
                       venue = coalesce(excluded.venue, venue), published = coalesce(excluded.published, published),
                       reference = coalesce(excluded.reference, reference)""",
                    (meeting.id, meeting.council, meeting.committee, meeting.date, meeting.time, meeting.venue,
                     meeting.published, meeting.reference),
                )
            db.executemany(
                "INSERT INTO agenda_items VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(paper.path, meeting.id, item.number, item.title, item.description,
                  item.pages[0] if item.pages else None, item.pages[1] if item.pages else None)
                 for item in paper.items],
            )
            ids = [document_id(paper.path, paper.sha256, number) for number in range(len(paper.documents))]
            db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(ids[number], paper.path, number, doc.kind, doc.title, doc.body, meeting.committee, meeting.id,
                  meeting.date, doc.original_date, doc.item, doc.appendix, doc.visibility, json.dumps(doc.fields))
                 for number, doc in enumerate(paper.documents)],
            )
            chunks = [(chunk_id(ids[c.document], c), ids[c.document], c.position,
                       c.item or paper.documents[c.document].item, c.kind, c.section, c.text, c.fields_text, c.context,
                       c.pages[0] if c.pages else None, c.pages[1] if c.pages else None, c.lines[0], c.lines[1],
                       c.quality, c.ocr_confidence, c.text_hash) for c in paper.chunks]
            db.executemany(
                "INSERT INTO chunks (id, document_id, position, item, kind, section, text, fields_text, context, "
                "page_start, page_end, line_start, line_end, quality, ocr_confidence, text_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chunks)
            db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", _record_rows(paper, ids, chunks))
            linked = _link_web_minutes(db)  # their chunks now have an agenda item, which may make them canonical
            # Each chunk's row ends with its text hash (a property worked out anew on each reading).
            _mark_duplicates(db, replaced | {row[-1] for row in chunks} | _text_hashes(db, "id", linked))
            _drop_orphan_meetings(db)

    def counts(self) -> dict[str, int]:
        tables = ("sources", "meetings", "agenda_items", "documents", "chunks", "records")
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}

    def visible_counts(self, visibility: tuple[str, ...]) -> dict[str, int]:
        """Meetings, documents and chunks among documents of these visibilities."""
        row = self.db.execute(
            f"""SELECT count(DISTINCT d.meeting_id), count(DISTINCT d.id), count(c.id) FROM documents d
                LEFT JOIN chunks c ON c.document_id = d.id WHERE d.visibility IN ({_marks(visibility)})""",
            visibility).fetchone()
        return {"meetings": row[0], "documents": row[1], "chunks": row[2]}

    def meetings(self, visibility: tuple[str, ...]) -> list[dict]:
        """Meetings with documents of these visibilities, oldest first, with how many documents and chunks of
        those visibilities each has."""
        rows = self.db.execute(
            f"""SELECT m.*, count(DISTINCT d.id) AS documents, count(c.id) AS chunks
                FROM meetings m JOIN documents d ON d.meeting_id = m.id LEFT JOIN chunks c ON c.document_id = d.id
                WHERE d.visibility IN ({_marks(visibility)}) GROUP BY m.id ORDER BY m.date, m.committee""",
            visibility).fetchall()
        return [dict(row) for row in rows]

    def meeting(self, meeting_id: str, visibility: tuple[str, ...]) -> dict | None:
        """The meeting, when it has a document of these visibilities (else it does not exist for the caller)."""
        row = self.db.execute(
            f"""SELECT m.*, count(d.id) AS documents FROM meetings m JOIN documents d ON d.meeting_id = m.id
                WHERE m.id = ? AND d.visibility IN ({_marks(visibility)}) GROUP BY m.id""", (meeting_id, *visibility)
        ).fetchone()
        return dict(row) if row else None

    def items(self, meeting_id: str, visibility: tuple[str, ...]) -> list[dict]:
        """The meeting's agenda (from every file of the meeting, an item once: the pack that prints it gives its
        pages), each item with its documents of these visibilities and their chunk count; the agenda is public."""
        items = [dict(row) for row in self.db.execute(
            "SELECT number, min(title) AS title, max(description) AS description, min(page_start) AS page_start, "
            "max(page_end) AS page_end FROM agenda_items WHERE meeting_id = ? GROUP BY number "
            "ORDER BY CAST(number AS INTEGER), number", (meeting_id,))]
        for item in items:
            documents = self.db.execute(
                f"""SELECT d.id, d.kind, d.title, d.appendix, d.visibility, d.source_path, d.meeting_id, d.committee,
                           d.meeting_date, d.item, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks
                    FROM documents d WHERE d.meeting_id = ? AND d.item = ? AND d.visibility IN ({_marks(visibility)})
                    ORDER BY d.source_path, d.position""",
                (meeting_id, item["number"], *visibility),
            ).fetchall()
            item["documents"] = [dict(row) for row in documents]
            item["chunks"] = self.db.execute(
                f"""SELECT count(*) FROM chunks c JOIN documents d ON c.document_id = d.id
                    WHERE d.meeting_id = ? AND c.item = ? AND d.visibility IN ({_marks(visibility)})""",
                (meeting_id, item["number"], *visibility),
            ).fetchone()[0]
        return items

    def documents(self, visibility: tuple[str, ...], meeting_id: str | None = None, limit: int = -1,
                  offset: int = 0) -> list[dict]:
        """Documents of these visibilities (optionally of one meeting), by meeting date then file and position."""
        meeting = "AND d.meeting_id = ?" if meeting_id else ""
        rows = self.db.execute(
            f"""SELECT d.id, d.kind, d.title, d.visibility, d.source_path, d.meeting_id, d.committee, d.meeting_date,
                       d.original_date, d.item, d.appendix,
                       (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks
                FROM documents d WHERE d.visibility IN ({_marks(visibility)}) {meeting}
                ORDER BY d.meeting_date DESC, d.source_path, d.position LIMIT ? OFFSET ?""",
            (*visibility, *([meeting_id] if meeting_id else []), limit, offset),
        ).fetchall()
        return [dict(row) for row in rows]

    def kinds(self, visibility: tuple[str, ...]) -> list[str]:
        return [row["kind"] for row in self.db.execute(
            f"SELECT DISTINCT kind FROM documents WHERE visibility IN ({_marks(visibility)}) ORDER BY kind",
            visibility)]

    def document(self, document_id: str, visibility: tuple[str, ...]) -> dict | None:
        row = self.db.execute(
            f"""SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks
                FROM documents d WHERE d.id = ? AND d.visibility IN ({_marks(visibility)})""",
            (document_id, *visibility)).fetchone()
        return dict(row) if row else None

    def document_chunks(self, document_id: str, visibility: tuple[str, ...]) -> list[dict]:
        return [dict(row) for row in self.db.execute(
            f"""SELECT c.* FROM chunks c JOIN documents d ON c.document_id = d.id
                WHERE c.document_id = ? AND d.visibility IN ({_marks(visibility)}) ORDER BY c.position""",
            (document_id, *visibility))]

    def committees(self, visibility: tuple[str, ...]) -> list[str]:
        return [row["committee"] for row in self.db.execute(
            f"SELECT DISTINCT committee FROM documents WHERE committee != '' AND visibility IN ({_marks(visibility)}) "
            "ORDER BY committee", visibility)]

    def chunk(self, chunk_id: str, visibility: tuple[str, ...]) -> dict | None:
        """A chunk with its document's fields, when its document is of these visibilities."""
        row = self.db.execute(
            f"""SELECT c.*, d.title AS document_title, d.kind AS document_kind, d.source_path, d.committee,
                       d.meeting_date, d.original_date, d.body, d.appendix, d.visibility, d.meeting_id,
                       (SELECT title FROM agenda_items a WHERE a.meeting_id = d.meeting_id AND a.number = c.item
                        LIMIT 1) AS item_title
                FROM chunks c JOIN documents d ON c.document_id = d.id
                WHERE c.id = ? AND d.visibility IN ({_marks(visibility)})""",
            (chunk_id, *visibility),
        ).fetchone()
        return dict(row) if row else None

    def records(self, kind: str, visibility: tuple[str, ...], committee: str | None = None,
                date_from: str | None = None, date_to: str | None = None, limit: int = -1,
                offset: int = 0, measure: str | None = None, chunks: Sequence[str] = ()) -> list[dict]:
        """Records of one kind from documents of these visibilities, newest first, each with where it comes from:
        the committee whose papers hold it, its `date` (the meeting it records or was written for, else its pack's),
        agenda item, section, document and its chunk's pages or lines; `fields` as a dict. A record of a text
        stored twice is listed once, from the canonical chunk. `committee` matches part of the name, any case, and
        `measure` part of a figure's measure; `chunks`, when given, the passages that print them."""
        filters = [("instr(lower(d.committee), lower(?)) > 0", committee),
                   ("instr(lower(json_extract(r.fields, '$.measure')), lower(?)) > 0", measure),
                   ("coalesce(d.original_date, d.meeting_date) >= ?", date_from),
                   ("coalesce(d.original_date, d.meeting_date) <= ?", date_to)]
        chosen = [(condition, value) for condition, value in filters if value]
        rows = self.db.execute(
            f"""SELECT r.id, r.kind, r.text, r.fields, r.chunk_id, r.document_id, d.title AS document_title,
                       d.kind AS document_kind, d.source_path, d.committee, d.body, d.meeting_id, d.meeting_date,
                       d.original_date, d.visibility, coalesce(d.original_date, d.meeting_date) AS date, c.item,
                       (SELECT title FROM agenda_items a WHERE a.meeting_id = d.meeting_id AND a.number = c.item
                        LIMIT 1) AS item_title, c.section, c.page_start, c.page_end, c.line_start, c.line_end,
                       c.ocr_confidence
                FROM records r JOIN chunks c ON c.id = r.chunk_id JOIN documents d ON d.id = r.document_id
                WHERE r.kind = ? AND d.visibility IN ({_marks(visibility)}) AND c.duplicate_of IS NULL
                      {"".join(f" AND {condition}" for condition, _ in chosen)}
                      {f"AND r.chunk_id IN ({_marks(tuple(chunks))})" if chunks else ""}
                ORDER BY date IS NULL, date DESC, d.source_path, c.position, r.position LIMIT ? OFFSET ?""",
            (kind, *visibility, *(value for _, value in chosen), *chunks, limit, offset),
        ).fetchall()
        return [dict(row) | {"fields": json.loads(row["fields"])} for row in rows]

    def chunks(self, include_duplicates: bool = False) -> list[dict]:
        where = "" if include_duplicates else "WHERE c.duplicate_of IS NULL"
        rows = self.db.execute(
            f"""SELECT c.*, d.source_path, d.kind AS document_kind, d.title AS document_title, d.meeting_date,
                      d.committee, d.visibility
                FROM chunks c JOIN documents d ON c.document_id = d.id {where}
                ORDER BY d.source_path, c.position"""
        ).fetchall()
        return [dict(row) for row in rows]

    def fingerprint(self) -> str:
        """A hash of everything the index holds of the searchable chunks: an index built from another is stale.

        Hashing every chunk takes a while, and index builds and every opening of the index ask for it, so it is
        kept for as long as the store's `generation` is unchanged: a number the store's own triggers increase with
        every write to documents or chunks (see `GENERATION`), by this store's threads, another store or process
        (`papers ingest` while `papers serve` runs) or a hand edit. SQLite's `PRAGMA data_version` would not do:
        it is per connection and blind to the connection's own commits, and this store has a connection per thread.

        The generation and the chunks are read in one snapshot. One read inside a `transaction` is kept for that
        transaction, and for all once it commits; never past a rollback, after which its generation number could
        be committed again by another writer, with other rows.
        """
        db = self.db
        inside = db.in_transaction
        if not inside:
            db.execute("BEGIN")  # one snapshot for the generation and the chunks
        try:
            generation = db.execute("SELECT number FROM generation").fetchone()[0]
            # Only committed generations are kept for all, so inside a transaction that has written none matches.
            for kept in (self._fingerprint, getattr(self._local, "pending", None) if inside else None):
                if kept is not None and kept[0] == generation:
                    return kept[1]
            fingerprint = self._hash_searchable_chunks()
        finally:
            if not inside:
                db.execute("COMMIT")
        if not inside:
            self._fingerprint = (generation, fingerprint)
        elif hasattr(self._local, "pending"):  # inside one of `transaction`'s, not one begun by hand
            self._local.pending = (generation, fingerprint)
        return fingerprint

    def _hash_searchable_chunks(self) -> str:
        digest = hashlib.sha256()
        for row in self.db.execute(
            """SELECT c.id, c.item, c.context, c.text, c.fields_text, d.committee, d.meeting_date, d.kind,
                      d.visibility
               FROM chunks c JOIN documents d ON c.document_id = d.id WHERE c.duplicate_of IS NULL ORDER BY c.id"""
        ):
            digest.update("\x1f".join(str(value) for value in row).encode() + b"\x1e")
        return digest.hexdigest()[:32]


def _record_rows(paper: Paper, ids: list[str], chunks: list[tuple]) -> list[tuple]:
    """The paper's records as rows, each under its chunk's id (the first of each chunk row) and document."""
    rows: list[tuple] = []
    numbers: dict[tuple[int, str], int] = {}
    for position, record in enumerate(paper.records):
        number = numbers[record.chunk, record.kind] = numbers.get((record.chunk, record.kind), -1) + 1
        chunk = chunks[record.chunk][0]
        rows.append((record_id(chunk, record, number), ids[paper.chunks[record.chunk].document], chunk, position,
                     record.kind, record.text, json.dumps(record.fields, ensure_ascii=False)))
    return rows


def _marks(values: tuple[str, ...]) -> str:
    """SQL placeholders for `IN (...)`; an empty tuple matches nothing (an empty `IN ()` is what SQLite does)."""
    return ",".join("?" * len(values))


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.replace("’", "'").casefold()).strip()


def _link_web_minutes(db: sqlite3.Connection) -> list[str]:
    """Web minutes carry no date or committee: the agenda item whose description they repeat names the meeting.
    Returns the documents it linked."""
    linked: list[str] = []
    pending = db.execute(
        "SELECT id, title, fields FROM documents WHERE kind = 'web_minutes' AND meeting_id IS NULL"
    ).fetchall()
    for document in pending:
        description = _normalised(json.loads(document["fields"]).get("Description", ""))[:200]
        if len(description) < 40:
            continue
        for item in db.execute(
            "SELECT a.*, m.committee, m.date FROM agenda_items a JOIN meetings m ON a.meeting_id = m.id"
        ):
            if _normalised(item["description"]).startswith(description[:150]):
                db.execute(
                    "UPDATE documents SET meeting_id = ?, committee = ?, meeting_date = ?, item = ? WHERE id = ?",
                    (item["meeting_id"], item["committee"], item["date"], item["number"], document["id"]),
                )
                head = f"{item['committee']} | {human_date(item['date'])} | Item {item['number']} {item['title']}"
                db.execute(
                    "UPDATE chunks SET item = ?, context = ? || ' | ' || context WHERE document_id = ?",
                    (item["number"], head, document["id"]),
                )
                db.execute(
                    "UPDATE sources SET meeting_id = ? WHERE path = (SELECT source_path FROM documents WHERE id = ?)",
                    (item["meeting_id"], document["id"]),
                )
                linked.append(document["id"])
                break
    return linked


def _text_hashes(db: sqlite3.Connection, column: str, values: list[str]) -> set[str]:
    """The text hashes of the chunks of the documents whose `column` (`id` or `source_path`) is one of `values`."""
    return {row[0] for row in db.execute(
        f"""SELECT DISTINCT c.text_hash FROM chunks c JOIN documents d ON c.document_id = d.id
            WHERE d.{column} IN (SELECT value FROM json_each(?))""", (json.dumps(values),))}


def _mark_duplicates(db: sqlite3.Connection, hashes: set[str]) -> None:
    """Among chunks with the same text, the one inside a pack's agenda item, then the first stored, then the first
    in its file, is canonical (chunk positions are unique within a file, so there are no ties).

    Only the texts a write added, removed or moved into an agenda item (`hashes`) can change their canonical
    chunk, so only their chunks are ranked again (those of a text now held once only when still marked a copy),
    and only those whose canonical changed are written.
    """
    rows = db.execute(
        """SELECT c.id, c.text_hash, c.duplicate_of FROM chunks c JOIN documents d ON c.document_id = d.id
           JOIN sources s ON d.source_path = s.path
           WHERE c.text_hash IN (SELECT text_hash FROM chunks WHERE text_hash IN (SELECT value FROM json_each(?))
                                 GROUP BY text_hash HAVING count(*) > 1 OR count(duplicate_of) > 0)
           ORDER BY c.text_hash, c.item IS NULL, s.rowid, c.position""", (json.dumps(list(hashes)),))
    canonical: dict[str, str] = {}
    changed: list[tuple[str | None, str]] = []
    for row in rows:
        first = canonical.setdefault(row["text_hash"], row["id"])
        duplicate_of = None if first == row["id"] else first
        if row["duplicate_of"] != duplicate_of:
            changed.append((duplicate_of, row["id"]))
    db.executemany("UPDATE chunks SET duplicate_of = ? WHERE id = ?", changed)


def _drop_orphan_meetings(db: sqlite3.Connection) -> None:
    db.execute(
        "DELETE FROM meetings WHERE id NOT IN (SELECT meeting_id FROM documents WHERE meeting_id IS NOT NULL)"
    )
