"""The `papers` command: each subcommand lives beside what it runs and is gathered here."""

import typer

from ingest import cli as ingest_cli

app = typer.Typer(
    help="Search and cited answers over council committee papers. Data lives in $PAPERS_HOME (default ./data).",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(ingest_cli.ingest)
app.command()(ingest_cli.meetings)
app.command()(ingest_cli.items)
app.command()(ingest_cli.show)
