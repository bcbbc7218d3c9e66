"""Which committees each Slack conversation follows, and which new papers each has been told of, in `slack.db`.

`/papers follow COMMITTEE` keeps a follow with the workspace and the person who asked (a DM's role is its
person's); a digest of new papers (`bot/digest.py`) claims each paper for a conversation before posting it, so a
paper is posted to a conversation once, however often the same papers are synced, and gives the claim back when
Slack refuses the message.
"""

from __future__ import annotations

import difflib
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS follows (
    channel TEXT NOT NULL, committee TEXT NOT NULL, team TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (channel, committee)
);
CREATE TABLE IF NOT EXISTS told (
    channel TEXT NOT NULL, document TEXT NOT NULL, meeting TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (channel, document)
);
"""
CLOSE = 5  # names offered when a committee asked for is not found


@dataclass(frozen=True)
class Follower:
    """A conversation that follows committees: where it is, who set it up, and what it follows."""

    channel: str
    team: str
    user: str
    committees: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A committee name as typed, matched against names: the one meant, else the candidates to offer."""

    found: str | None
    candidates: tuple[str, ...] = ()
    several: bool = False


def match_committee(typed: str, names: list[str]) -> Match:
    """The committee `typed` means among `names`, ignoring case: the name itself, else the one name it begins,
    else the one name holding it. Several matches, or none, give names to offer (the matches, else the close
    ones)."""
    wanted = " ".join(typed.split()).casefold()
    folded = {name: name.casefold() for name in names}
    for test in (str.__eq__, str.startswith, str.__contains__):
        found = [name for name, fold in folded.items() if wanted and test(fold, wanted)]
        if len(found) == 1:
            return Match(found[0])
        if found:
            return Match(None, tuple(found), several=True)
    close = difflib.get_close_matches(wanted, list(folded.values()), n=CLOSE, cutoff=0.4)
    words = set(wanted.split())
    sharing = [fold for fold in folded.values() if words & set(fold.split())]
    offered = list(dict.fromkeys([*close, *sharing]))[:CLOSE]
    return Match(None, tuple(name for name, fold in folded.items() if fold in offered))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Follows:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self._lock = threading.Lock()  # one connection, shared by Bolt's worker threads one at a time

    def close(self) -> None:
        self.db.close()

    def follow(self, channel: str, committee: str, team: str, user: str) -> bool:
        """Follow a committee here; False when this conversation follows it already."""
        with self._lock:
            cursor = self.db.execute("INSERT OR IGNORE INTO follows VALUES (?, ?, ?, ?, ?)",
                                     (channel, committee, team, user, _now()))
        return cursor.rowcount == 1

    def unfollow(self, channel: str, committee: str | None = None) -> list[str]:
        """Stop following one committee here, or every one; the committees no longer followed."""
        with self._lock:
            gone = [name for name in self._following(channel) if committee in (None, name)]
            self.db.executemany("DELETE FROM follows WHERE channel = ? AND committee = ?",
                                [(channel, name) for name in gone])
        return gone

    def following(self, channel: str) -> list[str]:
        """The committees this conversation follows, by name."""
        with self._lock:
            return self._following(channel)

    def _following(self, channel: str) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT committee FROM follows WHERE channel = ? ORDER BY committee", (channel,))]

    def followers(self) -> list[Follower]:
        """Every conversation that follows something, as the latest follow there describes it."""
        with self._lock:
            rows = self.db.execute("SELECT channel, committee, team, user FROM follows ORDER BY channel, at, committee"
                                   ).fetchall()
        found: dict[str, Follower] = {}
        for channel, committee, team, user in rows:
            earlier = found.get(channel)
            found[channel] = Follower(channel, team, user, (*(earlier.committees if earlier else ()), committee))
        return list(found.values())

    def told_of(self, channel: str, meeting: str) -> int:
        """How many papers of this meeting this conversation has been told of."""
        with self._lock:
            return self.db.execute("SELECT count(*) FROM told WHERE channel = ? AND meeting = ?",
                                   (channel, meeting)).fetchone()[0]

    def claim(self, channel: str, meeting: str, documents: list[str]) -> list[str]:
        """The documents not yet told of here, now marked as told (so a run beside this one leaves them alone)."""
        claimed = []
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for document in documents:
                    cursor = self.db.execute("INSERT OR IGNORE INTO told VALUES (?, ?, ?, ?)",
                                             (channel, document, meeting, _now()))
                    if cursor.rowcount == 1:
                        claimed.append(document)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return claimed

    def release(self, channel: str, documents: list[str]) -> None:
        """Give back a claim whose message Slack refused: the next digest tries again."""
        with self._lock:
            self.db.executemany("DELETE FROM told WHERE channel = ? AND document = ?",
                                [(channel, document) for document in documents])
