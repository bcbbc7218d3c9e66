"""Bring the index up to date with the store: only documents that changed are deleted and added again.

The sentences and rows answers are made of are embedded here too, into the embedding cache, so a question
never waits for them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
    folder: Path


def _by_document(entries: list[Entry]) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        grouped[entry.document_id].append(entry)
    return grouped


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
    fingerprint = store.fingerprint()  # read first: a store changed meanwhile makes this build stale, not wrong
    chunks = store.chunks()
    wanted = _by_document([entry_of(chunk, layout.window_words) for chunk in chunks])
    if not wanted:
        raise IndexProblem(f"The store at {store.path} holds no chunks: ingest papers first (`papers ingest`)")
    try:
        index = load_index(layout, embedder).index
    except IndexProblem:
        index = EmbeddedIndex(embedder, layout.hnsw_min_vectors)
    held = _by_document(index.entries)
    stale = {doc for doc, entries in held.items()
             if [e.digest for e in entries] != [e.digest for e in wanted.get(doc, [])]}
    fresh = [doc for doc in wanted if doc not in held or doc in stale]
    for document_id in stale:
        index.delete_document(document_id)
    additions = [entry for doc in fresh for entry in wanted[doc]]
    renewed = set(fresh)
    unit_texts = [unit.embedded_text for chunk in chunks if chunk["document_id"] in renewed
                  for unit in units_of(chunk["id"], chunk["text"], chunk["fields_text"],
                                       chunk["section"] or chunk["document_title"] or "")]
    if on_start:
        on_start(sum(len(entry.dense_texts) for entry in additions) + len(unit_texts))
    index.on_embedded = on_embedded
    embedded_before = embedder.computed
    index.add(additions)
    embedder.embed(unit_texts, on_progress=on_embedded)  # into the cache, so answering never waits for them
    manifest = manifest_of(index, embedder.name, layout.window_words, fingerprint)
    glossary = Glossary(find_definitions(entry.lexical_text for entry in index.entries))
    folder = write_index(index, glossary, layout.path, manifest)
    return BuildReport(
        chunks=len(index), vectors=len(index.vectors), documents_indexed=len(fresh),
        documents_removed=sum(doc not in wanted for doc in stale), embedded=embedder.computed - embedded_before,
        acronyms=len(glossary.definitions), dense=manifest.dense, seconds=time.perf_counter() - started, folder=folder,
    )
