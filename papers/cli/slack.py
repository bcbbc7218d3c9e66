"""`papers slack` (the bot in Socket Mode) and `papers feedback` (what councillors thought of its answers)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.exchanges import Exchanges
from papers.cli.output import existing_library, reported_problems
from papers.settings import get_settings


def slack() -> None:
    """Run the Slack bot over a Socket Mode connection (no public URL needed).

    Needs PAPERS_SLACK_BOT_TOKEN and PAPERS_SLACK_APP_TOKEN; start-up stops, naming what is missing or wrong."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import build_app, check

    settings = get_settings()
    try:
        check(settings, "socket")
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    with reported_problems():
        library = existing_library()
        library.warm()
        library.catch_up()  # an index behind the store answers while it is rebuilt
    app = build_app(settings, lambda: library, Exchanges(settings.slack_exchanges))
    typer.echo(f"Answering {settings.slack_command}, mentions and direct messages over Socket Mode; Ctrl-C stops.")
    SocketModeHandler(app, settings.slack_app_token).start()


def feedback(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (one object per verdict).")] = False,
) -> None:
    """What councillors said of the bot's answers: question, answer, cited chunks, who, when, helpful or not."""
    path = get_settings().slack_exchanges
    rows = Exchanges(path).export() if path.exists() else []
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        verdict = "helpful" if row["helpful"] else "not helpful"
        typer.echo(f"{row['rated_at']}  {verdict:11}  {row['question']}  ({len(row['chunk_ids'])} sources)")
    if not rows:
        typer.echo("No feedback yet.")
