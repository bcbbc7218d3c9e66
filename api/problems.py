"""How the API answers what went wrong: a bad parameter as a 422 shaped like FastAPI's own, located where the client
sent it; an index that cannot serve as its 503."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from index.errors import BadQuery, IndexProblem


def install(app: FastAPI) -> None:
    app.add_exception_handler(BadQuery, bad_query)
    app.add_exception_handler(IndexProblem, index_problem)


async def bad_query(request: Request, error: BadQuery) -> JSONResponse:
    problem = {"loc": sent_as(request, error.parameter), "msg": str(error), "type": "value_error"}
    return JSONResponse({"detail": [problem]}, status_code=error.status)


async def index_problem(_: Request, error: IndexProblem) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=error.status)


def sent_as(request: Request, parameter: str) -> list[str]:
    """Where the client sent the parameter a domain error names, as FastAPI's own 422s locate it: a query parameter
    by the name the client used (`/search` takes `date_from` as `from`), or a field of the JSON body."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        for field in route.dependant.query_params:
            if field.name == parameter:
                return ["query", field.alias]
        for body in route.dependant.body_params:
            model = body.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel) and parameter in model.model_fields:
                return ["body", parameter]
    return [parameter]

