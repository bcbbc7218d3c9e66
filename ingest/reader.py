"""Turn a file's bytes into numbered lines, choosing the reader by what the bytes are, not by the file's name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import IngestError
from ingest.model import Line
from ingest.ocr import Ocr, Progress
from ingest.pdf import read_pdf

_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<\?xml[^>]*>\s*<html)", re.IGNORECASE)


@dataclass
class Reading:
    """The lines of a file, what format it turned out to be, and what a user should know about reading it."""

    format: str
    lines: list[Line]
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Printed:
    """A line of a page's text layer: no recogniser's confidence, as it was not recognised."""

    text: str
    confidence: None = None


def looks_like_pdf(data: bytes) -> bool:
    """A PDF by its content: the `%PDF-` header, perhaps after a little junk, whatever the file is called."""
    return data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]


def read(path: str, data: bytes, pdf_password: str = "", ocr: Ocr | None = None,
         progress: Progress | None = None) -> Reading:
    """Read a PDF page by page or a text file line by line; raise IngestError naming what the file really is.
    A PDF's pages without text are read by OCR as `ocr` says (not at all without it); their lines carry the
    recogniser's confidence."""
    if not data.strip():
        raise IngestError(path, "empty file: nothing to read")
    if looks_like_pdf(data):
        pages, warnings, scanned = read_pdf(path, data, pdf_password, ocr, progress)
        page_lines = [
            (number, line.text, line.confidence) for number, page in enumerate(pages, 1)
            for line in scanned.get(number) or [_Printed(text) for text in page.splitlines()]
        ]
        lines = [Line(text, n, page, confidence=confidence) for n, (page, text, confidence) in enumerate(page_lines, 1)]
        return Reading("pdf", lines, len(pages), warnings)
    text = _decode(path, data)
    warnings = []
    if path.lower().endswith(".pdf"):
        warnings.append("named .pdf but holds plain text: read as text")
    return Reading("text", [Line(t, n) for n, t in enumerate(text.splitlines(), 1)], None, warnings)


def _decode(path: str, data: bytes) -> str:
    if _HTML.match(data[:512]):
        what = "not a PDF: looks like an HTML page" if path.lower().endswith(".pdf") else "an HTML page"
        raise IngestError(path, f"{what} (often a failed download saved under the paper's name)")
    if b"\x00" in data[:4096]:
        raise IngestError(path, "not a PDF or a text file: unrecognised binary content")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(path, "not a PDF or a UTF-8 text file: unrecognised binary content") from None
    printable = sum(ch.isprintable() or ch in "\t\n\r" for ch in text[:4096])
    if printable < 0.95 * min(len(text), 4096):
        raise IngestError(path, "not a PDF or a text file: mostly unprintable characters")
    return text
