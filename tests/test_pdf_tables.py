"""Ruled tables in real PDFs (ingest/pdf_tables.py) read as rows under their headers, each checked by eye against the
page rendered as an image; pages without tables read exactly as pypdf reads them."""

from __future__ import annotations

import io

import pypdf
import pytest
from pypdf import Transformation
from pypdf.generic import RectangleObject

from ingest.figures import extract
from ingest.pdf import read_pdf
from ingest.records import FIGURE

from .conftest import shared_path

QPR = "uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf"
REGISTER = "uk_kent_cabinet_2025-01-30_appendix-i_budget-risk-register_tables.pdf"
HUBS = "uk_kent_childrens-family-hubs-decision-report_24-00093_tables.pdf"


def pdf(name: str):
    return shared_path("corpus", "pdf", name)


def rows_of(paper, page: int) -> list[str]:
    """The rows written out (`Header: value; …`) of the table chunks that span the page."""
    return [row for chunk in paper.chunks if chunk.kind == "table_rows" and chunk.pages[0] <= page <= chunk.pages[1]
            for row in chunk.fields_text.split("\n")]


def row_with(paper, page: int, words: str) -> str:
    found = [row for row in rows_of(paper, page) if words in row]
    assert len(found) == 1, (words, rows_of(paper, page))
    return found[0]


def test_a_kpi_box_is_one_row_with_its_quarter_value_and_rag_under_their_names(read_paper):
    # Page 48: "Number of foster households | RED ⇩ | (chart) | Latest: 613 | Target: 700 Floor: 650 | Previous: 612
    # (Red)".
    paper = read_paper(pdf(QPR))
    row = row_with(paper, 48, "Number of foster households")
    assert row == ("KPI: Number of foster households; RAG rating: RED; DoT: ↓; Latest: 613; Target: 700; Floor: 650; "
                   "Previous: 612 (Red)")
    chunk = next(c for c in paper.chunks if c.fields_text and row in c.fields_text.split("\n"))
    assert chunk.pages[0] <= 48 <= chunk.pages[1]  # a chunk of the KPI rows of pages 47-48
    assert "Number of foster households\tRED\t↓\t613\t700\t650\t612 (Red)" in chunk.text.split("\n")
    # The quarter is the report's (Quarter 3 2024/25): the figure read from the row says so, with its RAG.
    latest = next(r for r in paper.records if r.kind == FIGURE and r.fields["measure"] == "Number of foster households"
                  and r.fields["value"] == "613")
    assert (latest.fields["period_normalised"], latest.fields["rag"], latest.fields["target"]) == \
        ("2024/25 Q3", "RED", "700")


def test_a_rag_table_row_names_its_columns_from_the_header_cells_spanning_them(read_paper):
    # Page 6: "Integrated Children's Services | RAG rating (Latest, Previous) | DoT", the arrows drawn as shapes.
    paper = read_paper(pdf(QPR))
    assert row_with(paper, 6, "Number of foster households") == (
        "Integrated Children’s Services: Number of foster households; RAG rating Latest: RED; "
        "RAG rating Previous: RED; DoT: ↓")
    assert row_with(paper, 6, "Learning Disability").endswith("RAG rating Latest: GREEN; RAG rating Previous: GREEN; "
                                                               "DoT: ↑")
    # Page 3: the summary's arrow columns are named by their arrows, so their counts are kept.
    assert row_with(paper, 3, "TOTAL") == "TOTAL — G: 17; A: 12; R: 9; ↑: 10; →: 22; ↓: 6"


def test_a_table_carried_over_a_page_keeps_its_header_on_the_next(read_paper):
    # Pages 11-12 of the family hubs report: "Ward | Need Score … | IMD Rank …" ends page 11; page 12 opens with its
    # last rows and no header.
    paper = read_paper(pdf(HUBS))
    assert row_with(paper, 11, "Margate Central") == (
        "Ward: Margate Central; Need Score (as part of KCP analysis): 70; IMD Rank (out of 290 Kent wards): 1")
    assert row_with(paper, 12, "Cliftonville West") == (
        "Ward: Cliftonville West (Northdown Road and Cliftonville Family Hubs); Need Score (as part of KCP analysis): "
        "75; IMD Rank (out of 290 Kent wards): 3")


