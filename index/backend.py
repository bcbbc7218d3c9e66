"""An index backend: how the index is built from the store, opened for search, and put back after a failed write.

`papers/backends.py` chooses one by name (`PAPERS_INDEX_BACKEND`). The embedded backend keeps BM25 and FAISS in
this process, in build folders swapped in by rename (`storage.py`); a distributed engine (Qdrant: sparse BM25
vectors beside dense ones, payload filters, collections swapped by alias) implements the same four methods.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index.build import BuildReport, update_index
from index.embedding import Embedder
from index.fusion import Fusion
from index.search import Searcher
from index.storage import Layout, load_index, restore_link
from ingest.store import Store

Progress = Callable[[int], None]


@dataclass(frozen=True)
class OpenIndex:
    """A searcher over the current index; `behind` when the store has changed since it was built (it still
    serves what it holds, and nothing it returns is read without the store's own visibility check)."""

    searcher: Searcher
    behind: bool


class IndexBackend(Protocol):
    name: str

    def update(self, store: Store, on_start: Progress | None = None,
               on_embedded: Progress | None = None) -> BuildReport:
        """Bring the index up to date with the store and make it current."""

    def open(self, store: Store) -> OpenIndex:
        """The current index, for searching; an `IndexProblem` saying what to run when there is none."""

    def checkpoint(self) -> object:
        """A token for the index that is current now, to `restore` when a write fails after an update."""

    def restore(self, checkpoint: object) -> None:
        """Make the index of that token current again."""


class EmbeddedBackend:
    """BM25 and FAISS in this process; a build folder per update, the current one behind a link."""

    name = "embedded"

    def __init__(self, layout: Layout, fusion: Fusion, embedder: Embedder) -> None:
        self.layout = layout
        self.fusion = fusion
        self.embedder = embedder

    def update(self, store: Store, on_start: Progress | None = None,
               on_embedded: Progress | None = None) -> BuildReport:
        return update_index(store, self.layout, self.embedder, on_start, on_embedded)

    def open(self, store: Store) -> OpenIndex:
        loaded = load_index(self.layout, self.embedder)
        return OpenIndex(Searcher(loaded.index, self.fusion, loaded.glossary),
                         loaded.manifest.fingerprint != store.fingerprint())

    def checkpoint(self) -> Path | None:
        return self.layout.path.resolve() if self.layout.path.is_symlink() else None

    def restore(self, checkpoint: object) -> None:
        if isinstance(checkpoint, Path):
            restore_link(self.layout.path, checkpoint)
