"""The JSON API: search, ask, meetings, documents, decisions, actions, figures, chunks, upload and delete, health.

Every read goes through the caller's view of the papers (`papers/view.py`), made from their key's role, so an
exempt paper never reaches a public caller, whichever way it asks; for a caller who may not see it, an exempt
document or chunk does not exist (404), so its existence is not given away either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, Request, UploadFile, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.keys import Keys
from api.models import (
    MAX_K,
    MAX_QUERY_CHARS,
    Action,
    ActionPrinting,
    AskRequest,
    Chunk,
    Decision,
    Document,
    DocumentSummary,
    Figure,
    Health,
    Meeting,
    MeetingSummary,
    Mode,
    Problem,
    QueryText,
    RequestDate,
    SearchResults,
    Uploaded,
)
from index.filters import Filter
from ingest.records import DECISION, FIGURE
from papers.access import OFFICER, PUBLIC
from papers.library import Library, UploadRefused
from papers.view import View
from retrieval.contract import AgendaItemRef, Answer
from retrieval.passages import document_ref
from sync.state import last_successes

MAX_PAGE = 20
MAX_PER_PAGE = 500
bearer = HTTPBearer(auto_error=False, description="An API key from PAPERS_API_KEYS; without one you are public.")
router = APIRouter()
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}}


def library(request: Request) -> Library:
    return request.app.state.library


def role(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    """The caller's role: from their API key, or public without one; an unknown or malformed key is 401."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Authorization: expected `Bearer <API key>`",
                                headers={"WWW-Authenticate": "Bearer"})
        return PUBLIC
    keys: Keys = request.app.state.keys
    found = keys.role_of(credentials.credentials)
    if found is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Authorization: unknown API key",
                            headers={"WWW-Authenticate": "Bearer"})
    return found


