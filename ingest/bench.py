"""`papers bench ingest`: how fast PDF pages are read, by the kind of page, and at what peak memory.

A paper's pages are read in three stages, timed apart on the same files in one run: pypdf's text of every page
(text pages), the table reader over the pages whose drawing has ruling lines (table pages: its time includes
counting every page's rulings, which is what picks them), and OCR of the pages without a text layer (scanned
pages), first with an empty cache (cold, what a new paper costs) and then again (warm, what re-ingest costs).
Memory is the ingesting process's peak and the largest OCR worker's, each alone: workers are processes.
"""

from __future__ import annotations

import io
import resource
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pypdf import PdfReader

from ingest.ocr import Ocr, read_pages, stop_workers
from ingest.pdf_tables import read_tables, ruled_pages


@dataclass
class Stage:
    """Pages one stage read and the seconds it took."""

    pages: int = 0
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float | None:
        return round(self.pages / self.seconds, 2) if self.seconds else None


@dataclass
class IngestBench:
    files: int = 0
    text: Stage = field(default_factory=Stage)
    tables: Stage = field(default_factory=Stage)
    ocr_cold: Stage = field(default_factory=Stage)
    ocr_warm: Stage = field(default_factory=Stage)
    ocr_workers: int = 0
    peak_memory_mb: float = 0.0
    peak_worker_memory_mb: float = 0.0
    skipped: dict[str, str] = field(default_factory=dict)  # file: why it was not measured

    def as_dict(self) -> dict:
        stages = {name: {**asdict(getattr(self, name)), "pages_per_second": getattr(self, name).pages_per_second}
                  for name in ("text", "tables", "ocr_cold", "ocr_warm")}
        return {"files": self.files, **stages, "ocr_workers": self.ocr_workers,
                "peak_memory_mb": self.peak_memory_mb, "peak_worker_memory_mb": self.peak_worker_memory_mb,
                "skipped": self.skipped}


def bench_ingest(files: list[Path], workers: int) -> IngestBench:
    """The three stages timed over `files` (PDFs; others are skipped, as are files pypdf cannot open), OCR in
    `workers` processes with a cache of its own that starts empty."""
    report = IngestBench(ocr_workers=workers)
    with tempfile.TemporaryDirectory() as home:
        ocr = Ocr(enabled=True, workers=workers, cache=Path(home) / "ocr.db")
        for path in files:
            data = path.read_bytes()
            if not data.startswith(b"%PDF"):
                report.skipped[str(path)] = "not a PDF"
                continue
            try:
                _measure(str(path), data, ocr, report)
            except Exception as error:  # a damaged or encrypted file is named, the others measured
                report.skipped[str(path)] = f"{type(error).__name__}: {error}"
                continue
            report.files += 1
        stop_workers()  # the workers' peak memory is counted once they have ended
    report.peak_memory_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report.peak_worker_memory_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return report


def _measure(path: str, data: bytes, ocr: Ocr, report: IngestBench) -> None:
    started = time.perf_counter()
    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = [page.extract_text() or "" for page in reader.pages]
    report.text.seconds += time.perf_counter() - started
    report.text.pages += sum(bool(text.strip()) for text in pages)

    started = time.perf_counter()
    read_tables(data, reader, pages)
    report.tables.seconds += time.perf_counter() - started
    report.tables.pages += len(ruled_pages(data, [""]))

    blank = [number for number, text in enumerate(pages, 1) if not text.strip()]
    if blank:
        for stage in (report.ocr_cold, report.ocr_warm):
            started = time.perf_counter()
            read_pages(path, data, blank, ocr)
            stage.seconds += time.perf_counter() - started
            stage.pages += len(blank)
