"""Nearest neighbours of unit vectors by inner product in FAISS: exact (flat) while small, HNSW above a size.

The filter is applied inside the search, as a FAISS ID selector, so a narrow filter never starves the top k.
A filter that allows few vectors is searched exactly over those alone, and so is one under which HNSW came back
short.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

# One query at a time: extra threads cost more than they give. FAISS's take 19 ms for a flat search of 100k vectors
# on 2 cores that one does in 8 ms, and numpy's BLAS threads, left spinning after an exact search, slowed the next
# query's embedding fivefold. Builds add many vectors at once and use every core.
faiss.omp_set_num_threads(1)
threadpool_limits(1, user_api="blas")

HNSW_NEIGHBOURS = 32
HNSW_BUILD_DEPTH = 80
HNSW_SEARCH_DEPTH = 128
EXACT_BELOW_SHARE = 0.05


class Dense:
    """Vectors in row order, searchable; `kind` is "flat" or "hnsw"."""

    def __init__(self, index: faiss.Index, vectors: np.ndarray) -> None:
        self.index = index
        self.vectors = vectors
        self.kind = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        if self.kind == "hnsw":
            index.hnsw.efSearch = HNSW_SEARCH_DEPTH

    @staticmethod
    def kind_for(vectors: int, hnsw_min_vectors: int) -> str:
        return "hnsw" if vectors >= hnsw_min_vectors else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_min_vectors: int, dimension: int) -> Dense:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
        if cls.kind_for(len(vectors), hnsw_min_vectors) == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_BUILD_DEPTH
        else:
            index = faiss.IndexFlatIP(dimension)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            index.add(vectors)
        finally:
            faiss.omp_set_num_threads(1)
        return cls(index, vectors)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the k nearest vectors among the allowed ones (a boolean mask; None: all)."""
        k = min(k, len(self.vectors))
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is None:
            scores, rows = self.index.search(query, k)
            return _valid(rows[0], scores[0])
        allowed_rows = np.flatnonzero(allowed)
        if len(allowed_rows) < EXACT_BELOW_SHARE * len(self.vectors):
            return self._exact(query[0], allowed_rows, k)
        bitmap = np.packbits(allowed, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        if self.kind == "hnsw":
            parameters = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_SEARCH_DEPTH, 2 * k))
        else:
            parameters = faiss.SearchParameters(sel=selector)
        scores, rows = self.index.search(query, k, params=parameters)
        rows, scores = _valid(rows[0], scores[0])
        if len(rows) < min(k, len(allowed_rows)):
            return self._exact(query[0], allowed_rows, k)
        return rows, scores

    def _exact(self, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.vectors[rows] @ query
        k = min(k, len(rows))
        best = np.argpartition(-scores, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        best = best[np.argsort(-scores[best], kind="stable")]
        return rows[best], scores[best]

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", self.vectors)
        if self.kind == "hnsw":
            faiss.write_index(self.index, str(folder / "hnsw.faiss"))

    @classmethod
    def load(cls, folder: Path, dimension: int) -> Dense:
        vectors = np.load(folder / "vectors.npy").reshape(-1, dimension)
        hnsw = folder / "hnsw.faiss"
        if hnsw.exists():
            return cls(faiss.read_index(str(hnsw)), vectors)
        index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        return cls(index, vectors)


def _valid(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = rows >= 0
    return rows[keep].astype(np.int64), scores[keep]
