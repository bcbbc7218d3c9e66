"""How large a request body may be: an upload up to `PAPERS_UPLOAD_MAX_MB`, every other body (the JSON of
`POST /ask`, a Slack event) up to `PAPERS_BODY_MAX_KB`; a larger one is refused (413) before the service reads it
all, whether its length is declared or it comes in chunks without one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import routes
from papers.settings import Settings

FORM_OVERHEAD = 64 * 1024  # room for the multipart headers around an uploaded file


@dataclass(frozen=True)
class Limit:
    size: int  # bytes
    problem: str  # what the 413 says, naming the setting


def of_route(settings: Settings) -> Callable[[Scope], Limit]:
    """The limit of the route a request was routed to: the upload's own, or the one on every other body."""
    upload = Limit(settings.upload_max_mb * 1024 * 1024 + FORM_OVERHEAD, routes.too_large(settings))
    other = Limit(settings.body_max_kb * 1024,
                  f"body: larger than {settings.body_max_kb} KB (PAPERS_BODY_MAX_KB)")
    return lambda scope: upload if getattr(scope.get("route"), "endpoint", None) is routes.upload else other


class BodyLimit:
    """ASGI middleware counting a request's body as the app reads it: past the limit of its route (known by the time
    the body is read) it raises a 413 at once, from the declared length before any byte is read, or else from the
    bytes received so far, so an endless chunked body is not read to its end either."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], Limit]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            limit = self.limit_for(scope)
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > limit.size:
                raise HTTPException(413, limit.problem)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.size:
                    raise HTTPException(413, limit.problem)
            return message

        await self.app(scope, counted, send)
