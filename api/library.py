"""The papers the API serves: one store and the current index, shared by every request.

Reads take the current `Snapshot` (searcher and answerer over one index) when they start and keep it, so a new
index swapped in by an upload or a delete never changes under a request in flight. Writes (upload, delete) are
one at a time: ingest in a transaction, bring the index up to date (written beside the old one and swapped in by
rename), then swap the snapshot. When any step fails the store is put back as it was and the old index stays.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from index.build import update_index
from index.search import Searcher
from index.storage import open_searcher
from ingest.pipeline import FileResult, ingest_file
from ingest.store import Store
from papers.settings import Settings
from retrieval.ask import Answerer
from retrieval.generation import Generator

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(ValueError):
    """The file is not a paper we can read (its content, not its name, decides)."""


@dataclass(frozen=True)
class Snapshot:
    searcher: Searcher
    answerer: Answerer


class Library:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.database)
        self._writing = threading.Lock()
        self.current = self._open()
        self.current.searcher.index.embedder.query("warm up")  # load the model now, not on the first request

    def _open(self) -> Snapshot:
        searcher = open_searcher(self.settings, self.store)
        return Snapshot(searcher, Answerer(searcher, self.store, Generator.from_settings(self.settings)))

    def add(self, filename: str, data: bytes) -> FileResult:
        """Ingest and index an uploaded paper; refused (and nothing kept) when it cannot be read."""
        suffix = ".pdf" if data.startswith(b"%PDF-") else ".txt"  # typed by content; the reader checks further
        stem = _UNSAFE.sub("-", Path(filename).stem).strip("-.")[:80] or "paper"
        digest = hashlib.sha256(data).hexdigest()[:16]
        with self._writing:
            self.settings.uploads.mkdir(parents=True, exist_ok=True)
            same = next(self.settings.uploads.glob(f"{digest}-*"), None)  # these bytes, under any name
            known = same is not None
            path = same or self.settings.uploads / f"{digest}-{stem}{suffix}"
            path.write_bytes(data)
            result = ingest_file(path, self.store, self.settings)
            if result.status == "failed":
                if not known:
                    path.unlink(missing_ok=True)
                raise UploadRefused(result.error.replace(str(path.resolve()), filename) if result.error else filename)
            if result.status == "ingested":
                try:
                    self._reindex()
                except BaseException:
                    self.store.forget([result.path])
                    path.unlink(missing_ok=True)
                    raise
            return result

    def remove(self, document_id: str) -> bool:
        """Take a document out of the store and the index; False when there is no such document.

        The deletion commits only once the index without it is in place: indexing reads the store through the
        same (uncommitted) transaction, and a failure rolls it back."""
        with self._writing, self.store.transaction() as db:
            if not self.store.delete_document(db, document_id):
                return False
            self._reindex()
            return True

    def _reindex(self) -> None:
        update_index(self.store, self.settings, self.current.searcher.index.embedder)
        self.current = self._open()
