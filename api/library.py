"""The papers the API serves: one store and the current index, shared by every request.

Reads take the current `Snapshot` (searcher and answerer over one index) when they start and keep it, so a new
index swapped in by an upload or a delete never changes under a request in flight. Writes (upload, delete) are
one at a time and all or nothing: the store changes inside a transaction that commits only once the index built
from it (which reads the store through that same transaction) is in place; when any step fails, the transaction
rolls back and the index link is pointed back at the build it replaced.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from index.build import update_index
from index.search import Searcher
from index.storage import open_searcher, restore_link
from ingest.pipeline import FileResult, ingest_file
from ingest.reader import looks_like_pdf
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
        embedder = self.current.searcher.index.embedder if hasattr(self, "current") else None
        searcher = open_searcher(self.settings, self.store, embedder)
        return Snapshot(searcher, Answerer(searcher, self.store, Generator.from_settings(self.settings)))

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
                    result = ingest_file(path, self.store, self.settings)
                    if result.status == "failed":
                        raise UploadRefused(str(result.error).replace(str(path.resolve()), filename))
                    if result.status == "ingested":
                        self._reindex()
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
                self._reindex()
            uploaded = Path(source)
            if uploaded.parent == self.settings.uploads.resolve() and source not in self.store.paths():
                uploaded.unlink(missing_ok=True)
            return True

    def _reindex(self) -> None:
        """Bring the index up to date with the store (as this thread's transaction sees it) and swap it in."""
        previous = self.settings.index_path.resolve()
        update_index(self.store, self.settings, self.current.searcher.index.embedder)
        try:
            self.current = self._open()
        except BaseException:
            restore_link(self.settings.index_path, previous)
            raise
