"""Why a file could not be ingested, said so that the person who gave it knows what to do."""


class IngestError(Exception):
    """A file that cannot be read as committee papers; the batch goes on without it.

    `status` is the HTTP status an upload of such a file gets.
    """

    status = 422

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
