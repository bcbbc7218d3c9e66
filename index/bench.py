"""`papers bench search`: build time, query latency and memory, on the real index and on synthetic corpora.

Synthetic chunks draw their words from the real corpus's word frequencies and their lengths from its chunk
lengths; their vectors are real chunk vectors with noise, so no model runs over 100k texts. Queries are
embedded for real on every search (the query cache is cleared), so latency includes the model.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.dense import Dense
from index.embedded import EmbeddedIndex
from index.embedding import Embedder
from index.entries import Entry
from index.filters import Filter
from index.search import MODES, Searcher

QUERIES = [
    "HMO", "EHCNA backlog", "safety valve", "agency social workers", "20-week EHCP timeliness",
    "forecast overspend", "Ofsted monitoring visit", "family hubs", "care leavers in education employment or training",
    "where are we on getting care leavers out of shared houses?",
    "how are we doing on SEND 20-week EHCP timeliness?",
    "what did the committee resolve about school exclusions?",
    "who chairs the SEND improvement board", "when is the next update on the recruitment campaign due",
    "how many children are placed with independent fostering agencies",
    "what is the status of the housing action in the improvement plan",
]
COMMITTEES = ["Children's Services Overview and Scrutiny Committee", "Cabinet", "Corporate Parenting Panel",
              "Audit and Governance Committee", "Health and Wellbeing Board", "Planning Committee"]
KINDS = ["report", "minutes", "appendix", "action_sheet", "agenda", "forward_plan"]


@dataclass
class Latency:
    p50_ms: float
    p95_ms: float


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    """The process's resident memory now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it (the
    evaluation uses it too)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(action: Callable[[str], object], rounds: int = 5, warming: int = len(QUERIES)) -> Latency:
    """Median and 95th percentile of `action` over every query, warm (an untimed pass over the first `warming`
    queries first)."""
    for query in QUERIES[:warming]:
        action(query)
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            action(query)
            timings.append((time.perf_counter() - started) * 1000)
    return Latency(round(statistics.median(timings), 2), round(percentile(timings, 0.95), 2))


def latency(searcher: Searcher, mode: str, where: Filter | None = None, embed: bool = True,
            rounds: int = 5, warming: int = len(QUERIES)) -> Latency:
    """Search latency, the query embedded afresh each time (`embed`) or taken from the cache (the index alone)."""
    embedder = searcher.index.embedder

    def search(query: str) -> None:
        if embed:
            embedder.query.cache_clear()
        searcher.search(query, 10, where, mode)

    return measure(search, rounds, warming)


