"""Ingest many files: each one understood and saved on its own, so a bad file never stops the others."""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.chunking import Sizes
from ingest.errors import IngestError
from ingest.given import Given
from ingest.ocr import Ocr, Progress, engine
from ingest.store import Store
from ingest.understand import understand

PAPER_SUFFIXES = {".pdf", ".txt", ".text"}


@dataclass
class FileResult:
    path: str
    status: str  # ingested, unchanged or failed
    pages: int = 0
    items: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Summary:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.results)

    def total(self, name: str) -> int:
        return sum(getattr(result, name) for result in self.results)

    @property
    def warnings(self) -> list[tuple[str, str]]:
        return [(result.path, warning) for result in self.results for warning in result.warnings]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(result.path, result.error) for result in self.results if result.error]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the papers (PDF and text) inside folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in PAPER_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


_PDF_READERS = ("pypdf", "pdfplumber", "pypdfium2")


@lru_cache
def _code_hash() -> str:
    """The modules that turn bytes into stored rows (all of ingest/), and the versions of the PDF readers."""
    digest = hashlib.sha256(" ".join(importlib.metadata.version(name) for name in _PDF_READERS).encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    for profile in sorted(Path(__file__).parent.glob("profiles/*.toml")):  # template profiles are reader code too
        digest.update(profile.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache
def _ocr_hash() -> str:
    return hashlib.sha256(engine().encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Reading:
    """How papers are read: prose chunk sizes, the password tried on encrypted PDFs after the empty one, and how
    pages without text are read by OCR (None: not at all)."""

    sizes: Sizes
    pdf_password: str = ""
    ocr: Ocr | None = None

    @property
    def version(self) -> str:
        """The reading code, the chunk sizes and whether scans are read by OCR (and by which engine): a file read by
        another version is read again, though unchanged, so a scan refused with OCR off is read once it is on."""
        version = f"{_code_hash()}-{self.sizes.target}-{self.sizes.maximum}-{self.sizes.minimum}"
        return f"{version}-ocr-{_ocr_hash()}" if self.ocr and self.ocr.enabled else version


def ingest_file(path: Path, store: Store, reading: Reading, given: Given | None = None,
                on_pages: Progress | None = None) -> FileResult:
    """One file into the store in one transaction, or a failure naming it: the one way in for loose files, uploads
    and papers synced from a committee site (whose facts come as `given`). `on_pages` counts pages read by OCR."""
    name = str(path.resolve())
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(name, "failed", error=f"{name}: cannot be read ({error.strerror or error})")
    reader = reading.version + (f"+{given.fingerprint}" if given else "")  # the site's facts changed: read again
    if store.is_current(name, hashlib.sha256(data).hexdigest(), reader):
        return FileResult(name, "unchanged")
    try:
        paper = understand(name, data, reading.sizes, reading.pdf_password, given=given, ocr=reading.ocr,
                           progress=on_pages)
        store.save(paper, reader)
    except IngestError as error:
        return FileResult(name, "failed", error=str(error))
    except Exception as error:  # a paper we did not foresee must not stop the batch; the save rolled back
        return FileResult(name, "failed", error=f"{name}: could not be ingested ({type(error).__name__}: {error})")
    return FileResult(name, "ingested", paper.pages or 0, len(paper.items), len(paper.chunks), paper.warnings)


def ingest_paths(
    paths: list[Path], store: Store, reading: Reading, on_file: Callable[[FileResult], None] | None = None,
    on_pages: Progress | None = None,
) -> Summary:
    """Each file found ingested on its own; `on_file` is told of each result, `on_pages` of pages read by OCR (the
    pages added to the work, the pages done)."""
    summary = Summary()
    for path in discover(paths):
        result = ingest_file(path, store, reading, on_pages=on_pages)
        summary.results.append(result)
        if on_file:
            on_file(result)
    return summary
