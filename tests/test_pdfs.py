"""Real council PDFs: every one ingests or says clearly why not, and page spans point at the right page; scans are
read by OCR, and with OCR off they are refused as before."""

import pytest

from ingest.errors import IngestError
from ingest.understand import understand
from papers.backends import reading
from papers.settings import Settings

from .conftest import shared_path

PDFS = [
    "ca_nipissing_council_2024-10-01_agenda-package_mostly-scanned.pdf",
    "ca_nipissing_council_2025-03-04_agenda-package_scanned-jbig2.pdf",
    "ca_nipissing_council_2025-03-04_minutes.pdf",
    "uk_kent_cabinet_2025-01-30_agenda-frontsheet.pdf",
    "uk_kent_cabinet_2025-01-30_appendix-i_budget-risk-register_tables.pdf",
    "uk_kent_cabinet_2025-01-30_printed-minutes.pdf",
    "uk_kent_cabinet_2025-01-30_supplementary-pack_item7_childrens-sis-18-25-transfer.pdf",
    "uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf",
    "uk_kent_cabinet_2025-03-13_public-reports-pack_family-hubs.pdf",
    "uk_kent_childrens-family-hubs-decision-report_24-00093_tables.pdf",
    "uk_kent_corporate-parenting-panel_2024-10-29_minutes.pdf",
    "us_hayward_library-commission_2021-08-16_cancellation-notice_legistar.pdf",
    "us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf",
    "us_omaha_city-council_2012-10-16_agenda.pdf",
    "us_omaha_city-council_rezoning-item_2012_scanned.pdf",
]
SCANNED = {  # read by OCR; with it off, refused as this says
    "ca_nipissing_council_2025-03-04_agenda-package_scanned-jbig2.pdf": "no text layer on pages 1-14",
    "us_omaha_city-council_rezoning-item_2012_scanned.pdf": "no text layer on pages 1-10",
}
MOSTLY_SCANNED = "ca_nipissing_council_2024-10-01_agenda-package_mostly-scanned.pdf"


def test_the_list_covers_every_shared_pdf():
    assert sorted(p.name for p in shared_path("corpus", "pdf").glob("*.pdf")) == sorted(PDFS)


@pytest.mark.parametrize("name", PDFS)
def test_each_pdf_ingests_or_reports_a_clear_problem(read_paper, name):
    paper = read_paper(shared_path("corpus", "pdf", name))
    assert paper.chunks and paper.pages
    for chunk in paper.chunks:
        assert chunk.pages and 1 <= chunk.pages[0] <= chunk.pages[1] <= paper.pages
    for chunk in paper.chunks:  # the mostly scanned pack's page 4 has a text layer
        scanned = name in SCANNED or (name == MOSTLY_SCANNED and chunk.pages != (4, 4))
        assert (chunk.ocr_confidence is not None) == scanned


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_a_scan_is_read_by_ocr_and_says_so(read_paper, name):
    paper = read_paper(shared_path("corpus", "pdf", name))
    pages = SCANNED[name].removeprefix("no text layer on ")
    assert paper.warnings[0].startswith(f"{pages} read by OCR (scanned")
    assert {page for chunk in paper.chunks for page in range(chunk.pages[0], chunk.pages[1] + 1)} == set(
        range(1, paper.pages + 1))  # every page's text is in some chunk


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_with_ocr_off_a_scan_is_refused_as_before(name):
    path = shared_path("corpus", "pdf", name)
    with pytest.raises(IngestError, match=SCANNED[name] + ": a scan without OCR, nothing to index"):
        understand(str(path), path.read_bytes(), reading(Settings(ocr=False)).sizes)


def test_partly_scanned_pack_reads_its_scanned_pages_by_ocr(read_paper):
    paper = read_paper(shared_path("corpus", "pdf", MOSTLY_SCANNED))
    read, blank = paper.warnings  # pages 20 and 24 are blank, the backs of sheets (looked at)
    assert read.startswith("pages 1-3, 5-19, 21-23, 25-27 read by OCR (scanned")
    assert blank == "no text on pages 20, 24, not even by OCR (blank, or pictures only)"
    covered = {page for chunk in paper.chunks for page in range(chunk.pages[0], chunk.pages[1] + 1)}
    assert covered >= set(range(1, 28)) - {20, 24}  # page 4 from its text layer, the others by OCR
    assert all(chunk.ocr_confidence for chunk in paper.chunks if chunk.pages != (4, 4))


def test_with_ocr_off_the_partly_scanned_pack_names_its_blank_pages():
    path = shared_path("corpus", "pdf", MOSTLY_SCANNED)
    paper = understand(str(path), path.read_bytes(), reading(Settings(ocr=False)).sizes)
    assert paper.warnings == ["no text layer on pages 1-3, 5-27 (scanned: those pages are not searchable)"]
    assert {c.pages for c in paper.chunks} == {(4, 4)}


@pytest.mark.parametrize(
    ("name", "phrase", "page"),
    [
        ("uk_kent_cabinet_2025-01-30_printed-minutes.pdf", "projected overspend of £23.3 million", 9),
        ("uk_kent_cabinet_2025-01-30_printed-minutes.pdf", "raise council tax by 2.99%", 11),
        # A KPI box read as a row: "Number of foster households | RED | ↓ | 613 | 700 | 650 | 612 (Red)".
        ("uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf", "RED ↓ 613 700 650 612 (Red)", 48),
        (
            "uk_kent_cabinet_2025-01-30_supplementary-pack_item7_childrens-sis-18-25-transfer.pdf",
            "comprising £56m for package costs",
            8,
        ),
    ],
)
def test_a_phrase_known_to_be_on_page_n_is_in_a_chunk_spanning_n(read_paper, name, phrase, page):
    paper = read_paper(shared_path("corpus", "pdf", name))
    spans = [c.pages for c in paper.chunks if phrase in " ".join(c.text.split())]
    assert spans and all(first <= page <= last for first, last in spans), spans


def test_kent_minutes_link_minute_items_to_agenda_items(read_paper):
    paper = read_paper(shared_path("corpus", "pdf", "uk_kent_cabinet_2025-01-30_printed-minutes.pdf"))
    assert paper.meeting.committee == "Cabinet" and paper.meeting.council == "Kent County Council"
    budget = next(c for c in paper.chunks if c.section.startswith("88. "))
    assert budget.item == "5"
