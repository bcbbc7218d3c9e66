"""One sync of one site: its committees' meetings in a date window, each document fetched if changed and ingested
with what the site says of it, one transaction per document, and a report of what happened to each.

A document is downloaded to a `.part` file and moved into place whole, then ingested and noted as held in one
transaction; a run killed anywhere leaves either the old version and its note, or the new one and its note (a
file moved but not yet noted is fetched again, its ETag being the old one's). Nothing held is downloaded again:
the site is asked with the ETag and Last-Modified it gave, and a 304 costs no bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ingest.given import Given
from ingest.pipeline import Reading, ingest_file
from ingest.reader import looks_like_pdf
from ingest.store import Store
from sync.http import AccessDenied, Fetcher, FetchError
from sync.model import Committee, Connector, RemoteDocument, RemoteMeeting
from sync.state import Held, Source, SyncState

BACK = timedelta(days=365)  # the default window: the last 12 months …
AHEAD = timedelta(weeks=4)  # … and the next 4 weeks
NEW, CHANGED, UNCHANGED, REFUSED, FAILED = "new", "changed", "unchanged", "refused", "failed"
OUTCOMES = (NEW, CHANGED, UNCHANGED, REFUSED, FAILED)


class SyncError(Exception):
    """A sync that cannot start (an unknown committee, a site that refuses us), naming what is wrong."""


@dataclass(frozen=True)
class Window:
    """The meeting dates synced, both ends included."""

    start: date
    end: date

    @classmethod
    def default(cls, today: date | None = None) -> Window:
        today = today or date.today()
        return cls(today - BACK, today + AHEAD)


@dataclass
class Fetched:
    """What happened to one of the site's documents."""

    committee: str
    meeting: str  # the meeting's date, ISO
    title: str
    url: str
    outcome: str
    reason: str | None = None
    document_ids: list[str] = field(default_factory=list)  # the store's documents read from it (new or changed)


@dataclass
class CommitteeReport:
    name: str
    meetings: int = 0
    cancelled: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))


@dataclass
class Report:
    """A run of one source: per committee counts, each document's fate, and why it stopped if it did."""

    source: str
    committees: list[CommitteeReport] = field(default_factory=list)
    documents: list[Fetched] = field(default_factory=list)
    stopped: str | None = None  # the site refused us, or a committee's meetings could not be listed

    def total(self, outcome: str) -> int:
        return sum(report.counts[outcome] for report in self.committees)

    @property
    def succeeded(self) -> bool:
        """Anything could be synced: a document held (new, changed or unchanged) or a meeting seen."""
        return (any(self.total(outcome) for outcome in (NEW, CHANGED, UNCHANGED))
                or (self.stopped is None and any(report.meetings for report in self.committees)))

    @property
    def added(self) -> list[str]:
        """The store's documents this run added or changed, for the digest of new papers."""
        return [document_id for fetched in self.documents for document_id in fetched.document_ids]

    def as_dict(self) -> dict:
        return asdict(self)


def choose_committees(listed: list[Committee], asked: tuple[str, ...], base: str) -> list[Committee]:
    """The committees asked for, by id or name (exactly, else the one whose name holds it); all when none asked."""
    if not asked:
        return listed
    chosen = []
    for wanted in asked:
        exact = [c for c in listed if wanted == c.id or wanted.casefold() == c.name.casefold()]
        near = exact or [c for c in listed if wanted.casefold() in c.name.casefold()]
        if len(near) != 1:
            names = "; ".join(c.name for c in (near or listed)[:12])
            problem = "matches several committees" if near else "matches no committee"
            raise SyncError(f"--committee {wanted!r} {problem} of {base}: {names}")
        chosen.append(near[0])
    return list(dict.fromkeys(chosen))


