"""Read a PDF page by page with pypdf, saying plainly which pages have no text and what was damaged; pages without
text are read by OCR (`ingest/ocr.py`) when it is on."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ingest.errors import IngestError
from ingest.ocr import LOW_CONFIDENCE, Ocr, OcrLine, Progress, read_pages
from ingest.pdf_tables import read_tables


def read_pdf(path: str, data: bytes, password: str = "", ocr: Ocr | None = None, progress: Progress | None = None
             ) -> tuple[list[str], list[str], dict[int, list[OcrLine]]]:
    """Return the text of each page, the warnings a user should see and the lines of the pages read by OCR (by page
    number); raise IngestError when nothing can be read."""
    with _pypdf_warnings() as damage:
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _unlock(path, reader, password)
            pages = [_page_text(reader, number, damage) for number in range(len(reader.pages))]
            pages = read_tables(data, reader, pages, password)
        except IngestError:
            raise
        except FileNotDecryptedError:
            raise IngestError(path, "encrypted PDF: it needs a password (set PAPERS_PDF_PASSWORD)") from None
        except DependencyError as error:
            raise IngestError(path, f"encrypted PDF that cannot be opened here: {error}") from None
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise IngestError(path, f"truncated or damaged PDF: {error}") from None
    warnings = []
    if damage:
        warnings.append("damaged PDF, read as far as possible: " + "; ".join(dict.fromkeys(damage)))
    blank = [number for number, text in enumerate(pages, 1) if not text.strip()]
    if blank and ocr and ocr.enabled:
        scanned = _read_scanned(path, data, password, blank, ocr, progress, warnings)
        if not scanned and len(blank) == len(pages):
            raise IngestError(path, f"no text on {page_list(blank)}, not even by OCR: nothing to index")
        for number, lines in scanned.items():
            pages[number - 1] = "\n".join(line.text for line in lines)
        return pages, warnings, scanned
    if len(blank) == len(pages):
        raise IngestError(path, f"no text layer on {page_list(blank)}: a scan without OCR, nothing to index")
    if blank:
        warnings.append(f"no text layer on {page_list(blank)} (scanned: those pages are not searchable)")
    return pages, warnings, {}


_WORD = re.compile(r"[^\W_]{2}")  # two letters or digits running: OCR's reading of a picture is rarely more


def _read_scanned(path: str, data: bytes, password: str, blank: list[int], ocr: Ocr, progress: Progress | None,
                  warnings: list[str]) -> dict[int, list[OcrLine]]:
    """The pages without a text layer read by OCR, and a warning naming them (and any OCR found nothing on)."""
    scanned = {number: lines for number, lines in read_pages(path, data, blank, ocr, password, progress).items()
               if any(_WORD.search(line.text) for line in lines)}
    unread = [number for number in blank if number not in scanned]
    if scanned:
        lines = [line for page in scanned.values() for line in page]
        uncertain = sum(line.confidence < LOW_CONFIDENCE for line in lines)
        note = f"; {uncertain} of {len(lines)} lines uncertain" if uncertain else ""
        warnings.append(f"{page_list(sorted(scanned))} read by OCR (scanned{note})")
    if unread:
        warnings.append(f"no text on {page_list(unread)}, not even by OCR (blank, or pictures only)")
    return scanned


def _unlock(path: str, reader: PdfReader, password: str) -> None:
    if not reader.is_encrypted:
        return
    for attempt in dict.fromkeys(["", password]):
        if reader.decrypt(attempt):
            return
    raise IngestError(path, "encrypted PDF: the password is not known (set PAPERS_PDF_PASSWORD)")


def _page_text(reader: PdfReader, index: int, damage: list[str]) -> str:
    try:
        return reader.pages[index].extract_text() or ""
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        damage.append(f"page {index + 1} unreadable ({error})")
        return ""


def page_list(pages: list[int]) -> str:
    """`[1, 2, 3, 7]` -> "pages 1-3, 7"."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    text = ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return ("pages " if len(pages) > 1 else "page ") + text


class _Collector(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage().strip())


@contextmanager
def _pypdf_warnings() -> Iterator[list[str]]:
    """pypdf reports repairs it made (bad xref, broken streams) as log warnings: collect them for the user."""
    sink: list[str] = []
    logger = logging.getLogger("pypdf")
    handler = _Collector(sink)
    logger.addHandler(handler)
    try:
        yield sink
    finally:
        logger.removeHandler(handler)
