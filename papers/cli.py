"""The `papers` command: each subcommand lives beside what it runs and is gathered here."""

from pathlib import Path
from typing import Annotated

import typer

from api import cli as api_cli
from bot import cli as bot_cli
from eval import cli as eval_cli
from index import cli as index_cli
from ingest import cli as ingest_cli
from retrieval import cli as retrieval_cli

app = typer.Typer(
    help="Search and cited answers over council committee papers. Data lives in $PAPERS_HOME (default ./data).",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of papers (PDF or text).", exists=True)],
    no_index: Annotated[bool, typer.Option("--no-index", help="Only fill the store; `papers index` later.")] = False,
) -> None:
    """Read papers into the store, then bring the search index up to date.

    One transaction per file; unchanged files are skipped and bad files reported, the others go on."""
    summary = ingest_cli.ingest(paths)
    all_failed = bool(summary.results) and summary.count("failed") == len(summary.results)
    if not no_index and not all_failed:
        index_cli.index()
    if all_failed:
        raise typer.Exit(1)


app.command()(ingest_cli.meetings)
app.command()(ingest_cli.items)
app.command()(ingest_cli.show)
app.command()(index_cli.index)
app.command()(index_cli.search)
app.command()(retrieval_cli.ask)
app.command("eval")(eval_cli.evaluate)
app.command()(api_cli.serve)
app.command()(bot_cli.slack)
app.command()(bot_cli.feedback)

bench = typer.Typer(help="Benchmarks: speed and memory, measured here and now.", no_args_is_help=True)
bench.command("search")(index_cli.bench_search)
bench.command("ask")(retrieval_cli.bench_ask)
bench.command("api")(api_cli.bench_api)
app.add_typer(bench, name="bench")
