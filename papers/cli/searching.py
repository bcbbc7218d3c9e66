"""`papers index | search`: bring the index up to date with the store, and search it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from index.errors import BadQuery
from index.filters import Filter
from index.search import MODES
from papers.access import OFFICER, PUBLIC
from papers.cli.output import console, errors, existing_library, print_passages, reported_problems, say_if_behind
from papers.library import Library
from papers.settings import get_settings


def build_index(library: Library) -> None:
    """Update the index with a progress bar for the embedding, then say what was done."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors) as bar:
        task = bar.add_task("Embedding", total=None)
        report = library.reindex(on_start=lambda total: bar.update(task, total=total),
                                 on_embedded=lambda done: bar.advance(task, done))
    console.print(
        f"Index: {report.chunks} chunks, {report.vectors} vectors ({report.dense}), {report.acronyms} acronyms, "
        f"in {report.location}. {report.documents_indexed} documents indexed, {report.documents_removed} "
        f"removed; {report.embedded} texts embedded, the rest from the cache; {report.seconds:.1f} s."
    )


def index() -> None:
    """Build or update the search index from the store: only changed documents are redone, embeddings are cached."""
    with reported_problems():
        build_index(Library(get_settings()))


def search(
    query: Annotated[str, typer.Argument(help="Keywords or a question in your own words.")],
    committee: Annotated[str | None, typer.Option(help="Only committees whose name contains this.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Meetings on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Meetings on or before (YYYY-MM-DD).")] = None,
    kind: Annotated[str | None, typer.Option(help="Document kind: report, minutes, action_sheet...")] = None,
    item: Annotated[str | None, typer.Option(help="Agenda item number, e.g. 6a.")] = None,
    public_only: Annotated[bool, typer.Option("--public-only", help="Search as the public: no exempt papers.")]
    = False,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option(help=f"One of {', '.join(MODES)}.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print the `passages` list of the answer contract.")] = False,
) -> None:
    """Ranked passages for a query, with where each comes from and each retriever's rank.

    Where: committee, meeting date, agenda item, document, page or line span."""
    with reported_problems():
        where = Filter(committee=committee, date_from=date_from, date_to=date_to, kind=kind, item=item)
        if not query.strip():
            raise BadQuery("query", "empty")
        library = existing_library()
        say_if_behind(library)
        found = library.view(PUBLIC if public_only else OFFICER).search(query, k, where, mode)
    if as_json:
        print(json.dumps([passage.model_dump(mode="json") for passage in found], indent=2, ensure_ascii=False))
        return
    print_passages(found, f"{query}  ({mode})")


