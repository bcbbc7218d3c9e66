"""Nearest neighbours of unit vectors by inner product in FAISS: exact (flat) while small; above a size, an inverted
file (IVF) of 8-bit codes proposes candidates and the exact vectors re-rank them.

IVF rather than a graph (HNSW), measured at 1M synthetic chunks: HNSW found 0.79 of exact search's top ten even
searching 2,048 deep and took 12 minutes to build; the inverted file trains in about a minute, reaches its recall
at a few dozen lists, and takes new vectors and drops old ones in place, so an upload into a large store costs
seconds, not a rebuild. How many lists a search visits is chosen when it is built, by the recall it measures
against exact search.

The filter is applied inside the search, as a FAISS ID selector, so a narrow filter never starves the top k.
A filter that allows few vectors is searched exactly over those alone, and so is one under which IVF came back
short.
"""

from __future__ import annotations

import json
import math
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

# An IVF index has 2·√n lists. At 1M synthetic chunks (1.97M vectors) 2·√n trained and filled in 89 s against 208 s
# for 4·√n (FAISS's guidance is 4 to 16), and both reached their recall visiting 32 lists (before the margin
# below), in 1.9 and 1.3 ms.
LISTS_PER_ROOT = 2
TRAINING_PER_LIST = 64  # centroids are trained on this many vectors a list, sampled
TRAINING_ROUNDS = 10  # k-means iterations (FAISS's default is 25): the figures above are with 10
RERANK = 4  # IVF proposes this many candidates per result wanted; the exact vectors order them
# How many lists IVF visits is chosen when it is built, by measurement (`tuned_probes`): twice the fewest of these
# whose recall@10 against exact search, on probes made from the index's own vectors, reaches ANN_RECALL.
PROBE_COUNTS = (8, 16, 32, 64, 128, 256, 512, 1024)
ANN_RECALL = 0.99
ANN_SAMPLE = 200
# The probes are easier than questions: on the shared corpus's vectors they reached ANN_RECALL at 16 of 35 lists,
# where the benchmark's queries found 0.969 of the exact top ten and the development questions 0.985; at twice
# that, both found all of it. At 1M synthetic chunks twice took the queries from 0.994 to 1.0, at 2.4 ms p50.
PROBE_MARGIN = 2
RETRAIN_GROWTH = 2.0  # vectors added in place until the index holds twice what its lists were trained on
EXACT_BELOW_SHARE = 0.05


