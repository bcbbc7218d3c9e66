"""The search page at `/` and the document view: server-rendered HTML (Jinja2), no JavaScript needed.

The page is for anyone with a browser, so it reads through the public's view of the papers only. Matched terms
are marked in each passage; every citation links to its passage in the document view
(`/view/{document_id}#chunk-{chunk_id}`). Every page (these and the record pages, `browse.py`) is served by a
`PageRoute`, so a person always gets a page back, never JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.models import MAX_QUERY_CHARS, ActionPrinting, Decision, Figure
from api.problems import sent_as
from index.errors import BadQuery
from index.filters import Filter
from index.tokens import tokenize
from papers.access import PUBLIC
from papers.view import View
from retrieval.compose import source_label
from retrieval.contract import Passage
from retrieval.kinds import kind_name

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
_WORD = re.compile(r"[\w][\w'’.%/-]*")
RESULTS = 10


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


def highlight(text: str, query: str) -> Markup:
    """The text, escaped, with every word that matches a query term (as BM25 sees it) in <mark>."""
    wanted = set(tokenize(query))
    pieces, last = [], 0
    for match in _WORD.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        word = match.group()
        pieces.append(Markup(f"<mark>{escape(word)}</mark>") if wanted & set(tokenize(word)) else escape(word))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def view_link(cited: Passage | Decision | Figure | ActionPrinting) -> str:
    return f"/view/{cited.document.id}#chunk-{cited.chunk_id}"


def public(request: Request) -> View:
    return request.app.state.library.view(PUBLIC)


templates.env.filters["highlight"] = highlight
templates.env.globals.update(view_link=view_link, source_label=source_label, kind_name=kind_name)


class PageRoute(APIRoute):
    """A page's route. A GET form sends its blank fields too: they are dropped, so a blank field means what an
    absent parameter means to the JSON endpoint a page reads through. A parameter refused, or a record not found,
    is answered as a page saying so, since a person asked."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[None, None, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            given = [(name, value) for name, value in request.query_params.multi_items() if value.strip()]
            request.scope["query_string"] = urlencode(given).encode()
            try:
                return await handle(Request(request.scope, request.receive))
            except RequestValidationError as refused:
                return problem_page(request, 422, [f"{error['loc'][-1]}: {error['msg'].removeprefix('Value error, ')}"
                                                   for error in refused.errors()])
            except BadQuery as refused:  # said with the parameter's name in the address, as a 422 of the API locates it
                problem = str(refused).removeprefix(f"{refused.parameter}: ")
                return problem_page(request, refused.status, [f"{sent_as(request, refused.parameter)[-1]}: {problem}"])
            except StarletteHTTPException as refused:
                return problem_page(request, refused.status_code, [str(refused.detail)], refused.headers)

        return page


def problem_page(request: Request, code: int, problems: list[str], headers: dict[str, str] | None = None
                 ) -> HTMLResponse:
    """What was wrong with a page's request, said on a page; a refused filter with the way back to the page
    without it."""
    back = request.url.path if code == 422 else None
    return templates.TemplateResponse(request, "problem.html", {"problems": problems, "back": back},
                                      status_code=code, headers=headers)


router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request, q: str = "", mode: str = "search", committee: str = "",
    date_from: Annotated[str, Query(alias="from")] = "", date_to: Annotated[str, Query(alias="to")] = "",
    kind: str = "",
) -> HTMLResponse:
    """Every parameter is taken as it comes and cut to size, so a person always gets a page back, never JSON."""
    papers = public(request)
    q, mode = q[:MAX_QUERY_CHARS], "ask" if mode == "ask" else "search"
    committee, date_from, date_to, kind = committee[:200], date_from[:10], date_to[:10], kind[:40]
    form = {"q": q, "mode": mode, "committee": committee, "from": date_from, "to": date_to, "kind": kind}
    context: dict = {"form": form, "committees": papers.committees(), "kinds": papers.kinds(), "found": None,
                     "answer": None, "problem": None}
    if q.strip():
        try:
            where = Filter(committee=committee or None, date_from=date_from or None, date_to=date_to or None,
                           kind=kind or None)
            if mode == "ask":
                context["answer"] = papers.ask(q, where)
            else:
                context["found"] = papers.search(q, RESULTS, where)
        except BadQuery as problem:
            context["problem"] = str(problem)
    return templates.TemplateResponse(request, "search.html", context,
                                      status_code=422 if context["problem"] else 200)


@router.get("/view/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str) -> HTMLResponse:
    papers = public(request)
    found = papers.document(document_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such document")
    document, chunks = found
    meeting = papers.meeting(document["meeting_id"]) if document["meeting_id"] else None
    return templates.TemplateResponse(request, "document.html", {
        "document": document, "meeting": meeting, "items": meeting["items"] if meeting else [], "chunks": chunks,
    })