class Syncer:
    """Syncs sites into one store: downloads under `folder`, reads them as `reading` says."""

    def __init__(self, store: Store, reading: Reading, folder: Path, fetcher: Fetcher) -> None:
        self.store, self.reading, self.folder, self.fetcher = store, reading, folder, fetcher
        self.state = SyncState(store)

    def run(self, connector: Connector, source: Source, window: Window,
            on_committee: Callable[[str, int], None] | None = None,
            on_document: Callable[[Fetched], None] | None = None) -> Report:
        """Sync every committee asked of `source`; a committee whose meetings cannot be listed is reported and the
        others go on; a site that refuses us (401, 403) stops the run."""
        report = Report(source.id)
        try:
            committees = choose_committees(connector.committees(), source.committees, source.base)
            self.state.remember(source)  # once the site answers and knows what was asked of it
            for committee in committees:
                done = CommitteeReport(committee.name)
                report.committees.append(done)
                try:
                    meetings = connector.meetings(committee, window.start, window.end)
                except AccessDenied:
                    raise
                except FetchError as error:
                    report.stopped = f"{committee.name}: meetings could not be listed ({error})"
                    continue
                if on_committee:
                    on_committee(committee.name, sum(len(m.documents) for m in meetings if not m.cancelled))
                for meeting in meetings:
                    self._meeting(source, meeting, done, report, on_document)
        except AccessDenied as error:
            report.stopped = str(error)
        except FetchError as error:
            report.stopped = f"committees could not be listed ({error})"
        self.state.finished(source, report.as_dict(), report.succeeded)
        return report

    def _meeting(self, source: Source, meeting: RemoteMeeting, done: CommitteeReport, report: Report,
                 on_document: Callable[[Fetched], None] | None) -> None:
        done.meetings += 1
        self.state.meeting_seen(source, meeting.id, meeting.committee.name, meeting.date.isoformat(), meeting.time,
                                meeting.venue, meeting.status, meeting.url)
        if meeting.cancelled:
            done.cancelled += 1
            return
        for document in meeting.documents:
            fetched = self._document(source, meeting, document)
            done.counts[fetched.outcome] += 1
            report.documents.append(fetched)
            if on_document:
                on_document(fetched)

    def _document(self, source: Source, meeting: RemoteMeeting, document: RemoteDocument) -> Fetched:
        given = given_by(meeting, document)
        fetched = Fetched(meeting.committee.name, meeting.date.isoformat(), document.title, document.url, FAILED)
        held = self.state.held(source, document.id)
        path = Path(held.path) if held else self.folder / _safe(source.id) / f"{_safe(document.id)}.pdf"
        current = held is not None and held.url == document.url and (path.exists() or held.outcome == REFUSED)
        try:
            got = self.fetcher.download(document.url, *((held.etag, held.last_modified) if current else (None, None)))
            if current and (not got.modified or hashlib.sha256(got.content).hexdigest() == held.sha256):
                if held.given == given.fingerprint:
                    fetched.outcome = REFUSED if held.outcome == REFUSED else UNCHANGED
                    fetched.reason = held.reason
                    return fetched
                if not path.exists():  # refused before and not kept; the site's facts about it changed
                    got = self.fetcher.download(document.url)
        except AccessDenied:
            raise
        except FetchError as error:
            fetched.reason = error.reason
            return fetched
        content = got.content if got.modified else path.read_bytes()
        if not looks_like_pdf(content):
            kind = got.content_type.split(";")[0] or "no content type"
            fetched.outcome, fetched.reason = REFUSED, f"the site sent {kind}, not a PDF"
            self.state.hold(source, document.id, meeting.id, Held(
                document.url, str(path), got.etag, got.last_modified, hashlib.sha256(content).hexdigest(),
                given.fingerprint, REFUSED, fetched.reason))
            return fetched
        return self._keep(source, meeting, document, given, content, path, got.etag, got.last_modified,
                          fetched, renewed=held is not None and held.outcome != REFUSED)

    def _keep(self, source: Source, meeting: RemoteMeeting, document: RemoteDocument, given: Given, content: bytes,
              path: Path, etag: str | None, last_modified: str | None, fetched: Fetched, renewed: bool) -> Fetched:
        """Move the bytes into place whole, then ingest them and note them as held in one transaction."""
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        with open(part, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
        sha256 = hashlib.sha256(content).hexdigest()
        with self.store.transaction() as db:
            result = ingest_file(path, self.store, self.reading, given)
            refused = result.status == "failed"
            reason = _without_path(result.error or "", path) if refused else None
            self.state.hold(source, document.id, meeting.id, Held(
                document.url, str(path), etag, last_modified, sha256, given.fingerprint,
                REFUSED if refused else "ingested", reason))
            if refused:
                fetched.outcome, fetched.reason = REFUSED, reason
                return fetched
            fetched.outcome = CHANGED if renewed else NEW
            fetched.document_ids = [row["id"] for row in db.execute(
                "SELECT id FROM documents WHERE source_path = ? ORDER BY position", (str(path.resolve()),))]
        return fetched


def given_by(meeting: RemoteMeeting, document: RemoteDocument) -> Given:
    """What the site says of one document, as ingest takes it."""
    items = {item.number: item for item in meeting.items}
    item = items.get(document.item) if document.item else None
    return Given(
        committee=meeting.committee.name, date=meeting.date.isoformat(), time=meeting.time, venue=meeting.venue,
        items=tuple((item.number, item.title) for item in meeting.items), item=document.item, title=document.title,
        restricted=document.restricted or bool(item and item.restricted), published=document.published,
    )


def _safe(text: str) -> str:
    """A file name from a site's id or address."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:120] or "document"


def _without_path(error: str, path: Path) -> str:
    """An ingest error about a downloaded file, without the local path its title already stands for."""
    return error.replace(f"{path.resolve()}: ", "").replace(str(path.resolve()), "the file")
