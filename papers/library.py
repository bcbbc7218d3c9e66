"""The library of papers: one store and the current index, the core every front end (CLI, API, bot, eval) serves.

Reads go through a role's `View` (`view.py`), taken from the current `Snapshot` when a request starts and kept
to its end, so an index swapped in by a write never changes under a request in flight. Writes (ingest, upload,
delete, reindex) are one at a time and all or nothing: the store changes inside a transaction that commits only
once the index built from it (which reads the store through that same transaction) is current; when any step
fails, the transaction rolls back and the index backend puts back the index it replaced.

A process that died between ingesting and indexing, or part way through a build, leaves the last good index
behind the store. It is opened as it is (the snapshot says `behind`) and keeps serving; a process that lives long
(`papers serve`, `papers slack`) calls `catch_up` to rebuild it in the background, one write among the others,
and reads move to the new index when it is done.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.build import BuildReport
from index.search import Searcher
from ingest.ocr import Progress
from ingest.pipeline import FileResult, Summary, ingest_file, ingest_paths
from ingest.reader import looks_like_pdf
from ingest.store import Store
from papers import backends
from papers.settings import Settings
from papers.view import View
from retrieval.ask import Answerer

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(ValueError):
    """The file is not a paper we can read (its content, not its name, decides)."""


@dataclass(frozen=True)
class Snapshot:
    """One index, with the answerer over it; `behind` when the store has changed since it was built."""

    searcher: Searcher
    answerer: Answerer
    behind: bool = False


class Library:
    """Build it once per process and share it: it holds the store, the loaded index and the embedding model."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.database)
        self.embedder = backends.embedder(settings)
        self.index = backends.index_backend(settings, self.embedder)
        self.generator = backends.generator(settings)
        self.reading = backends.reading(settings)
        self._writing = threading.RLock()
        self._current: Snapshot | None = None
        self._catching_up: threading.Thread | None = None
        self._starting = threading.Lock()  # two callers of `catch_up` start one rebuild

    @property
    def current(self) -> Snapshot:
        """The snapshot reads start from; the index is opened on first use (an `IndexProblem` when there is none)."""
        if self._current is None:
            with self._writing:
                if self._current is None:
                    self._current = self._open()
                    gc.freeze()  # the first index lives as long as the process: spare it the collector's passes
        return self._current

    def view(self, role: str) -> View:
        """What `role` may see of the papers, as they are now: the only way to read them."""
        return View(self.store, role, lambda: self.current)

    def warm(self) -> None:
        """Open the index and load the model now, not on the first request."""
        self.current.answerer.embedder.query("warm up")

    def catch_up(self) -> threading.Thread | None:
        """When the index in use is behind the store, bring it up to date in a background thread while reads go
        on from it; the thread (the one already running, if any), or None when the index is current. The rebuild
        waits its turn with uploads and deletes; if it fails, the failure is logged and the old index serves on."""
        with self._starting:
            if self._catching_up is not None and self._catching_up.is_alive():
                return self._catching_up
            if not self.current.behind:
                return None
            log.warning("The index is behind the store: serving it as it is while it is brought up to date")
            self._catching_up = threading.Thread(target=self._catch_up, name="index catch-up", daemon=True)
            self._catching_up.start()
            return self._catching_up

    def _catch_up(self) -> None:
        try:
            report = self.reindex()
        except Exception:
            log.exception("Bringing the index up to date failed: the index it had serves on; run `papers index`")
            return
        log.info("The index is up to date: %d documents indexed, %d removed, %d texts embedded in %.0f s",
                 report.documents_indexed, report.documents_removed, report.embedded, report.seconds)

    def _open(self) -> Snapshot:
        opened = self.index.open(self.store)
        return Snapshot(opened.searcher, Answerer(opened.searcher, self.store, self.generator), opened.behind)

    def ingest(self, paths: list[Path], on_file: Callable[[FileResult], None] | None = None,
               on_pages: Progress | None = None) -> Summary:
        """Read papers into the store, one transaction per file; a bad file is reported and the others go on.
        `on_pages` counts the pages read by OCR. The index is not touched: `reindex` brings it up to date."""
        return ingest_paths(paths, self.store, self.reading, on_file, on_pages)

    def reindex(self, on_start: Callable[[int], None] | None = None,
                on_embedded: Callable[[int], None] | None = None) -> BuildReport:
        """Bring the index up to date with the store and make it the one reads start from (opened now when reads
        have begun, else on the first read: `papers ingest` never loads what it built)."""
        with self._writing:
            report = self.index.update(self.store, on_start, on_embedded)
            if self._current is not None:
                self._current = self._open()
            return report

    def add(self, filename: str, data: bytes) -> FileResult:
        """Ingest and index an uploaded paper; refused (and nothing kept) when it cannot be read."""
        suffix = ".pdf" if looks_like_pdf(data) else ".txt"  # typed by content, as the reader types it
        stem = _UNSAFE.sub("-", Path(filename).stem).strip("-.")[:80] or "paper"
        digest = hashlib.sha256(data).hexdigest()[:16]
        with self._writing:
            self.settings.uploads.mkdir(parents=True, exist_ok=True)
            known = next(self.settings.uploads.glob(f"{digest}-*"), None)  # these bytes, under any name
            path = known or self.settings.uploads / f"{digest}-{stem}{suffix}"
            path.write_bytes(data)
            try:
                with self.store.transaction():
                    result = ingest_file(path, self.store, self.reading)
                    if result.status == "failed":
                        raise UploadRefused(str(result.error).replace(str(path.resolve()), filename))
                    if result.status == "ingested":
                        self._swap()
            except BaseException:
                if known is None:
                    path.unlink(missing_ok=True)
                raise
            return result

    def remove(self, document_id: str) -> bool:
        """Take a document out of the store and the index; False when there is no such document. An uploaded
        file none of whose documents is left goes too."""
        with self._writing:
            with self.store.transaction():
                source = self.store.delete_document(document_id)
                if source is None:
                    return False
                self._swap()
            uploaded = Path(source)
            if uploaded.parent == self.settings.uploads.resolve() and source not in self.store.paths():
                uploaded.unlink(missing_ok=True)
            return True

    def _swap(self) -> None:
        """Bring the index up to date with the store (as this thread's transaction sees it) and make it current;
        on failure the index it replaced is current again."""
        previous = self.index.checkpoint()
        self.index.update(self.store)
        try:
            self._current = self._open()
        except BaseException:
            self.index.restore(previous)
            raise

    def close(self) -> None:
        self.store.close()
