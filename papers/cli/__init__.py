"""The `papers` command: a front end over the library of papers (`papers/library.py`), a module per group of
subcommands, gathered here."""

import typer

from papers.cli import answering, evaluating, ingesting, records, searching, serving, slack, syncing

app = typer.Typer(
    help="Search and cited answers over council committee papers. Data lives in $PAPERS_HOME (default ./data).",
    no_args_is_help=True,
    add_completion=False,
)


app.command()(ingesting.ingest)
app.command()(ingesting.meetings)
app.command()(ingesting.items)
app.command()(ingesting.show)
app.command()(syncing.sync)
app.command()(syncing.sources)
app.command()(searching.index)
app.command()(searching.search)
app.command()(answering.ask)
app.command()(records.decisions)
app.command()(records.actions)
app.command()(records.action)
app.command()(records.figures)
app.command("eval")(evaluating.evaluate)
app.command()(serving.serve)
app.command()(slack.slack)
app.command()(slack.feedback)

bench = typer.Typer(help="Benchmarks: speed and memory, measured here and now.", no_args_is_help=True)
bench.command("ingest")(ingesting.bench_ingest)
bench.command("search")(searching.bench_search)
bench.command("embed")(searching.bench_embed)
bench.command("ask")(answering.bench_ask)
bench.command("api")(serving.bench_api)
app.add_typer(bench, name="bench")
