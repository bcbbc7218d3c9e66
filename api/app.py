"""The HTTP service: the JSON API, the search page and the record pages over one store and index, loaded once
at start-up.

`create_app` builds it for `papers serve` (uvicorn) and for tests; the heavy objects (the index, the embedding
model) are loaded when the app starts and shared by every request through `app.state.library`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from api import browse, limits, pages, problems, routes
from api.keys import Keys
from bot.app import check as check_slack
from papers.library import Library
from papers.settings import Settings, get_settings

DESCRIPTION = """Search council committee papers and get answers quoted from them, each claim cited.

Send an API key as `Authorization: Bearer KEY` (keys and their roles come from `PAPERS_API_KEYS`); without one
you are the public and exempt papers are never returned. Upload and delete need an officer's key."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    keys = Keys.parse(settings.api_keys)  # a malformed setting stops start-up, naming it
    slack = bool(settings.slack_signing_secret)  # the secret turns HTTP mode on; a bot token alone is Socket Mode's
    if slack:
        check_slack(settings, "http")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.library = Library(settings)
        app.state.library.warm()
        app.state.library.catch_up()  # an index behind the store serves while it is rebuilt
        yield
        app.state.library.close()

    app = FastAPI(title="Council papers", description=DESCRIPTION, version="0.1.0", lifespan=lifespan)
    app.state.keys = keys
    app.add_middleware(limits.BodyLimit, limit_for=limits.of_route(settings))
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    pages.mount_static(app)
    if slack:
        mount_slack(app, settings)

    problems.install(app)
    return app


def mount_slack(app: FastAPI, settings: Settings) -> None:
    """The Slack bot in HTTP mode: Slack posts events, commands and clicks to `/slack/events`, each request's
    signature checked against `PAPERS_SLACK_SIGNING_SECRET` (a bad one is 401)."""
    from slack_bolt.adapter.fastapi import SlackRequestHandler

    from bot.app import build_app
    from bot.exchanges import Exchanges

    exchanges = Exchanges(settings.slack_exchanges)
    handler = SlackRequestHandler(build_app(settings, lambda: app.state.library, exchanges))

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request):
        return await handler.handle(request)
