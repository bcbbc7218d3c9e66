"""`papers ingest | meetings | items | show`: put papers in the store and look at what was understood.

The person at the command line runs the store, so these read it as an officer does (exempt papers included)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ingest.pipeline import Summary, discover
from ingest.store import Store
from papers.access import OFFICER
from papers.cli.output import console, errors, reported_problems
from papers.cli.searching import build_index
from papers.library import Library
from papers.settings import get_settings
from papers.view import View
from retrieval.kinds import kind_name


def _officer() -> View:
    return Library(get_settings()).view(OFFICER)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of papers (PDF or text).", exists=True)],
    no_index: Annotated[bool, typer.Option("--no-index", help="Only fill the store; `papers index` later.")] = False,
) -> None:
    """Read papers into the store, then bring the search index up to date.

    One transaction per file; unchanged files are skipped and bad files reported, the others go on. Scanned pages
    are read by OCR (PAPERS_OCR), counted on a bar of their own."""
    library = Library(get_settings())
    files = discover(paths)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=errors) as bar:
        task = bar.add_task("Ingesting", total=len(files))
        scans = bar.add_task("Scanned pages (OCR)", total=0, visible=False)  # shown once a file needs OCR

        def on_pages(added: int, done: int) -> None:
            total = (next(t for t in bar.tasks if t.id == scans).total or 0) + added
            bar.update(scans, total=total, advance=done, visible=True)

        summary = library.ingest(files, on_file=lambda _: bar.advance(task), on_pages=on_pages)
    _print_summary(summary, library.store)
    all_failed = bool(summary.results) and summary.count("failed") == len(summary.results)
    if not no_index and not all_failed:
        with reported_problems():
            build_index(library)
    if all_failed:
        raise typer.Exit(1)


def _print_summary(summary: Summary, store: Store) -> None:
    results = summary.results
    table = Table(title="Ingest", show_lines=False)
    for column in ("file", "status", "pages", "items", "chunks", "notes"):
        table.add_column(column, overflow="fold")
    for result in results:
        notes = result.error.split(": ", 1)[-1] if result.error else "; ".join(result.warnings)
        table.add_row(Path(result.path).name, result.status, str(result.pages or ""), str(result.items or ""),
                      str(result.chunks or ""), notes)
    console.print(table)
    console.print(
        f"{len(results)} files: {summary.count('ingested')} ingested, {summary.count('unchanged')} unchanged, "
        f"{summary.count('failed')} failed; {summary.total('pages')} pages, {summary.total('items')} agenda items, "
        f"{summary.total('chunks')} chunks, {len(summary.warnings)} warnings, {len(summary.errors)} errors. "
        f"Store: {store.path} ({store.counts()['chunks']} chunks in all)."
    )


def meetings(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The meetings in the store, with their documents and chunk counts."""
    rows = _officer().meetings()
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="Meetings")
    for column in ("id", "date", "committee", "venue", "documents", "chunks"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["date"], row["committee"], row["venue"] or "", str(row["documents"]),
                      str(row["chunks"]))
    console.print(table)


def items(
    meeting_id: Annotated[str, typer.Argument(help="A meeting id from `papers meetings`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A meeting's agenda: each item's number, title, pack pages, documents and chunk count."""
    meeting = _officer().meeting(meeting_id)
    if meeting is None:
        errors.print(f"No meeting {meeting_id!r}; `papers meetings` lists them.")
        raise typer.Exit(2)
    rows = meeting["items"]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=meeting_id)
    for column in ("item", "title", "pages", "documents", "chunks"):
        table.add_column(column, overflow="fold")
    for row in rows:
        pages = f"{row['page_start']}-{row['page_end']}" if row["page_start"] else ""
        documents = "\n".join(
            f"{kind_name(d['kind'])}: {(d['appendix'] + ' ') if d['appendix'] else ''}{d['title']}"
            + (" [exempt]" if d["visibility"] == "exempt" else "")
            for d in row["documents"]
        )
        table.add_row(row["number"], row["title"], pages, documents, str(row["chunks"]))
    console.print(table)


def show(
    chunk_id: Annotated[str, typer.Argument(help="A chunk id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One chunk with where it comes from: document, meeting, agenda item, section, page or line span."""
    found = _officer().chunk(chunk_id)
    if found is None:
        errors.print(f"No chunk {chunk_id!r}.")
        raise typer.Exit(2)
    row = found[0]
    if as_json:
        print(json.dumps(row, indent=2))
        return
    span = f"pages {row['page_start']}-{row['page_end']}" if row["page_start"] else (
        f"lines {row['line_start']}-{row['line_end']}")
    console.print(f"[bold]{row['context']}[/bold]")
    console.print(f"{row['kind']} · {Path(row['source_path']).name} · {span} · {row['visibility']}")
    if row["duplicate_of"]:
        console.print(f"(the same text is stored as {row['duplicate_of']})")
    console.print(row["text"], markup=False, highlight=False)
    if row["fields_text"]:
        console.print("\n" + row["fields_text"], markup=False, highlight=False)


def bench_ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders of them.", exists=True)],
    workers: Annotated[int, typer.Option(help="OCR worker processes (0: PAPERS_OCR_WORKERS, else the cores).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Reading speed by kind of page, and peak memory: nothing is stored.

    Pages per second for text pages (pypdf), table pages (the ruled pages the table reader reads) and scanned pages
    (OCR from an empty cache, then from the cache), one after another over the same files; the peak memory of this
    process and of the largest OCR worker."""
    from ingest.bench import bench_ingest as measure

    if workers < 0:
        errors.print(f"--workers: {workers} is not 0 or more")
        raise typer.Exit(2)
    files = [path for path in discover(paths) if path.suffix.lower() == ".pdf"]
    if not files:
        errors.print(f"no PDF among {', '.join(map(str, paths))}")
        raise typer.Exit(2)
    settings = get_settings()
    chosen = workers or settings.ocr_workers or os.cpu_count() or 1
    errors.print(f"Reading {len(files)} PDFs three ways (OCR in {chosen} workers)…")
    report = measure(files, chosen).as_dict()
    if as_json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title="Reading PDF pages")
    for column in ("pages", "seconds", "pages/s"):
        table.add_column(column, justify="right")
    table.add_column("kind of page")
    names = {"text": "text (pypdf)", "tables": "tables (ruled pages)", "ocr_cold": "scanned, OCR, not cached",
             "ocr_warm": "scanned, from the OCR cache"}
    for stage, name in names.items():
        figures = report[stage]
        table.add_row(str(figures["pages"]), f"{figures['seconds']:.1f}", str(figures["pages_per_second"] or "–"),
                      name)
    console.print(table)
    console.print(f"{report['files']} files; peak memory {report['peak_memory_mb']} MB in this process, "
                  f"{report['peak_worker_memory_mb']} MB in the largest OCR worker.")
    for path, why in report["skipped"].items():
        errors.print(f"{path}: not measured ({why})")
