"""Bring the index up to date with the store: only documents that changed are deleted and added again.

The sentences and rows answers are made of are embedded here too, into the embedding cache, so a question
never waits for them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.embedded import EmbeddedIndex
from index.embedding import Embedder
from index.entries import Entry, entry_of
from index.errors import IndexProblem
from index.glossary import Glossary, find_definitions
from index.storage import Layout, build_lock, load_index, manifest_of, write_index
from index.units import units_of
from ingest.store import Store


@dataclass
class BuildReport:
    chunks: int
    vectors: int
    documents_indexed: int
    documents_removed: int
    embedded: int
    acronyms: int
    dense: str
    seconds: float
    location: str  # where it is: the index link, or the engine's collection


@dataclass(frozen=True)
class Wanted:
    """What the store holds to be indexed, read once: its fingerprint first (a store changed meanwhile makes the
    build stale, not wrong), its chunks, and their entries by document."""

    fingerprint: str
    chunks: list[dict]
    documents: dict[str, list[Entry]]

    @classmethod
    def read(cls, store: Store, window_words: int) -> Wanted:
        fingerprint = store.fingerprint()
        chunks = store.chunks()
        documents: dict[str, list[Entry]] = defaultdict(list)
        for chunk in chunks:
            entry = entry_of(chunk, window_words)
            documents[entry.document_id].append(entry)
        if not documents:
            raise IndexProblem(f"The store at {store.path} holds no chunks: ingest papers first (`papers ingest`)")
        return cls(fingerprint, chunks, dict(documents))

    def changes(self, held: Iterable[tuple[str, str]]) -> tuple[set[str], list[str]]:
        """From the (document, digest) pairs an index holds: the documents to delete (changed or gone) and the ones
        to add (new or changed)."""
        digests: dict[str, list[str]] = defaultdict(list)
        for document_id, digest in held:
            digests[document_id].append(digest)
        stale = {doc for doc, kept in digests.items()
                 if sorted(kept) != sorted(entry.digest for entry in self.documents.get(doc, []))}
        fresh = [doc for doc in self.documents if doc not in digests or doc in stale]
        return stale, fresh

    def glossary(self) -> Glossary:
        """The acronyms every chunk wanted defines."""
        return Glossary(find_definitions(entry.lexical_text for entries in self.documents.values()
                                         for entry in entries))

    def answer_texts(self, documents: Iterable[str]) -> list[str]:
        """The sentences and rows of these documents' chunks as answers embed them."""
        renewed = set(documents)
        return [unit.embedded_text for chunk in self.chunks if chunk["document_id"] in renewed
                for unit in units_of(chunk["id"], chunk["text"], chunk["fields_text"],
                                     chunk["section"] or chunk["document_title"] or "")]


def update_index(
    store: Store, layout: Layout, embedder: Embedder,
    on_start: Callable[[int], None] | None = None, on_embedded: Callable[[int], None] | None = None,
) -> BuildReport:
    """Update (or first build) the index at `layout.path` from the store's searchable chunks.

    `on_start` is told how many texts may need embedding and `on_embedded` how many are done, for a progress bar.
    """
    with build_lock(layout.path):
        return _update(store, layout, embedder, on_start, on_embedded)


def _update(
    store: Store, layout: Layout, embedder: Embedder,
    on_start: Callable[[int], None] | None, on_embedded: Callable[[int], None] | None,
) -> BuildReport:
    started = time.perf_counter()
    wanted = Wanted.read(store, layout.window_words)
    try:
        index = load_index(layout, embedder).index
    except IndexProblem:
        index = EmbeddedIndex(embedder, layout.ann_min_vectors)
    stale, fresh = wanted.changes((entry.document_id, entry.digest) for entry in index.entries)
    for document_id in stale:
        index.delete_document(document_id)
    additions = [entry for doc in fresh for entry in wanted.documents[doc]]
    unit_texts = wanted.answer_texts(fresh)
    if on_start:
        on_start(sum(len(entry.dense_texts) for entry in additions) + len(unit_texts))
    index.on_embedded = on_embedded
    embedded_before = embedder.computed
    index.add(additions)
    embedder.embed(unit_texts, on_progress=on_embedded)  # into the cache, so answering never waits for them
    manifest = manifest_of(index, embedder.name, layout.window_words, wanted.fingerprint)
    glossary = wanted.glossary()
    write_index(index, glossary, layout.path, manifest)
    return BuildReport(
        chunks=len(index), vectors=len(index.vectors), documents_indexed=len(fresh),
        documents_removed=sum(doc not in wanted.documents for doc in stale),
        embedded=embedder.computed - embedded_before, acronyms=len(glossary.definitions), dense=manifest.dense,
        seconds=time.perf_counter() - started, location=str(layout.path),
    )