def embedding_rate(embedder: Embedder, texts: list[str], sample: int = 192) -> float:
    """Texts embedded per second by the model itself (no cache), on a sample of real chunk texts."""
    picked = texts[:: max(1, len(texts) // sample)][:sample]
    embedder.encode_uncached(picked[:1])  # load the model before timing
    started = time.perf_counter()
    embedder.encode_uncached(sorted(picked, key=len))
    return len(picked) / (time.perf_counter() - started)


def fresh_query(embedder: Embedder, query: str) -> None:
    """A query embedded as a search embeds it (its own thread count), the cache emptied first."""
    embedder.query.cache_clear()
    embedder.query(query)


def bench_embedders(embedders: dict[str, Embedder], texts: list[str], reference: str) -> dict[str, dict]:
    """Each embedder over the same real texts, one after another in this process: texts/s as an index build
    embeds them (no cache, batches sorted by length), a query's p50/p95, and its vectors' cosine against the
    `reference` embedder's (the lowest and the mean)."""
    vectors: dict[str, np.ndarray] = {}
    report: dict[str, dict] = {}
    for name, embedder in embedders.items():
        embedder.encode_uncached(texts[:2])  # the model loaded (or exported) before timing
        started = time.perf_counter()
        vectors[name] = embedder.encode_uncached(texts)
        seconds = time.perf_counter() - started
        report[name] = {"texts_per_second": round(len(texts) / seconds, 1),
                        "query_ms": measure(lambda query, embedder=embedder: fresh_query(embedder, query)).__dict__}
    for name in embedders:
        cosines = (vectors[name] * vectors[reference]).sum(axis=1)
        report[name]["cosine_to_reference"] = {"min": round(float(cosines.min()), 4),
                                               "mean": round(float(cosines.mean()), 4)}
    return report


def synthetic_entries(real: list[Entry], count: int, seed: int = 7) -> list[Entry]:
    """Chunks with the real corpus's word frequencies, lengths and windows per chunk, spread over committees,
    dates and kinds."""
    rng = np.random.default_rng(seed)
    windows = rng.choice([len(entry.dense_texts) for entry in real], size=count)
    words = Counter(word for entry in real for word in entry.lexical_text.split())
    vocabulary = np.array(list(words))
    weights = np.array(list(words.values()), dtype=np.float64)
    weights /= weights.sum()
    lengths = rng.choice([len(entry.lexical_text.split()) for entry in real], size=count)
    drawn = rng.choice(len(vocabulary), size=int(lengths.sum()), p=weights)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    days = rng.integers(0, 365 * 8, size=count)
    entries = []
    for row in range(count):
        text = " ".join(vocabulary[drawn[offsets[row]:offsets[row + 1]]])
        date = np.datetime64("2018-01-01") + days[row]
        entries.append(Entry(
            chunk_id=f"synthetic-{row}", document_id=f"synthetic-doc-{row // 40}",
            committee=COMMITTEES[row // 40 % len(COMMITTEES)], meeting_date=str(date),
            kind=KINDS[row % len(KINDS)], item=str(row % 12 + 1), visibility="exempt" if row % 50 == 0 else "public",
            lexical_text=text, dense_texts=(text,) * int(windows[row]),
        ))
    return entries


def synthetic_vectors(real: np.ndarray, count: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = real[rng.integers(0, len(real), size=count)] + rng.normal(0, 0.04, (count, real.shape[1]))
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_real(searcher: Searcher, entries: list[Entry]) -> dict:
    """The index in $PAPERS_HOME, of the store's `entries`: rebuild time with cached vectors, embedding rate,
    latency per mode."""
    index: EmbeddedIndex = searcher.index  # type: ignore[assignment]
    texts = [text for entry in entries for text in entry.dense_texts]
    rebuilt = EmbeddedIndex(index.embedder, index.ann_min_vectors)
    with tempfile.TemporaryDirectory() as folder:
        seconds = timed(lambda: (rebuilt.add(entries), rebuilt.save(Path(folder) / "build")))
    rate = embedding_rate(index.embedder, texts)
    return {
        "chunks": len(index), "vectors": len(index.vectors),
        "rebuild_seconds_with_cached_vectors": round(seconds, 2),
        "embedding_texts_per_second": round(rate, 1),
        "embedding_chunks_per_second": round(rate * len(index) / len(index.vectors), 1),
        "latency_ms": {mode: latency(searcher, mode).__dict__ for mode in MODES},
        "query_embedding_ms": measure(lambda query: fresh_query(index.embedder, query)).__dict__,
        "peak_memory_mb": round(peak_memory_mb()),
    }


def bench_synthetic(searcher: Searcher, real_entries: list[Entry], count: int, with_ann: bool) -> dict:
    """A synthetic corpus of `count` chunks made after the store's `real_entries`: build times, latency per mode
    (and under a filter), an update, the memory of a process serving it, and (`with_ann`) IVF against exact
    search."""
    real: EmbeddedIndex = searcher.index  # type: ignore[assignment]
    entries = synthetic_entries(real_entries, count)
    vectors = synthetic_vectors(real.vectors, sum(len(entry.dense_texts) for entry in entries))
    index = EmbeddedIndex(real.embedder, real.ann_min_vectors)
    result: dict = {"chunks": count, "vectors": len(vectors)}
    started = time.perf_counter()
    index.add_embedded(entries, vectors)  # BM25 is built as chunks come
    result["add_seconds"] = round(time.perf_counter() - started, 2)
    del vectors  # the index holds them (its first rows, after the update below): one copy, not two
    gc.freeze()  # as a loaded index is (see storage.load_index)
    result["dense_build_seconds"] = round(timed(lambda: index.dense_index), 2)
    result["dense"] = index.dense_index.kind  # as PAPERS_ANN_MIN_VECTORS picks it for this many vectors
    synthetic = Searcher(index, searcher.fusion, searcher.glossary)
    result["latency_ms"] = {mode: latency(synthetic, mode).__dict__ for mode in MODES}
    result["index_only_ms"] = {mode: latency(synthetic, mode, embed=False).__dict__ for mode in MODES}
    result["latency_ms"]["hybrid, one committee and a year"] = latency(
        synthetic, "hybrid", Filter(committee="Cabinet", date_from="2023-01-01", date_to="2023-12-31")).__dict__
    with tempfile.TemporaryDirectory() as folder:
        update = timed(lambda: _one_more_paper(index, real_entries, real.vectors, Path(folder)))
        result["update_seconds"] = round(update, 2)
        result["served_peak_mb"] = served_peak_mb(Path(folder) / "build", index,
                                                  [real.embedder.query(query) for query in QUERIES])
    result["naive"] = naive_stack(entries, index.vectors, real.embedder)
    if with_ann:
        flat = Dense.build(index.vectors, ann_min_vectors=len(index.vectors) + 1, dimension=index.dimension)
        ann_seconds = result["dense_build_seconds"]
        if index.dense_index.kind != "ivf":
            ann_seconds = timed(lambda: setattr(index, "_dense", Dense.build(index.vectors, 1, index.dimension)))
        probes = [real.embedder.query(query) for query in QUERIES]
        overlap = [len(set(flat.search(q, 10)[0]) & set(index.dense_index.search(q, 10)[0])) / 10 for q in probes]
        result["ann"] = {
            "build_seconds": round(ann_seconds, 1), "recall_at_10_vs_flat": round(float(np.mean(overlap)), 3),
            "lists": index.dense_index.index.nlist, "probes": index.dense_index.probes,
            "sampled_recall_at_10": index.dense_index.sampled_recall,
            "latency_ms": {mode: latency(synthetic, mode).__dict__ for mode in ("dense", "hybrid")},
        }
    result["peak_memory_mb"] = round(peak_memory_mb())
    return result


def served_peak_mb(folder: Path, saved: EmbeddedIndex, query_vectors: list[np.ndarray]) -> int:
    """Peak memory of a fresh process that loads the index saved in `folder` and answers the benchmark's queries,
    BM25 and dense (their vectors are the parent's: the model's own memory is not in it)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_load_and_search, (folder, saved.ann_min_vectors, saved.dimension, query_vectors))


def _load_and_search(folder: Path, ann_min_vectors: int, dimension: int, query_vectors: list[np.ndarray]) -> int:
    index = EmbeddedIndex.load(folder, None, ann_min_vectors, dimension)  # type: ignore[arg-type]
    for query, vector in zip(QUERIES, query_vectors, strict=True):
        index.lexical(query, 50, Filter())
        index.dense_index.search(vector, 100)
    return round(_memory_high_water_mb())


def _memory_high_water_mb() -> float:
    """This process's own peak resident memory (VmHWM: `ru_maxrss` would carry over the parent's peak across the
    fork that started it)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def naive_stack(entries: list[Entry], vectors: np.ndarray, embedder: Embedder) -> dict:
    """The yardstick a scale claim is held to: bm25s with its own tokenizer, FAISS flat over one vector a chunk (its
    first window), RRF of the two top 50s, no filters; built and searched over the same chunks, each query embedded
    afresh as ours are."""
    import bm25s
    import faiss

    before = resident_mb()
    firsts = np.concatenate([[0], np.cumsum([len(entry.dense_texts) for entry in entries])[:-1]])
    retriever = bm25s.BM25()
    flat = faiss.IndexFlatIP(vectors.shape[1])

    def build() -> None:
        retriever.index(bm25s.tokenize([entry.lexical_text for entry in entries], show_progress=False),
                        show_progress=False)
        flat.add(np.ascontiguousarray(vectors[firsts]))

    def search(query: str) -> list[int]:
        embedder.query.cache_clear()
        lexical, _ = retriever.retrieve(bm25s.tokenize([query], return_ids=False, show_progress=False), k=50,
                                        show_progress=False)
        _, dense = flat.search(embedder.query(query)[None, :], 50)
        fused: dict[int, float] = {}
        for ranking in (lexical[0], dense[0]):
            for rank, row in enumerate(ranking, 1):
                fused[int(row)] = fused.get(int(row), 0.0) + 1 / (60 + rank)
        return sorted(fused, key=fused.__getitem__, reverse=True)[:10]

    seconds = timed(build)
    return {"build_seconds": round(seconds, 1), "hybrid_ms": measure(search).__dict__,
            "resident_mb_added": round(resident_mb() - before)}


def bench_qdrant(searcher: Searcher, real_entries: list[Entry], count: int) -> dict:
    """The same synthetic corpus in a Qdrant collection, in qdrant-client's local mode (in this process, every
    search exact and in Python: a floor for what a server does, not its speed): upsert time, latency per mode, an
    update with one more paper, and peak memory."""
    from index.qdrant import QdrantIndex, connect, create_collection

    real: EmbeddedIndex = searcher.index  # type: ignore[assignment]
    entries = synthetic_entries(real_entries, count)
    vectors = synthetic_vectors(real.vectors, sum(len(entry.dense_texts) for entry in entries))
    lengths = [len(entry.lexical_text.split()) for entry in entries]
    before = resident_mb()
    client = connect(":memory:", "", Path())
    create_collection(client, "bench", vectors.shape[1])
    index = QdrantIndex(client, "bench", real.embedder, float(np.mean(lengths)))
    result: dict = {"chunks": count, "vectors": len(vectors)}
    result["upsert_seconds"] = round(timed(lambda: index.add_embedded(entries, vectors)), 1)
    qdrant = Searcher(index, searcher.fusion, searcher.glossary)
    # every query once, after one: local mode takes seconds a query at 100k chunks
    result["latency_ms"] = {mode: latency(qdrant, mode, rounds=1, warming=1).__dict__ for mode in MODES}
    added = [replace(entry, chunk_id=f"added-{number}", document_id="added-paper")
             for number, entry in enumerate(synthetic_entries(real_entries, 40, seed=11))]
    added_vectors = synthetic_vectors(real.vectors, sum(len(entry.dense_texts) for entry in added), 11)
    result["update_seconds"] = round(timed(lambda: index.add_embedded(added, added_vectors)), 2)
    result["resident_mb_added"] = round(resident_mb() - before)
    client.close()
    return result


def _one_more_paper(index: EmbeddedIndex, real_entries: list[Entry], real_vectors: np.ndarray, folder: Path) -> None:
    """What an index update costs once a new paper's 40 chunks are embedded: BM25 and the dense index brought up to
    date (IVF in place, flat rebuilt) and the build folder written (the store's reads and the embedding are not in
    it)."""
    added = [replace(entry, chunk_id=f"added-{number}", document_id="added-paper")
             for number, entry in enumerate(synthetic_entries(real_entries, 40, seed=11))]
    index.add_embedded(added, synthetic_vectors(real_vectors, sum(len(entry.dense_texts) for entry in added), 11))
    index.dense_index, index.fields  # noqa: B018 - what a search after the update needs
    index.save(folder / "build")


def extrapolate(small: dict, large: dict, embedding: dict, target: int) -> dict[str, float]:
    """p95 at `target` chunks with flat search: the index's own time on a straight line through two sizes (BM25
    and a flat scan are linear in the rows), plus the query embedding's p95, which does not grow."""
    out = {}
    for mode in MODES:
        (x1, y1), (x2, y2) = ((run["chunks"], run["index_only_ms"][mode]["p95_ms"]) for run in (small, large))
        extra = embedding["p95_ms"] if mode != "bm25" else 0.0
        out[mode] = round(y2 + (y2 - y1) / (x2 - x1) * (target - x2) + extra, 1)
    return out