def test_the_landscape_risk_register_reads_as_rows_of_a_risk_and_its_cells(read_paper):
    paper = read_paper(pdf(REGISTER))
    # Page 4 (landscape, the header repeated on every page): the header's two lines are one ("… Exposure £m").
    insecure = row_with(paper, 4, "Insecure funding")
    assert insecure.startswith("Directorate: Non Attributable Costs; Risk Title: Insecure funding; Source/Cause of "
                               "Risk: The 2025-26 core budget includes £12.75m from insecure funding")
    assert insecure.endswith("Current Likelihood (1-5): 3; Estimated Annual Financial Exposure £m: 14.2")
    waste = row_with(paper, 4, "Waste capital")
    assert waste.endswith("Current Likelihood (1-5): 4; Estimated Lifetime Financial Exposure £m: 50.0")
    # Page 2, a later page of the same table: its rows carry the header, and "Significant Risks (over £10m)", which
    # the spreadsheet printed under the first row and painted over, is in none of its cells.
    market = row_with(paper, 2, "Market Sustainability")
    assert market.startswith("Directorate: ASCH / CYPE; Risk Title: Market Sustainability; Source/Cause of Risk: "
                             "The long term impact of Covid-19")
    assert market.endswith("Current Likelihood (1-5): 4; Estimated Annual Financial Exposure £m: 20.0")
    assert not any("Significant" in row for row in rows_of(paper, 2))


def test_a_rotated_landscape_page_reads_as_the_page_it_shows(tmp_path):
    # The register's page 4 drawn a quarter turned on a portrait sheet that /Rotate shows upright again.
    source = pdf(REGISTER)
    writer = pypdf.PdfWriter()
    page = writer.add_page(pypdf.PdfReader(source).pages[3])
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    page.add_transformation(Transformation().rotate(90).translate(height, 0))
    page.mediabox = RectangleObject([0, 0, height, width])
    page.rotation = 90
    buffer = io.BytesIO()
    writer.write(buffer)
    turned, _, _ = read_pdf("turned.pdf", buffer.getvalue())
    pages, _, _ = read_pdf(str(source), source.read_bytes())
    assert "Insecure funding\tThe 2025-26 core budget" in turned[0]
    assert turned[0] == pages[3]


@pytest.mark.parametrize("name", [QPR, HUBS, "uk_kent_cabinet_2025-01-30_printed-minutes.pdf",
                                  "uk_kent_cabinet_2025-01-30_supplementary-pack_item7_childrens-sis-18-25-transfer.pdf"])
def test_a_page_without_a_table_reads_exactly_as_pypdf_reads_it(name):
    path = pdf(name)
    pages, _, _ = read_pdf(str(path), path.read_bytes())
    plain = [page.extract_text() for page in pypdf.PdfReader(path).pages]
    without = [number for number, text in enumerate(pages) if "\t" not in text]
    assert without and all(pages[number] == plain[number] for number in without)
    if name == QPR:
        # The charts' frames (pages 10-11) and the key of two columns (page 2) are no tables.
        assert {1, 9, 10} <= set(without)


def test_text_around_a_table_stays_in_order_once(read_paper):
    path = pdf(QPR)
    pages, _, _ = read_pdf(str(path), path.read_bytes())
    page = pages[3]  # page 4: prose, a table, prose, a table, prose, a table
    opening = page.index("Customer Services – Satisfaction with Contact Point advisors met target.")
    table = page.index("Customer Services KPIs\tRAG rating Latest\tRAG rating Previous\tDoT")
    governance = page.index("Governance and Law - Freedom of Information (FOI)")
    assert opening < table < governance
    assert page.count("% of complaints responded to within timescale") == 1
    # A cell's second line printed again under the box and clipped from sight is not read twice.
    assert "Floor: 90%" not in pages[8]


def test_figures_from_the_kent_report_are_as_many_as_before(read_paper):
    # 38 KPI boxes (their latest and previous values) and 12 sentences: 88 figures when the boxes were prose.
    assert len(extract(read_paper(pdf(QPR)))) == 88


def test_a_question_on_a_kpi_is_answered_by_its_row_with_the_headers_and_page(corpus_ask):
    """Round trip: the KPI box on page 32 of the Q3 report, read as a row, searched, quoted and cited by page."""
    response = corpus_ask("What RAG rating did routine pothole repairs within 28 days get, against what target?",
                          role="officer")
    assert response["answered"]
    quoted = [(citation, quote) for citation in response["citations"] for quote in citation["quotes"]
              if quote.startswith("KPI: Percentage of routine pothole repairs")]
    assert quoted, response["answer"]
    citation, quote = quoted[0]
    assert citation["document"]["path"].endswith(QPR) and citation["pages"][0] <= 32 <= citation["pages"][1]
    assert "RAG rating: GREEN" in quote and "Latest: 94%" in quote and "Target: 90%" in quote