def officer(request: Request, caller: Annotated[str, Depends(role)]) -> str:
    """Only an officer key may change the papers: none is 401, another role's is 403."""
    if not request.headers.get("authorization"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Authorization: an officer's API key is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    if caller != OFFICER:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"a {caller} key may not change the papers; an officer's may")
    return caller


def view(request: Request, caller: Annotated[str, Depends(role)]) -> View:
    """The papers as the caller's role may see them: every read below goes through it."""
    return library(request).view(caller)


Papers = Annotated[View, Depends(view)]
Library_ = Annotated[Library, Depends(library)]


@dataclass(frozen=True)
class Paging:
    """Which page of a list, as every list endpoint (and the pages that show them) takes it."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(page: Annotated[int, Query(ge=1, le=10_000, description="Which page, from 1.")] = 1,
           per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="How many to a page.")] = 100,
           ) -> Paging:
    """One declaration of `page` and `per_page`, so a page of HTML pages through a list as its endpoint does."""
    return Paging(page, per_page)


Paged = Annotated[Paging, Depends(paging)]


@router.get("/search", response_model=SearchResults, responses=ERRORS, tags=["search"])
def search(
    papers: Papers,
    q: Annotated[QueryText, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Keywords or a question.")],
    committee: Annotated[str | None, Query(max_length=200, description="Committees whose name contains this.")] = None,
    date_from: Annotated[RequestDate | None, Query(alias="from", description="Meetings on or after (YYYY-MM-DD).")
                         ] = None,
    date_to: Annotated[RequestDate | None, Query(alias="to", description="Meetings on or before (YYYY-MM-DD).")
                       ] = None,
    kind: Annotated[str | None, Query(max_length=40, description="Document kind: report, minutes, ...")] = None,
    item: Annotated[str | None, Query(max_length=10, description="Agenda item number, e.g. 6a.")] = None,
    k: Annotated[int, Query(ge=1, le=MAX_K, description="Passages per page.")] = 10,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Which page of results, from 1.")] = 1,
    mode: Annotated[Mode, Query(description="bm25, dense or hybrid.")] = "hybrid",
) -> dict:
    """Ranked passages for a query, each with its meeting, agenda item, document and page or lines."""
    where = Filter(committee=committee, date_from=iso(date_from), date_to=iso(date_to), kind=kind, item=item)
    found = papers.search(q, k, where, mode, skip=k * (page - 1))
    return {"query": q, "page": page, "k": k, "passages": found}


@router.post("/ask", response_model=Answer, responses=ERRORS | {413: {"model": Problem}}, tags=["search"])
def ask(papers: Papers, request: AskRequest) -> Answer:
    """An answer quoted from the papers with numbered citations, or a plain statement that they do not answer."""
    where = Filter(committee=request.committee, date_from=iso(request.date_from), date_to=iso(request.date_to),
                   kind=request.kind)
    return papers.ask(request.question, where, request.mode, request.k)


@router.get("/meetings", response_model=list[MeetingSummary], responses=ERRORS, tags=["papers"])
def meetings(papers: Papers) -> list[dict]:
    """Every meeting with papers the caller may see, oldest first."""
    return papers.meetings()


@router.get("/meetings/{meeting_id}", response_model=Meeting, responses=ERRORS, tags=["papers"])
def meeting(papers: Papers,
            meeting_id: Annotated[str, Path(description="A meeting's id, from `GET /meetings`.")]) -> dict:
    """A meeting's agenda: its items in order, each with the documents under it the caller may see. A meeting
    none of whose papers the caller may see does not exist for them."""
    found = papers.meeting(meeting_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"meeting_id: no meeting {meeting_id!r}")
    return found


@router.get("/documents", response_model=list[DocumentSummary], responses=ERRORS, tags=["papers"])
def documents(papers: Papers, paged: Paged) -> list[dict]:
    """The documents the caller may see, newest meeting first, a page at a time."""
    return papers.documents(limit=paged.per_page, offset=paged.offset)


@router.get("/decisions", response_model=list[Decision], responses=ERRORS, tags=["papers"])
def decisions(
    papers: Papers,
    paged: Paged,
    committee: Annotated[str | None, Query(max_length=200, description="Committees whose name contains this.")] = None,
    date_from: Annotated[RequestDate | None, Query(alias="from", description="Made on or after (YYYY-MM-DD).")
                         ] = None,
    date_to: Annotated[RequestDate | None, Query(alias="to", description="Made on or before (YYYY-MM-DD).")] = None,
) -> list[Decision]:
    """What the minutes the caller may see record as decided, with the vote, and what reports recommend; newest
    first, each with its meeting, agenda item, document and page or lines."""
    rows = papers.records(DECISION, committee, iso(date_from), iso(date_to), paged.per_page, paged.offset)
    return [_decision(row) for row in rows]


@router.get("/figures", response_model=list[Figure], responses=ERRORS, tags=["papers"])
def figures(
    papers: Papers,
    paged: Paged,
    measure: Annotated[str | None, Query(max_length=200, description="Measures whose name contains this.")] = None,
    committee: Annotated[str | None, Query(max_length=200, description="Committees whose name contains this.")] = None,
    date_from: Annotated[RequestDate | None, Query(alias="from", description="Reported on or after (YYYY-MM-DD).")
                         ] = None,
    date_to: Annotated[RequestDate | None, Query(alias="to", description="Reported on or before (YYYY-MM-DD).")
                       ] = None,
) -> list[Figure]:
    """The figures (a KPI's value for a period, with its target, comparator and RAG when printed) in the papers
    the caller may see, newest meeting first; `measure` narrows them to one measure's series."""
    rows = papers.records(FIGURE, committee, iso(date_from), iso(date_to), paged.per_page, paged.offset, measure)
    return [_figure(row) for row in rows]


@router.get("/actions", response_model=list[Action], responses=ERRORS, tags=["papers"])
def actions(
    papers: Papers,
    paged: Paged,
    state: Annotated[Literal["open", "done"] | None, Query(alias="status", description="Only open, or only done, "
                                                                                      "actions.")] = None,
    committee: Annotated[str | None, Query(max_length=200, description="Committees whose name contains this.")] = None,
    date_from: Annotated[RequestDate | None, Query(alias="from", description="Last printed on or after (YYYY-MM-DD).")
                         ] = None,
    date_to: Annotated[RequestDate | None, Query(alias="to", description="Last printed on or before (YYYY-MM-DD).")
                       ] = None,
) -> list[Action]:
    """The actions in the papers the caller may see (action sheets, trackers, ACTION in minutes), each one
    timeline across the meetings that printed it, the one printed latest first, with where it stands now."""
    found = papers.actions(committee, iso(date_from), iso(date_to), state)
    return [_action(action) for action in found[paged.offset:paged.offset + paged.per_page]]


@router.get("/actions/{action_id}", response_model=Action, responses=ERRORS, tags=["papers"])
def action(papers: Papers, action_id: Annotated[str, Path(description="An action's id, from `GET /actions`.")]
           ) -> Action:
    """One action's timeline: each printing's status, oldest meeting first, with where each comes from."""
    found = papers.action(action_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"action_id: no action {action_id!r}")
    return _action(found)


DocumentId = Annotated[str, Path(description="A document's id, from `GET /documents` or a passage.")]


@router.get("/documents/{document_id}", response_model=Document, responses=ERRORS, tags=["papers"])
def document(papers: Papers, document_id: DocumentId) -> dict:
    """A document with all its passages in order."""
    found = papers.document(document_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"document_id: no document {document_id!r}")
    document_row, chunks = found
    return document_row | {"passages": [_chunk_view(chunk) for chunk in chunks]}


@router.get("/chunks/{chunk_id}", response_model=Chunk, responses=ERRORS, tags=["papers"])
def chunk(papers: Papers,
          chunk_id: Annotated[str, Path(description="A passage's id, from a search or a citation.")]) -> dict:
    """One passage with the document and agenda item it belongs to."""
    found = papers.chunk(chunk_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"chunk_id: no passage {chunk_id!r}")
    row, located = found
    return _chunk_view(row) | {"document": located.document, "context": row["context"]}


@router.post("/documents", response_model=Uploaded, status_code=status.HTTP_201_CREATED,
             responses=ERRORS | {413: {"model": Problem}, 500: {"model": Problem}}, tags=["changes"])
async def upload(
    papers: Library_, _: Annotated[str, Depends(officer)],
    file: Annotated[UploadFile, File(description="A paper: PDF or text, told apart by its content.")],
) -> dict:
    """Add a paper: it is ingested and indexed before this returns; when it cannot be read nothing is kept."""
    limit = papers.settings.upload_max_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, too_large(papers.settings))
    name = file.filename or "paper"
    try:
        result = await run_in_threadpool(papers.add, name, data)  # ingest and index block; requests go on
    except UploadRefused as refused:  # shaped like FastAPI's own 422s, as every 422 of the API is
        problem = {"loc": ["body", "file"], "msg": f"file: {refused}", "type": "value_error"}
        raise HTTPException(422, [problem]) from None
    except Exception as error:  # the store and index were put back as they were
        message = f"file: {name} could not be indexed, so nothing was kept ({type(error).__name__})"
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, message) from None
    return {"file": name, "status": result.status, "pages": result.pages, "items": result.items,
            "chunks": result.chunks, "warnings": result.warnings}


