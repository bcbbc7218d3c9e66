"""The embedded engine: BM25 and FAISS in this process, kept in a folder of plain files.

Adding and deleting change the rows. BM25 follows at once, tokenising only the chunks added (`lexical.py`); so does
a large (IVF) dense index, in place. A flat one is rebuilt from the vectors when next needed, which takes a second
at 100k chunks because embeddings come from the cache, not the model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.dense import Dense
from index.embedding import Embedder
from index.entries import Entry, Held
from index.filters import Fields, Filter
from index.fusion import Fused, Fusion, retrieved_and_fused
from index.interface import Scored
from index.lexical import Lexical
from index.tokens import tokenize


class EmbeddedIndex:
    def __init__(self, embedder: Embedder, ann_min_vectors: int) -> None:
        self.embedder = embedder
        self.ann_min_vectors = ann_min_vectors
        self.entries: list[Held] = []
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        self.owners = np.zeros(0, dtype=np.int64)  # the entry row each vector belongs to
        self.on_embedded: Callable[[int], None] | None = None
        self.lexical_index = Lexical.build([])
        self._dense: Dense | None = None
        self._fields: Fields | None = None

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.size else 0

    def add(self, entries: Sequence[Entry]) -> None:
        if entries:
            texts = [text for entry in entries for text in entry.dense_texts]
            self.add_embedded(entries, self.embedder.embed(texts, self.on_embedded))

    def add_embedded(self, entries: Sequence[Entry], vectors: np.ndarray) -> None:
        """Add entries whose vectors (one per dense text, in order) are already known."""
        owners = np.repeat(np.arange(len(self.entries), len(self.entries) + len(entries)),
                           [len(entry.dense_texts) for entry in entries])
        self.vectors = np.vstack([self.vectors, vectors]) if self.vectors.size else vectors
        self.owners = np.concatenate([self.owners, owners])
        self.entries += [entry.held() for entry in entries]
        self.lexical_index = self.lexical_index.added([tokenize(entry.lexical_text) for entry in entries])
        self._changed(self._dense is not None and self._dense.grown_in_place(self.vectors))

    def delete_document(self, document_id: str) -> None:
        keep = np.array([entry.document_id != document_id for entry in self.entries], dtype=bool)
        if keep.all():
            return
        renumber = np.cumsum(keep) - 1
        kept_vectors = keep[self.owners] if len(self.owners) else np.zeros(0, dtype=bool)
        dense_kept = self._dense is not None and self._dense.shrunk_in_place(kept_vectors, self.ann_min_vectors)
        self.vectors = self._dense.vectors if dense_kept else self.vectors[kept_vectors]
        self.owners = renumber[self.owners[kept_vectors]]
        self.entries = [entry for entry, kept in zip(self.entries, keep, strict=True) if kept]
        self.lexical_index = self.lexical_index.kept(keep)
        self._changed(dense_kept)

    def _changed(self, dense_kept: bool) -> None:
        """The filters' fields, and the dense index unless it was changed in place, are rebuilt when next needed
        (from vectors and entries already at hand); BM25 was brought up to date by the change itself."""
        self._fields = None
        if not dense_kept:
            self._dense = None

    @property
    def dense_index(self) -> Dense:
        if self._dense is None:
            self._dense = Dense.build(self.vectors, self.ann_min_vectors, self.dimension or 1)
            self.vectors = self._dense.vectors  # flat, FAISS's copy: the array it was built from can go
        return self._dense

    @property
    def fields(self) -> Fields:
        if self._fields is None:
            self._fields = Fields(self.entries)
        return self._fields

    def lexical(self, query: str, k: int, where: Filter, expansion: str = "") -> list[Scored]:
        if not self.entries:
            return []
        scores = self.lexical_index.scores(query, expansion)
        allowed = self.fields.mask(where)
        candidates = np.flatnonzero(scores > 0) if allowed is None else np.flatnonzero((scores > 0) & allowed)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        best = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [Scored(self.entries[row].chunk_id, float(scores[row])) for row in best]

    def rarity(self, terms: list[str]) -> dict[str, float]:
        return self.lexical_index.rarity(terms) if self.entries else dict.fromkeys(terms, 1.0)

    def size(self, where: Filter) -> tuple[int, int]:
        allowed = self.fields.mask(where) if self.entries else None
        if allowed is None:
            return len(self.entries), len(self.vectors)
        return int(allowed.sum()), int(allowed[self.owners].sum())

    def dense(self, query: str, k: int, where: Filter) -> list[Scored]:
        if not self.entries:
            return []
        allowed = self.fields.mask(where)
        vector_allowed = None if allowed is None else allowed[self.owners]
        allowed_count = len(self.entries) if allowed is None else int(allowed.sum())
        query_vector = self.embedder.query(query)
        wanted = min(k, allowed_count)
        depth = k * 2
        while True:  # a chunk may hold several windows: ask for more vectors until k chunks are found
            rows, scores = self.dense_index.search(query_vector, depth, vector_allowed)
            best: dict[int, float] = {}
            for row, score in zip(self.owners[rows], scores, strict=True):
                best.setdefault(int(row), float(score))
            if len(best) >= wanted or depth >= len(self.vectors):
                break
            depth *= 4
        return [Scored(self.entries[row].chunk_id, score) for row, score in list(best.items())[:k]]

    def hybrid(self, query: str, depth: int, where: Filter, expansion: str, fusion: Fusion) -> Fused:
        return retrieved_and_fused(self, query, depth, where, expansion, fusion)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        with open(folder / "entries.jsonl", "w", encoding="utf-8") as out:
            for entry in self.entries:
                out.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
        np.save(folder / "owners.npy", self.owners)
        self.lexical_index.save(folder / "bm25")
        self.dense_index.save(folder)

    @classmethod
    def load(cls, folder: Path, embedder: Embedder, ann_min_vectors: int, dimension: int) -> EmbeddedIndex:
        index = cls(embedder, ann_min_vectors)
        with open(folder / "entries.jsonl", encoding="utf-8") as lines:
            index.entries = [Held.from_json(json.loads(line)) for line in lines]
        index.owners = np.load(folder / "owners.npy")
        index.lexical_index = Lexical.load(folder / "bm25")
        dense = Dense.load(folder, dimension)
        index.vectors = dense.vectors
        if dense.kind == Dense.kind_for(len(dense.vectors), ann_min_vectors):
            index._dense = dense  # else the setting changed since the build: rebuilt when first needed
        return index