def bench_search(
    sizes: Annotated[str, typer.Option(help="Synthetic corpus sizes, comma-separated; the largest is also "
                                           "searched by IVF and held to exact search.")]
    = "30000,100000",
    qdrant: Annotated[int, typer.Option(help="Chunks of a synthetic corpus also put in a Qdrant collection in "
                                             "qdrant-client's local mode; 0: none.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Search speed and memory, on the index in $PAPERS_HOME and on synthetic corpora.

    Build time, query latency p50/p95 (bm25, dense, hybrid), an update's time, a serving process's memory, IVF
    against exact search, peak memory, the figure for 1M
    chunks extrapolated from the two largest sizes, and (`--qdrant`) the Qdrant backend in local mode. Measured on
    the embedded index: run it with `PAPERS_INDEX_BACKEND=embedded`."""
    from index.bench import bench_qdrant, bench_real, bench_synthetic, extrapolate
    from index.build import Wanted

    try:
        counts = sorted({int(size) for size in sizes.split(",")})
    except ValueError:
        counts = []
    if not counts or counts[0] < 100:
        errors.print(f"--sizes: {sizes!r} is not a list of sizes of at least 100 chunks")
        raise typer.Exit(2)
    with reported_problems():
        library = existing_library()
        searcher = library.current.searcher
        wanted = Wanted.read(library.store, get_settings().embed_window_words)
    entries = [entry for held in wanted.documents.values() for entry in held]
    errors.print("Measuring the real index…")
    report: dict = {"real": bench_real(searcher, entries), "synthetic": []}
    for count in counts:
        errors.print(f"Measuring {count:,} synthetic chunks…")
        report["synthetic"].append(bench_synthetic(searcher, entries, count, with_ann=count == counts[-1]))
    if len(counts) >= 2:
        report["extrapolated_p95_ms_at_1m_flat"] = extrapolate(
            *report["synthetic"][-2:], report["real"]["query_embedding_ms"], 1_000_000)
    if qdrant:
        errors.print(f"Measuring {qdrant:,} synthetic chunks in Qdrant's local mode…")
        report["qdrant_local"] = bench_qdrant(searcher, entries, qdrant)
    if as_json:
        print(json.dumps(report, indent=2))
        return
    _print_bench(report)


def _print_bench(report: dict) -> None:
    real = report["real"]
    console.print(
        f"Real index: {real['chunks']} chunks, {real['vectors']} vectors; rebuild with cached vectors "
        f"{real['rebuild_seconds_with_cached_vectors']} s; embedding {real['embedding_chunks_per_second']} chunks/s "
        f"({real['embedding_texts_per_second']} texts/s); a query embeds in {real['query_embedding_ms']['p50_ms']} ms "
        f"(p95 {real['query_embedding_ms']['p95_ms']}); peak memory {real['peak_memory_mb']} MB."
    )
    table = Table(title="Query latency, ms (p50 / p95), query embedding included")
    table.add_column("corpus")
    for mode in MODES:
        table.add_column(mode)
    rows = [("real", real["latency_ms"])] + [
        (f"{run['chunks']:,} synthetic", run["latency_ms"]) for run in report["synthetic"]
    ] + [(f"{run['chunks']:,} synthetic, IVF", run["ann"]["latency_ms"]) for run in report["synthetic"]
         if "ann" in run] + [(f"{run['chunks']:,} synthetic, naive stack", {"hybrid": run["naive"]["hybrid_ms"]})
                              for run in report["synthetic"]]
    for name, latencies in rows:
        table.add_row(name, *(f"{latencies[m]['p50_ms']} / {latencies[m]['p95_ms']}" if m in latencies else ""
                              for m in MODES))
    console.print(table)
    for run in report["synthetic"]:
        line = (f"{run['chunks']:,} synthetic ({run['vectors']:,} vectors): adding the chunks (BM25 built as "
                f"they come) {run['add_seconds']} s, "
                f"{run['dense']} build {run['dense_build_seconds']} s, hybrid p95 without the query embedding "
                f"{run['index_only_ms']['hybrid']['p95_ms']} ms, filtered hybrid p95 "
                f"{run['latency_ms']['hybrid, one committee and a year']['p95_ms']} ms, "
                f"an update with one more paper (embedded) {run['update_seconds']} s, "
                f"a process serving it peaked at {run['served_peak_mb']} MB, "
                f"peak memory {run['peak_memory_mb']} MB; the naive stack (bm25s, FAISS flat over a vector a chunk, "
                f"RRF) built in {run['naive']['build_seconds']} s and held {run['naive']['resident_mb_added']} MB")
        if "ann" in run:
            line += (f"; IVF build {run['ann']['build_seconds']} s ({run['ann']['lists']} lists, a search visits "
                     f"{run['ann']['probes']}, sampled recall {run['ann']['sampled_recall_at_10']}), recall@10 "
                     f"against exact search on the benchmark's queries {run['ann']['recall_at_10_vs_flat']}")
        console.print(line + ".")
    if "extrapolated_p95_ms_at_1m_flat" in report:
        console.print(f"p95 at 1M chunks (flat, extrapolated): {report['extrapolated_p95_ms_at_1m_flat']} ms.")
    if "qdrant_local" in report:
        run = report["qdrant_local"]
        console.print(
            f"Qdrant local mode, {run['chunks']:,} synthetic chunks ({run['vectors']:,} vectors): upsert "
            f"{run['upsert_seconds']} s; p50 / p95 ms " + ", ".join(
                f"{mode} {run['latency_ms'][mode]['p50_ms']} / {run['latency_ms'][mode]['p95_ms']}" for mode in MODES)
            + f"; an update with one more paper {run['update_seconds']} s; the collection holds "
            f"{run['resident_mb_added']} MB.")


def bench_embed(
    texts: Annotated[int, typer.Option(help="How many of the index's texts each embedder embeds.")] = 600,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Every embedding backend side by side, on the index in $PAPERS_HOME, in this run.

    Texts/s as an index build embeds, a query's p50/p95, cosine against sentence-transformers, and a cold
    `papers ask` in a fresh process for each backend that can search this index (the ones with its model)."""
    from index.bench import bench_embedders
    from index.build import Wanted
    from papers.backends import EMBEDDERS

    if texts < 10:
        errors.print(f"--texts: {texts} is fewer than 10")
        raise typer.Exit(2)
    settings = get_settings()
    with reported_problems():
        library = existing_library()
        wanted = Wanted.read(library.store, settings.embed_window_words)
    every = [text for entries in wanted.documents.values() for entry in entries for text in entry.dense_texts]
    picked = sorted(every[:: max(1, len(every) // texts)][:texts], key=len)
    embedders = {name: build(settings) for name, build in EMBEDDERS.items()}
    errors.print(f"Embedding {len(picked)} texts with {', '.join(embedders)}…")
    report = {"texts": len(picked),
              "embedders": bench_embedders(embedders, picked, reference="sentence-transformers")}
    papers = str(Path(sys.argv[0]).resolve().parent / "papers")
    for name, embedder in embedders.items():
        if embedder.name != library.embedder.name:
            continue
        started = time.perf_counter()
        subprocess.run([papers, "ask", "What did the committee decide?", "--json"], capture_output=True,
                       env={**os.environ, "PAPERS_EMBEDDING_BACKEND": name}, check=False)
        report["embedders"][name]["cold_ask_seconds"] = round(time.perf_counter() - started, 2)
    if as_json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"Embedding {report['texts']} texts of this index")
    for column in ("backend", "texts/s", "query p50 / p95 ms", "cosine min / mean", "cold ask s"):
        table.add_column(column)
    for name, figures in report["embedders"].items():
        table.add_row(name, str(figures["texts_per_second"]),
                      f"{figures['query_ms']['p50_ms']} / {figures['query_ms']['p95_ms']}",
                      f"{figures['cosine_to_reference']['min']} / {figures['cosine_to_reference']['mean']}",
                      str(figures.get("cold_ask_seconds", "–")))
    console.print(table)