@router.delete("/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS,
               tags=["changes"])
def delete(papers: Library_, _: Annotated[str, Depends(officer)], document_id: DocumentId) -> None:
    """Take a document and its passages out of the store and the index."""
    if not papers.remove(document_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"document_id: no document {document_id!r}")


@router.get("/health", response_model=Health, responses=ERRORS, tags=["service"])
def health(papers: Papers, library: Library_) -> dict:
    """What the caller may see (meetings, documents, chunks), the index in use, whether it is behind the store,
    the embedding model, and each synced site's last successful sync."""
    chunks, vectors = papers.index_size()
    return {"store": papers.counts(), "index": f"{chunks} chunks, {vectors} vectors", "model": papers.model,
            "behind": papers.behind, "sources": last_successes(library.store)}


def iso(day: datetime.date | None) -> str | None:
    """A request's date as the filter takes it."""
    return day.isoformat() if day else None


def too_large(settings) -> str:
    return f"file: larger than {settings.upload_max_mb} MB (PAPERS_UPLOAD_MAX_MB)"


def _decision(row: dict) -> Decision:
    fields = row["fields"]
    return Decision(
        id=row["id"], decision=fields["decision"], text=row["text"], vote=fields.get("vote"),
        votes_for=fields.get("for"), votes_against=fields.get("against"), abstentions=fields.get("abstain"),
        minute=fields.get("minute"), date=row["date"], body=row["body"], section=row["section"],
        chunk_id=row["chunk_id"], **_located(row))


def _located(row: dict) -> dict:
    """Where a record comes from: its document, agenda item, and pages or lines."""
    return {"document": document_ref(row),
            "agenda_item": AgendaItemRef(number=row["item"], title=row["item_title"]) if row["item"] else None,
            "pages": [row["page_start"], row["page_end"]] if row["page_start"] else None,
            "lines": None if row["page_start"] else [row["line_start"], row["line_end"]],
            "ocr_confidence": row["ocr_confidence"]}


def _action(action: dict) -> Action:
    history = [ActionPrinting(id=row["id"], date=row["date"], status=row["fields"].get("status"), text=row["text"],
                              progress=row["fields"].get("progress"), chunk_id=row["chunk_id"], **_located(row))
               for row in action["history"]]
    return Action(**{key: value for key, value in action.items() if key != "history"}, history=history)


def _figure(row: dict) -> Figure:
    fields = row["fields"]
    return Figure(
        id=row["id"], measure=fields["measure"], value=fields["value"], unit=fields.get("unit"),
        period=fields.get("period"), period_normalised=fields.get("period_normalised"), target=fields.get("target"),
        comparator=fields.get("comparator"), rag=fields.get("rag"), text=row["text"], date=row["date"],
        section=row["section"], chunk_id=row["chunk_id"], **_located(row))


def _chunk_view(row: dict) -> dict:
    return {
        "id": row["id"], "position": row["position"], "item": row["item"], "kind": row["kind"],
        "section": row["section"], "text": row["text"], "rows": row["fields_text"],
        "pages": [row["page_start"], row["page_end"]] if row["page_start"] else None,
        "lines": None if row["page_start"] else [row["line_start"], row["line_end"]],
    }
