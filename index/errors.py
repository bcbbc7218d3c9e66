"""Errors of the index, each with the HTTP status an API should answer with."""


class IndexProblem(Exception):
    """The index cannot serve: missing, stale or built for another model. The message says what to run."""

    status = 503


class BadQuery(ValueError):
    """A search parameter is wrong; the message names it."""

    status = 422
