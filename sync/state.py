"""What sync remembers, in the papers' own store: the sites synced, the meetings seen, each document's version.

Kept in the same SQLite file as the papers, so a document's new version and the note that we hold it are written
in one transaction (`Store.transaction`): a sync killed at any point resumes from a state that matches the papers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_sources (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, base TEXT NOT NULL, committees TEXT NOT NULL, added_at TEXT NOT NULL,
    last_run TEXT, last_success TEXT, last_report TEXT
);
CREATE TABLE IF NOT EXISTS sync_meetings (
    source TEXT NOT NULL REFERENCES sync_sources(id) ON DELETE CASCADE, remote_id TEXT NOT NULL,
    committee TEXT NOT NULL, date TEXT NOT NULL, time TEXT, venue TEXT, status TEXT NOT NULL, url TEXT,
    seen_at TEXT NOT NULL, PRIMARY KEY (source, remote_id)
);
CREATE TABLE IF NOT EXISTS sync_documents (
    source TEXT NOT NULL REFERENCES sync_sources(id) ON DELETE CASCADE, remote_id TEXT NOT NULL,
    meeting TEXT NOT NULL, url TEXT NOT NULL, path TEXT NOT NULL, etag TEXT, last_modified TEXT,
    sha256 TEXT NOT NULL, given TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT, synced_at TEXT NOT NULL,
    PRIMARY KEY (source, remote_id)
);
"""


@dataclass(frozen=True)
class Source:
    """A committee site synced before: `papers sync` with no source syncs them all again."""

    id: str  # "moderngov:https://democracy.example.gov.uk"
    kind: str
    base: str
    committees: tuple[str, ...] = ()  # names or ids asked for; empty: every committee
    last_success: str | None = None

    @classmethod
    def of(cls, kind: str, base: str, committees: tuple[str, ...] = ()) -> Source:
        return cls(f"{kind}:{base}", kind, base, committees)


@dataclass(frozen=True)
class Held:
    """The version of a site's document the store holds, and how it went when it was fetched."""

    url: str
    path: str
    etag: str | None
    last_modified: str | None
    sha256: str
    given: str  # the site's facts about it, as ingested (`Given.fingerprint`)
    outcome: str  # ingested, refused
    reason: str | None = None  # why it was refused


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SyncState:
    """Reads and writes of sync's tables, through the store's connection and transactions."""

    def __init__(self, store: Store) -> None:
        self.store = store
        store.db.executescript(SCHEMA)

    def remember(self, source: Source) -> None:
        """Save a source (or the committees now asked of it) so later runs sync it again."""
        with self.store.transaction() as db:
            db.execute("""INSERT INTO sync_sources (id, kind, base, committees, added_at) VALUES (?, ?, ?, ?, ?)
                          ON CONFLICT(id) DO UPDATE SET committees = excluded.committees""",
                       (source.id, source.kind, source.base, json.dumps(list(source.committees)), now()))

    def sources(self) -> list[Source]:
        return [Source(row["id"], row["kind"], row["base"], tuple(json.loads(row["committees"])),
                       row["last_success"])
                for row in self.store.db.execute("SELECT * FROM sync_sources ORDER BY id")]

    def forget(self, source_id: str) -> bool:
        """Stop syncing a source (its papers stay in the store); False when there is no such source."""
        with self.store.transaction() as db:
            return db.execute("DELETE FROM sync_sources WHERE id = ?", (source_id,)).rowcount > 0

    def finished(self, source: Source, report: dict, succeeded: bool) -> None:
        """A run's end: its report kept, and its time as the last success when anything could be synced."""
        with self.store.transaction() as db:
            stamp = now()
            db.execute("UPDATE sync_sources SET last_run = ?, last_report = ?, "
                       "last_success = CASE WHEN ? THEN ? ELSE last_success END WHERE id = ?",
                       (stamp, json.dumps(report), succeeded, stamp, source.id))

    def meeting_seen(self, source: Source, remote_id: str, committee: str, day: str, time: str | None,
                     venue: str | None, status: str, url: str | None) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO sync_meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (source.id, remote_id, committee, day, time, venue, status, url, now()))

    def held(self, source: Source, remote_id: str) -> Held | None:
        row = self.store.db.execute(
            "SELECT url, path, etag, last_modified, sha256, given, outcome, reason FROM sync_documents "
            "WHERE source = ? AND remote_id = ?", (source.id, remote_id)).fetchone()
        return Held(*row) if row else None

    def hold(self, source: Source, remote_id: str, meeting: str, held: Held) -> None:
        """Note the version now held; call it inside the transaction that ingested it."""
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO sync_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (source.id, remote_id, meeting, held.url, held.path, held.etag, held.last_modified,
                        held.sha256, held.given, held.outcome, held.reason, now()))


def last_successes(store: Store) -> dict[str, str | None]:
    """Each source's last successful sync, for `/health`; reading writes nothing (no sources yet: none)."""
    if not store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sync_sources'").fetchone():
        return {}
    return {row["id"]: row["last_success"] for row in store.db.execute("SELECT id, last_success FROM sync_sources")}
