"""What was asked in Slack and answered, and what people thought of it, in `$PAPERS_HOME/slack.db`.

An exchange keeps the question, the answer, the cited chunk ids, papers and quotes, who asked, where and when: the
"Show passages" button reads it back, a follow-up in the thread takes its question as context, and feedback is
stored against it, exportable (`papers feedback --json`) so the gold set can grow from real use.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from retrieval.contract import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY, team TEXT, channel TEXT NOT NULL, thread TEXT NOT NULL, user TEXT NOT NULL,
    question TEXT NOT NULL, asked TEXT NOT NULL, answered INTEGER NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_by_thread ON exchanges(channel, thread);
CREATE TABLE IF NOT EXISTS feedback (
    exchange INTEGER NOT NULL REFERENCES exchanges(id), user TEXT NOT NULL, helpful INTEGER NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (exchange, user)
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Exchanges:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self._lock = threading.Lock()  # one connection, shared by Bolt's worker threads one at a time

    def record(self, team: str, channel: str, thread: str, user: str, question: str, asked: str,
               response: Answer) -> int:
        """Keep an exchange; `question` as typed, `asked` as answered (with its thread's earlier question)."""
        citations = [citation.model_dump(include={"n", "chunk_id", "document", "quotes"})
                     for citation in response.citations]
        with self._lock:
            cursor = self.db.execute(
                "INSERT INTO exchanges (team, channel, thread, user, question, asked, answered, answer, citations, "
                "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (team, channel, thread, user, question, asked, int(response.answered), response.answer,
                 json.dumps(citations, ensure_ascii=False), _now()))
            return int(cursor.lastrowid)

    def get(self, exchange: int) -> dict | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM exchanges WHERE id = ?", (exchange,)).fetchone()
        return dict(row) | {"citations": json.loads(row["citations"])} if row else None

    def earlier_question(self, channel: str, thread: str) -> str | None:
        """The question last answered in this thread, as it was answered."""
        with self._lock:
            row = self.db.execute("SELECT asked FROM exchanges WHERE channel = ? AND thread = ? ORDER BY id DESC "
                                  "LIMIT 1", (channel, thread)).fetchone()
        return row["asked"] if row else None

    def rate(self, exchange: int, user: str, helpful: bool) -> bool:
        """A person's verdict on an answer (their latest click counts); False when there is no such exchange."""
        with self._lock:
            if not self.db.execute("SELECT 1 FROM exchanges WHERE id = ?", (exchange,)).fetchone():
                return False
            self.db.execute("INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?)",
                            (exchange, user, int(helpful), _now()))
            return True

    def export(self) -> list[dict]:
        """Every rated exchange with its verdicts: question, answer, cited chunk ids, user, time."""
        with self._lock:
            rows = self.db.execute(
                """SELECT e.*, f.user AS rated_by, f.helpful, f.at AS rated_at FROM feedback f
                   JOIN exchanges e ON e.id = f.exchange ORDER BY f.at, e.id""").fetchall()
        return [{
            "exchange": row["id"], "question": row["question"], "asked": row["asked"], "answer": row["answer"],
            "answered": bool(row["answered"]), "chunk_ids": [c["chunk_id"] for c in json.loads(row["citations"])],
            "asked_by": row["user"], "channel": row["channel"], "asked_at": row["at"],
            "helpful": bool(row["helpful"]), "rated_by": row["rated_by"], "rated_at": row["rated_at"],
        } for row in rows]
