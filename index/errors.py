"""Errors of the index, each with the HTTP status an API should answer with."""


class IndexProblem(Exception):
    """The index cannot serve: missing, stale or built for another model. The message says what to run."""

    status = 503


class BadQuery(ValueError):
    """A search parameter is wrong. `parameter` names it as the code calls it (`date_from`, `committee`), so a front
    end can say where its caller sent it without reading the message, which begins with it."""

    status = 422

    def __init__(self, parameter: str, problem: str) -> None:
        super().__init__(f"{parameter}: {problem}")
        self.parameter = parameter
