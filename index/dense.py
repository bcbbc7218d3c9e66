"""Nearest neighbours of unit vectors by inner product in FAISS: exact (flat) while small, HNSW above a size, its
search depth chosen when it is built by the recall it measures against exact search.

The filter is applied inside the search, as a FAISS ID selector, so a narrow filter never starves the top k.
A filter that allows few vectors is searched exactly over those alone, and so is one under which HNSW came back
short.
"""

from __future__ import annotations

import json
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
# How deep HNSW searches is chosen when it is built, by measurement (`tuned_depth`): the shallowest of these whose
# recall@10 against exact search, on probes made from the index's own vectors, reaches HNSW_RECALL (a margin over
# the 0.97 asked of it: the probes are still a little easier than real questions).
HNSW_SEARCH_DEPTHS = (64, 128, 256, 512, 1024, 2048)
HNSW_RECALL = 0.99
HNSW_SAMPLE = 200
EXACT_BELOW_SHARE = 0.05


class Dense:
    """Vectors in row order, searchable; `kind` is "flat" or "hnsw". The vectors are held once: `vectors` is a
    view of the FAISS index's own copy (which keeps the index alive), so the caller can let its array go."""

    def __init__(self, index: faiss.Index, depth: int = HNSW_SEARCH_DEPTHS[1],
                 sampled_recall: float | None = None) -> None:
        self.index = index
        self.vectors = _stored(index)
        self.kind = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        self.depth = depth  # HNSW's efSearch
        self.sampled_recall = sampled_recall  # what `tuned_depth` measured at that depth
        if self.kind == "hnsw":
            index.hnsw.efSearch = depth

    @staticmethod
    def kind_for(vectors: int, hnsw_min_vectors: int) -> str:
        return "hnsw" if vectors >= hnsw_min_vectors else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_min_vectors: int, dimension: int) -> Dense:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
        if cls.kind_for(len(vectors), hnsw_min_vectors) == "flat":
            index = faiss.IndexFlatIP(dimension)
            index.add(vectors)
            return cls(index)
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_BUILD_DEPTH
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            index.add(vectors)
            return cls(index, *tuned_depth(index, vectors))
        finally:
            faiss.omp_set_num_threads(1)

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
            parameters = faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.depth, 2 * k))
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
        if self.kind == "hnsw":
            faiss.write_index(self.index, str(folder / "hnsw.faiss"))
            (folder / "hnsw.json").write_text(json.dumps({"ef_search": self.depth,
                                                          "sampled_recall_at_10": self.sampled_recall}))
        else:
            np.save(folder / "vectors.npy", self.vectors)

    @classmethod
    def load(cls, folder: Path, dimension: int) -> Dense:
        """The saved index; its vectors are read once, into FAISS (the graph's file holds them too)."""
        hnsw = folder / "hnsw.faiss"
        if hnsw.exists():
            tuned = json.loads((folder / "hnsw.json").read_text()) if (folder / "hnsw.json").exists() else {}
            return cls(faiss.read_index(str(hnsw)), tuned.get("ef_search", HNSW_SEARCH_DEPTHS[1]),
                       tuned.get("sampled_recall_at_10"))
        index = faiss.IndexFlatIP(dimension)
        index.add(np.load(folder / "vectors.npy").reshape(-1, dimension))
        return cls(index)


class _Keeper:
    """Hands numpy FAISS's memory, and is kept by the array made from it (as its base), so the index outlives it."""

    def __init__(self, index: faiss.Index, view: np.ndarray) -> None:
        self.index = index
        self.__array_interface__ = view.__array_interface__


def _stored(index: faiss.Index) -> np.ndarray:
    """The vectors a flat or HNSW index holds, as a read-only array over its memory (not a copy)."""
    storage = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    dimension, count = storage.d, storage.ntotal
    if count == 0:
        return np.zeros((0, dimension), dtype=np.float32)
    view = faiss.rev_swig_ptr(storage.get_xb(), count * dimension).reshape(count, dimension)
    array = np.asarray(_Keeper(index, view))
    array.flags.writeable = False
    return array


def tuned_depth(index: faiss.IndexHNSW, vectors: np.ndarray, sample: int = HNSW_SAMPLE, seed: int = 7
                ) -> tuple[int, float]:
    """The shallowest search depth in HNSW_SEARCH_DEPTHS whose recall@10 against exact search reaches HNSW_RECALL,
    and that recall; the deepest, if none does. The probes are two stored vectors added and made unit length:
    a question lies between the passages it is near, not on one of them. Measured on the shared corpus's vectors,
    stored vectors as probes chose depth 64, where the benchmark questions found 0.94 of the exact top ten;
    mixed pairs choose 512, where they find 0.99 (the lowest, "HMO", 0.9)."""
    rng = np.random.default_rng(seed)
    pairs = rng.choice(len(vectors), size=(min(sample, len(vectors)), 2))
    probes = vectors[pairs[:, 0]] + vectors[pairs[:, 1]]
    probes = np.ascontiguousarray(probes / np.maximum(np.linalg.norm(probes, axis=1, keepdims=True), 1e-12))
    exact = _exact_top(vectors, probes, 10)
    recall = 0.0
    for depth in HNSW_SEARCH_DEPTHS:
        index.hnsw.efSearch = depth
        _, found = index.search(probes, 10)
        recall = float(np.mean([len(set(f) & set(e)) / len(e) for f, e in zip(found, exact, strict=True)]))
        if recall >= HNSW_RECALL:
            return depth, round(recall, 4)
    return HNSW_SEARCH_DEPTHS[-1], round(recall, 4)


def _exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, block: int = 100_000) -> np.ndarray:
    """Each query's k nearest rows by inner product, the vectors scanned a block at a time (no second index)."""
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for start in range(0, len(vectors), block):
        scores = queries @ vectors[start:start + block].T
        rows = np.arange(start, start + scores.shape[1])[None, :].repeat(len(queries), axis=0)
        best_scores = np.concatenate([best_scores, scores], axis=1)
        best_rows = np.concatenate([best_rows, rows], axis=1)
        keep = np.argpartition(-best_scores, min(k, best_scores.shape[1]) - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
    return best_rows


def _valid(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = rows >= 0
    return rows[keep].astype(np.int64), scores[keep]
