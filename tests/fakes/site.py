"""What the fake committee sites share: a site's documents served with validators, one-off replies, and a log of
requests. Each fake (moderngov.py, legistar.py) subclasses `Site` with its own content, routes and addresses.

Every document answers with an ETag and a Last-Modified, and 304 to a matching If-None-Match (or, without one, to an
If-Modified-Since not before it). `site.set_content(id, data)` changes a document (new ETag, later Last-Modified);
`site.queue(id, 503, (429, {"Retry-After": "2"}))` makes it answer those first, once each. Every request is kept as a
`Seen` (path, query arguments, headers, status, monotonic time): `site.requests(path, **args)`, `site.hits(…)`,
`site.times(…)`, `site.counts()` (per path), `site.forget()`; each fake adds `site.url(id)` and `site.downloads(id)`.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response


class Document:
    """What a site serves of a document; each fake's `FakeDocument` dataclass declares these fields and its own."""

    id: str
    content: bytes
    content_type: str
    status: int  # the answer every time: 404 gone, 401 or 403 refused
    modified: datetime
    replies: list[tuple[int, dict[str, str]]]  # answered first, once each

    @property
    def etag(self) -> str:
        return f'"{hashlib.sha256(self.content).hexdigest()[:16]}"'


D = TypeVar("D", bound=Document)


@dataclass(frozen=True)
class Seen:
    """One request the site answered; `headers` keyed in lower case, `at` from `time.monotonic()`."""

    path: str
    args: dict[str, str]
    headers: dict[str, str]
    status: int
    at: float


class Site(Generic[D]):
    """Documents by id, answered as `serve` does, and every request the site answered, in order."""

    def __init__(self, documents: Iterable[D]) -> None:
        self.documents: dict[str, D] = {document.id: document for document in documents}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    # What tests read and change

    def set_content(self, document_id: str, content: bytes) -> None:
        """New bytes for a document: its ETag follows them and its Last-Modified moves on (a second at least)."""
        with self._lock:
            document = self.documents[document_id]
            document.content = content
            now = datetime.now(UTC).replace(microsecond=0)
            document.modified = max(now, document.modified + timedelta(seconds=1))

    def queue(self, document_id: str, *replies: int | tuple[int, dict[str, str]]) -> None:
        """Answers the document gives first, once each, before its content: 503, or (429, {"Retry-After": "1"})."""
        with self._lock:
            self.documents[document_id].replies.extend(
                reply if isinstance(reply, tuple) else (reply, {}) for reply in replies)

    def requests(self, path: str | None = None, **args: str) -> list[Seen]:
        """Requests to `path` (a URL or a path; all when None) whose query arguments include `args`."""
        wanted = None if path is None else self._path(path)
        with self._lock:
            return [seen for seen in self.seen if (wanted is None or seen.path == wanted)
                    and all(seen.args.get(name) == value for name, value in args.items())]

    def hits(self, path: str | None = None, **args: str) -> int:
        return len(self.requests(path, **args))

    def times(self, path: str | None = None, **args: str) -> list[float]:
        return [seen.at for seen in self.requests(path, **args)]

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(seen.path for seen in self.seen)

    def forget(self) -> None:
        with self._lock:
            self.seen.clear()

    def _path(self, path: str) -> str:
        """The path that `requests(path)` matches: a URL's, or the path itself."""
        return urlsplit(path).path

    # The server's side

    def _answer(self, request: Request, response: Response) -> Response:
        """`response`, once the request is logged."""
        with self._lock:
            self.seen.append(Seen(request.path, request.args.to_dict(),
                                  {name.lower(): value for name, value in request.headers.items()},
                                  response.status_code, time.monotonic()))
        return response

    def serve(self, request: Request, document: D | None) -> Response:
        """The document as the site answers for it: 404 when there is none, a queued reply, its fixed failure, a 304
        to a request whose validators match, or its content with ETag and Last-Modified."""
        if document is None:
            return self._answer(request, Response("Not found", status=404, content_type="text/plain"))
        with self._lock:
            reply = document.replies.pop(0) if document.replies else None
        if reply:
            status, headers = reply
            return self._answer(request, Response(f"HTTP {status}", status, headers, content_type="text/plain"))
        if document.status != 200:
            return self._answer(request, Response(f"HTTP {document.status}", document.status,
                                                  content_type="text/plain"))
        headers = {"ETag": document.etag, "Last-Modified": email.utils.format_datetime(document.modified, usegmt=True)}
        if not_modified(request, document):
            return self._answer(request, Response(status=304, headers=headers))
        return self._answer(request, Response(document.content, 200, headers, content_type=document.content_type))


def not_modified(request: Request, document: Document) -> bool:
    """If-None-Match decides when sent (RFC 9110 13.2.2); If-Modified-Since only without it."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or document.etag in tags
    since = request.headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return document.modified <= email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


# Files


def text_pdf(*lines: str) -> bytes:
    """A one-page PDF with these lines of text, for papers the corpus has no real copy of."""
    shown = " ".join("(" + line.replace("\\", r"\\").replace("(", r"\(").replace(")", r"\)") + ") '" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 760 Td {shown} ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               "/Contents 5 0 R >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


@cache
def read(path: Path) -> bytes:
    """A file's bytes, read once a test session (the corpus's real papers)."""
    return path.read_bytes()
