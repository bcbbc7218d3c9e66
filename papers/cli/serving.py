"""`papers serve`: the HTTP API, the search page (and the Slack bot in HTTP mode), with uvicorn; `papers bench api`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from papers.cli.output import existing_library, reported_problems


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
) -> None:
    """Serve the API (OpenAPI at /docs) and the search page (/) over the papers in $PAPERS_HOME, and the Slack bot
    at /slack/events when PAPERS_SLACK_SIGNING_SECRET is set.

    Start-up stops, saying why, when the store or index is missing or a setting is malformed."""
    import uvicorn

    from api.app import create_app

    with reported_problems():
        library = existing_library()
        library.current  # noqa: B018 -- refuses a missing or damaged index, saying what to run, before serving
        library.close()
        try:
            app = create_app(library.settings)
        except ValueError as error:  # a malformed PAPERS_API_KEYS, or Slack settings HTTP mode lacks
            raise typer.BadParameter(str(error)) from None
    uvicorn.run(app, host=host, port=port, log_level="info")


def bench_api(
    clients: Annotated[int, typer.Option(help="Concurrent clients.")] = 20,
    seconds: Annotated[float, typer.Option(help="How long they keep at it.")] = 30,
    url: Annotated[str | None, typer.Option(help="A running server; by default one is started on loopback.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """A bounded load test: clients alternating searches and questions; throughput, p50/p95 and errors."""
    from api.bench import run_load, served

    if url:
        figures = run_load(url, clients, seconds).summary()
    else:
        with reported_problems():
            existing_library().close()
        with served() as started:
            figures = run_load(started, clients, seconds).summary()
    figures = {"clients": clients, "seconds": seconds, **figures}
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        typer.echo(" ".join(f"{name}={value}" for name, value in figures.items() if name != "first_errors"))
        for error in figures["first_errors"]:
            typer.echo(f"error: {error}")
    if figures["errors"]:
        raise typer.Exit(1)
