"""The records as pages: decisions, actions and one action's timeline, and figures with a chart of each measure.

Each page takes its records from the JSON endpoint of the same name (`routes.py`), called as a dependency: its
query parameters are parsed and checked as the endpoint's are, and its records read through the same view of the
caller's role (`papers/view.py`; a browser sends no key, so the public's). There is no second gate to forget.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api import routes
from api.chart import line_chart
from api.models import Action, Decision, Figure
from api.pages import PageRoute, templates
from ingest.figures import series
from ingest.records import FIGURE, Record
from papers.view import View

router = APIRouter(prefix="/browse", include_in_schema=False, route_class=PageRoute)
FIGURE_FIELDS = {"measure", "value", "unit", "period", "period_normalised", "target", "comparator", "rag"}


def page_links(request: Request, paged: routes.Paging, shown: int) -> dict[str, str | None]:
    """The previous and next pages of a list with the same filters; no next page after one that is not full."""
    def link(page: int) -> str:
        return f"{request.url.path}?{urlencode({**request.query_params, 'page': page})}"

    return {"previous": link(paged.page - 1) if paged.page > 1 else None,
            "next": link(paged.page + 1) if shown == paged.per_page else None}


def render(request: Request, template: str, papers: View, **context: object) -> HTMLResponse:
    """A record page, its form filled in with what was asked and offering the committees the caller may see."""
    return templates.TemplateResponse(request, template, {
        "form": dict(request.query_params), "committees": papers.committees(), **context})


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(request: Request, papers: routes.Papers, paged: routes.Paged,
                   found: Annotated[list[Decision], Depends(routes.decisions)]) -> HTMLResponse:
    """`GET /decisions` as a page: each decision's kind, words, meeting, committee and item, cited."""
    return render(request, "decisions.html", papers, decisions=found, pages=page_links(request, paged, len(found)))


@router.get("/actions", response_class=HTMLResponse)
def actions_page(request: Request, papers: routes.Papers, paged: routes.Paged,
                 found: Annotated[list[Action], Depends(routes.actions)]) -> HTMLResponse:
    """`GET /actions` as a page: where each action stands now, linked to its timeline."""
    return render(request, "actions.html", papers, actions=found, pages=page_links(request, paged, len(found)))


@router.get("/actions/{action_id}", response_class=HTMLResponse)
def action_page(request: Request, papers: routes.Papers,
                found: Annotated[Action, Depends(routes.action)]) -> HTMLResponse:
    """`GET /actions/{id}` as a page: each status as printed, the latest first, with the passage printing it."""
    return render(request, "action.html", papers, action=found, history=found.history[::-1])


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, papers: routes.Papers, paged: routes.Paged,
                 found: Annotated[list[Figure], Depends(routes.figures)]) -> HTMLResponse:
    """`GET /figures` as a page: the figures on this page as one series per measure, a table and a chart each."""
    shown = [{"measure": measure, "figures": figures, "chart": line_chart([(label(f), f.value) for f in figures],
                                                                         measure)}
             for measure, figures in measures(found)]
    return render(request, "figures.html", papers, series=shown, pages=page_links(request, paged, len(found)))


def measures(found: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """The figures grouped as `papers figures` groups them (`ingest/figures.py`: one measure however each paper
    words it), each in period order, a figure reprinted for the same period shown once."""
    points = [(figure.date or "", Record(FIGURE, 0, figure.text, figure.model_dump(include=FIGURE_FIELDS)))
              for figure in found]
    figure_of = {id(record): figure for (_, record), figure in zip(points, found, strict=True)}
    return [(group.measure, [figure_of[id(record)] for _, record in group.points]) for group in series(points)]


def label(figure: Figure) -> str:
    """A point's label: its period in the one form every paper's is read into ("2024-03", "2024/25 Q3"), so the
    labels of one series read alike; else the period as printed, else the meeting's date."""
    return figure.period_normalised or figure.period or figure.date or "undated"