class Dense:
    """Vectors in row order, searchable; `kind` is "flat" or "ivf". The vectors are held once: flat, `vectors` is a
    view of the FAISS index's own copy (which keeps the index alive); IVF holds only 8-bit codes of them."""

    def __init__(self, index: faiss.Index, vectors: np.ndarray | None = None, probes: int = PROBE_COUNTS[0],
                 sampled_recall: float | None = None, trained_on: int = 0) -> None:
        self.index = index
        self.kind = "ivf" if isinstance(index, faiss.IndexIVF) else "flat"
        self.vectors = _stored(index) if vectors is None else vectors
        self.probes = probes  # lists an IVF search visits
        self.sampled_recall = sampled_recall  # what `tuned_probes` measured with that many
        self.trained_on = trained_on  # vectors the IVF lists were trained for

    @staticmethod
    def kind_for(vectors: int, ann_min_vectors: int) -> str:
        return "ivf" if vectors >= ann_min_vectors else "flat"

    @classmethod
    def build(cls, vectors: np.ndarray, ann_min_vectors: int, dimension: int) -> Dense:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
        if cls.kind_for(len(vectors), ann_min_vectors) == "flat":
            index = faiss.IndexFlatIP(dimension)
            index.add(vectors)
            return cls(index)
        lists = max(1, min(round(LISTS_PER_ROOT * math.sqrt(len(vectors))), len(vectors) // TRAINING_PER_LIST))
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dimension), dimension, lists,
                                              faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        index.cp.max_points_per_centroid = TRAINING_PER_LIST
        index.cp.niter = TRAINING_ROUNDS
        sample = np.random.default_rng(7).choice(len(vectors), min(len(vectors), TRAINING_PER_LIST * lists),
                                                 replace=False)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            index.train(vectors[np.sort(sample)])
            index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
        finally:
            faiss.omp_set_num_threads(1)
        dense = cls(index, vectors, trained_on=len(vectors))
        dense.probes, dense.sampled_recall = tuned_probes(dense)
        return dense

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Rows and scores of the k nearest vectors among the allowed ones (a boolean mask; None: all)."""
        k = min(k, len(self.vectors))
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is None:
            return self._searched(query, k, None)
        allowed_rows = np.flatnonzero(allowed)
        if len(allowed_rows) < EXACT_BELOW_SHARE * len(self.vectors):
            return self._exact(query[0], allowed_rows, k)
        bitmap = np.packbits(allowed, bitorder="little")
        rows, scores = self._searched(query, k, faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap)))
        if len(rows) < min(k, len(allowed_rows)):
            return self._exact(query[0], allowed_rows, k)
        return rows, scores

    def _searched(self, query: np.ndarray, k: int, selector: faiss.IDSelector | None
                  ) -> tuple[np.ndarray, np.ndarray]:
        if self.kind == "flat":
            scores, rows = self.index.search(query, k, params=faiss.SearchParameters(sel=selector))
            return _valid(rows[0], scores[0])
        parameters = faiss.SearchParametersIVF(sel=selector, nprobe=self.probes)
        _, candidates = self.index.search(query, RERANK * k, params=parameters)
        return self._exact(query[0], candidates[0][candidates[0] >= 0], k)

    def _exact(self, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.vectors[rows] @ query
        k = min(k, len(rows))
        best = np.argpartition(-scores, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        best = best[np.argsort(-scores[best], kind="stable")]
        return rows[best].astype(np.int64), scores[best]

    def grown_in_place(self, vectors: np.ndarray) -> bool:
        """Take `vectors` (every row: those held, then new ones) into an IVF index without training it again;
        False, changing nothing, when it should be built anew (flat, or grown past what its lists were trained
        for)."""
        if self.kind != "ivf" or len(vectors) > RETRAIN_GROWTH * self.trained_on:
            return False
        added = np.arange(len(self.vectors), len(vectors), dtype=np.int64)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            self.index.add_with_ids(np.ascontiguousarray(vectors[added], dtype=np.float32), added)
        finally:
            faiss.omp_set_num_threads(1)
        self.vectors = vectors
        return True

    def shrunk_in_place(self, keep: np.ndarray, ann_min_vectors: int) -> bool:
        """Drop the rows `keep` leaves out of an IVF index and number the rest as `self.vectors[keep]` does;
        False, changing nothing, when it should be built anew (flat, or now below the size IVF is for)."""
        if self.kind != "ivf" or self.kind_for(int(keep.sum()), ann_min_vectors) != "ivf":
            return False
        self.index.remove_ids(faiss.IDSelectorBatch(np.flatnonzero(~keep).astype(np.int64)))
        renumbered = (np.cumsum(keep) - 1).astype(np.int64)
        lists = self.index.invlists
        for number in range(self.index.nlist):
            if size := lists.list_size(number):
                ids = faiss.rev_swig_ptr(lists.get_ids(number), size)
                ids[:] = renumbered[ids]
        self.vectors = self.vectors[keep]
        return True

    def save(self, folder: Path) -> None:
        np.save(folder / "vectors.npy", self.vectors)
        if self.kind == "ivf":
            faiss.write_index(self.index, str(folder / "ivf.faiss"))
            (folder / "ivf.json").write_text(json.dumps({
                "probes": self.probes, "sampled_recall_at_10": self.sampled_recall, "trained_on": self.trained_on}))

    @classmethod
    def load(cls, folder: Path, dimension: int) -> Dense:
        """The saved index. Flat, its vectors are read once, into FAISS; IVF, they are mapped from the file and
        only the rows a search re-ranks are read, so a large index keeps little more than its codes in memory."""
        if (folder / "ivf.faiss").exists():
            tuned = json.loads((folder / "ivf.json").read_text())
            vectors = np.load(folder / "vectors.npy", mmap_mode="r").reshape(-1, dimension)
            return cls(faiss.read_index(str(folder / "ivf.faiss")), vectors, tuned["probes"],
                       tuned["sampled_recall_at_10"], tuned["trained_on"])
        index = faiss.IndexFlatIP(dimension)
        index.add(np.load(folder / "vectors.npy").reshape(-1, dimension))
        return cls(index)


class _Keeper:
    """Hands numpy FAISS's memory, and is kept by the array made from it (as its base), so the index outlives it."""

    def __init__(self, index: faiss.Index, view: np.ndarray) -> None:
        self.index = index
        self.__array_interface__ = view.__array_interface__


def _stored(index: faiss.IndexFlat) -> np.ndarray:
    """The vectors a flat index holds, as a read-only array over its memory (not a copy)."""
    dimension, count = index.d, index.ntotal
    if count == 0:
        return np.zeros((0, dimension), dtype=np.float32)
    view = faiss.rev_swig_ptr(index.get_xb(), count * dimension).reshape(count, dimension)
    array = np.asarray(_Keeper(index, view))
    array.flags.writeable = False
    return array


def tuned_probes(dense: Dense, sample: int = ANN_SAMPLE, seed: int = 7) -> tuple[int, float]:
    """PROBE_MARGIN times the fewest lists in PROBE_COUNTS whose recall@10 against exact search reaches ANN_RECALL
    (at most every list), and the recall measured there. The probes are two stored vectors added and made unit
    length: a question lies between the passages it is near, not on one of them."""
    vectors = dense.vectors
    rng = np.random.default_rng(seed)
    pairs = rng.choice(len(vectors), size=(min(sample, len(vectors)), 2))
    probes = vectors[pairs[:, 0]] + vectors[pairs[:, 1]]
    probes = np.ascontiguousarray(probes / np.maximum(np.linalg.norm(probes, axis=1, keepdims=True), 1e-12))
    exact = _exact_top(vectors, probes, 10)
    lists = dense.index.nlist

    def recall(probes_count: int) -> float:
        dense.probes = probes_count
        found = [dense.search(probe, 10)[0] for probe in probes]
        return float(np.mean([len(set(f) & set(e)) / len(e) for f, e in zip(found, exact, strict=True)]))

    enough = next((count for count in PROBE_COUNTS if count < lists and recall(count) >= ANN_RECALL), lists)
    chosen = min(PROBE_MARGIN * enough, lists)
    return chosen, round(recall(chosen), 4)


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
