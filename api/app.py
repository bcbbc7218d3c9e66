"""The HTTP service: the JSON API and the search page over one store and index, loaded once at start-up.

`create_app` builds it for `papers serve` (uvicorn) and for tests; the heavy objects (the index, the embedding
model) are loaded when the app starts and shared by every request through `app.state.library`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api import pages, routes
from api.keys import Keys
from bot.app import check as check_slack
from index.errors import BadQuery, IndexProblem
from papers.library import Library
from papers.settings import Settings, get_settings

FORM_OVERHEAD = 64 * 1024  # room for the multipart headers around the file

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
    app.include_router(routes.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    if slack:
        mount_slack(app, settings)

    @app.exception_handler(BadQuery)
    async def bad_query(_: Request, error: BadQuery) -> JSONResponse:
        """Shaped like FastAPI's own 422s, so a client reads every bad parameter the same way."""
        parameter = str(error).split(":", 1)[0]
        return JSONResponse({"detail": [{"loc": ["query", parameter], "msg": str(error), "type": "value_error"}]},
                            status_code=error.status)

    @app.exception_handler(IndexProblem)
    async def index_problem(_: Request, error: IndexProblem) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=error.status)

    @app.middleware("http")
    async def refuse_oversized_uploads(request: Request, call_next):
        """A paper larger than the limit is refused from its Content-Length, before its body is read."""
        if request.method == "POST" and request.url.path == "/documents":
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > settings.upload_max_mb * 1024 * 1024 + FORM_OVERHEAD:
                return JSONResponse({"detail": routes.too_large(settings)}, status_code=413)
        return await call_next(request)

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
