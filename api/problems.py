"""How the API answers what went wrong: a bad parameter as a 422 shaped like FastAPI's own, located where the client
sent it; an index that cannot serve as its 503; a 405 listing every method its path allows."""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPMethod

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from index.errors import BadQuery, IndexProblem


def install(app: FastAPI) -> None:
    app.add_exception_handler(BadQuery, bad_query)
    app.add_exception_handler(IndexProblem, index_problem)
    app.add_exception_handler(HTTPException, http_problem)


async def bad_query(request: Request, error: BadQuery) -> JSONResponse:
    problem = {"loc": sent_as(request, error.parameter), "msg": str(error), "type": "value_error"}
    return JSONResponse({"detail": [problem]}, status_code=error.status)


async def index_problem(_: Request, error: IndexProblem) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=error.status)


async def http_problem(request: Request, error: HTTPException) -> Response:
    """FastAPI's answer, but a 405 lists every method the path allows: Starlette lists only those of the first
    route matching the path (`GET` alone for `/documents`, which takes `POST` too)."""
    if error.status_code == 405 and (allowed := allowed_methods(request)):
        error = HTTPException(405, error.detail, headers={"Allow": ", ".join(allowed)})
    return await http_exception_handler(request, error)


def sent_as(request: Request, parameter: str) -> list[str]:
    """Where the client sent the parameter a domain error names, as FastAPI's own 422s locate it: a query parameter
    by the name the client used (`/search` takes `date_from` as `from`), or a field of the JSON body."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        for name, alias in query_names(route.dependant):
            if name == parameter:
                return ["query", alias]
        for body in route.dependant.body_params:
            model = body.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel) and parameter in model.model_fields:
                return ["body", parameter]
    return [parameter]


def query_names(dependant: Dependant) -> Iterator[tuple[str, str]]:
    """A route's query parameters as the code and the client name them: its own, then those of what it depends on
    (a record page takes its endpoint's)."""
    yield from ((field.name, field.alias) for field in dependant.query_params)
    for needed in dependant.dependencies:
        yield from query_names(needed)


def allowed_methods(request: Request) -> list[str]:
    """The methods some route takes at the request's path, each route asked for each method (an included router
    keeps its routes' methods to itself). A mounted app (the static files) answers its own 405s."""
    def taken(method: str) -> bool:
        probe = {"type": "http", "path": request.scope["path"], "root_path": request.scope.get("root_path", ""),
                 "method": method}
        return any(route.matches(probe)[0] == Match.FULL for route in request.app.routes
                   if not isinstance(route, Mount))

    return [method.value for method in HTTPMethod if taken(method.value)]
