"""`papers bench ingest` on real pages: a Kent page of KPI tables, a text page and a page of the Omaha scan, each
stage counting its own pages, OCR cold then from its cache."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from papers.cli import app

from .conftest import shared_path

QPR = ("corpus", "pdf", "uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf")
OMAHA = ("corpus", "pdf", "us_omaha_city-council_rezoning-item_2012_scanned.pdf")


def _pdf(pages: list[tuple[tuple[str, ...], int]]) -> bytes:
    writer = PdfWriter()
    for parts, number in pages:
        writer.add_page(PdfReader(shared_path(*parts)).pages[number - 1])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_bench_ingest_times_text_table_and_scanned_pages_apart(tmp_path):
    paper = tmp_path / "mixed.pdf"
    paper.write_bytes(_pdf([(QPR, 1), (QPR, 15), (OMAHA, 1)]))  # a cover, a page of KPI boxes, a scanned letter
    (tmp_path / "notes.txt").write_text("not a PDF", encoding="utf-8")
    result = CliRunner().invoke(app, ["bench", "ingest", str(tmp_path), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["files"] == 1 and report["ocr_workers"] == 1
    assert report["text"]["pages"] == 2 and report["tables"]["pages"] == 1
    assert report["ocr_cold"]["pages"] == report["ocr_warm"]["pages"] == 1
    assert report["ocr_warm"]["seconds"] < report["ocr_cold"]["seconds"]  # the second read is the cache's
    assert all(report[stage]["pages_per_second"] > 0 for stage in ("text", "tables", "ocr_cold", "ocr_warm"))
    assert report["peak_memory_mb"] > 0 and report["peak_worker_memory_mb"] > 0


def test_bench_ingest_names_what_it_cannot_measure(tmp_path):
    (tmp_path / "notes.txt").write_text("not a PDF", encoding="utf-8")
    result = CliRunner().invoke(app, ["bench", "ingest", str(tmp_path)])
    assert result.exit_code == 2 and "no PDF among" in result.output
    result = CliRunner().invoke(app, ["bench", "ingest", str(tmp_path), "--workers", "-1"])
    assert result.exit_code == 2 and "--workers" in result.output
