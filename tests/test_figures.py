"""Figures (ingest/figures.py): values read off the real papers by hand, one record each with its headers, and
never a page number, a date or a budget line taken for one."""

from __future__ import annotations

import re

import pytest

from ingest.figures import extract, measure_words, series
from ingest.periods import find_periods, previous, sort_key
from ingest.records import FIGURE, Record

from .conftest import bcp, shared_path

KENT_QPR = ("corpus", "pdf", "uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf")
# Papers that state no measure of performance with a period: page and item numbers, dates, resolution numbers,
# budget lines and risk scores only.
NO_FIGURES = (
    "uk_kent_cabinet_2025-01-30_printed-minutes.pdf",  # "a projected overspend of £23.3 million … 1.6% of …"
    "uk_kent_cabinet_2025-01-30_appendix-i_budget-risk-register_tables.pdf",  # £ risks, likelihood scores
    "uk_kent_cabinet_2025-01-30_agenda-frontsheet.pdf",
    "us_omaha_city-council_2012-10-16_agenda.pdf",
    "us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf",
    "ca_nipissing_council_2025-03-04_minutes.pdf",
    # Its tables, read as rows: contract values by centre ("Contract value per Annum"), ward scores and ranks.
    "uk_kent_childrens-family-hubs-decision-report_24-00093_tables.pdf",
)


@pytest.fixture(scope="module")
def send_pack(read_paper) -> list[Record]:
    """The 24 July 2024 pack: SEND report, improvement plan KPIs, SEND scorecard, minutes, Virtual School report."""
    return extract(read_paper(bcp("003")))


@pytest.fixture(scope="module")
def kent(read_paper) -> tuple[list[Record], list]:
    paper = read_paper(shared_path(*KENT_QPR))
    return extract(paper), paper.chunks


def one(records: list[Record], measure: str, value: str, period: str | None = None) -> Record:
    found = [r for r in records if r.fields["measure"] == measure and r.fields["value"] == value
             and (period is None or r.fields["period"] == period)]
    assert len(found) == 1, (measure, value, period, [r.fields for r in records if r.fields["measure"] == measure])
    return found[0]


def test_a_kpi_table_row_gives_a_figure_for_each_period_with_the_rows_target_and_comparator(send_pack):
    # 003:1912, the Pathway KPI table of the SEND Improvement Plan: "Dec-23 … Mar-24 … BCP Target  National (2022/23)".
    measure = "% of new EHCPs issued within 20 weeks (including exceptions)"
    for period, value, normalised in (("Dec-23", "12.2%", "2023-12"), ("Jan-24", "27.9%", "2024-01"),
                                      ("Feb-24", "52.9%", "2024-02"), ("Mar-24", "67.1%", "2024-03")):
        record = one(send_pack, measure, value, period)
        assert record.kind == FIGURE
        assert record.fields | {} == {
            "measure": measure, "value": value, "unit": "%", "period": period, "period_normalised": normalised,
            "target": "95%", "comparator": "National (2022/23) 49.2%", "rag": None,
        }
    backlog = one(send_pack, "No. of annual reviews not finalised (meeting held but not processed - backlog)", "1404")
    assert (backlog.fields["period"], backlog.fields["unit"], backlog.fields["target"]) == ("Dec-23", "count", "0")


def test_the_measure_column_a_template_names_and_a_comparator_printed_in_a_cell(send_pack):
    # 003:1405-1412, the SEND report's progress table: "Area | March '23 | February 24 | March 24 | Impact …".
    assert [one(send_pack, "Annual Review backlog", value).fields["period_normalised"]
            for value in ("2012", "1216", "1030")] == ["2023-03", "2024-02", "2024-03"]
    twenty = one(send_pack, "20 week decision making (inc. exceptions)", "67.1%", "March 24")
    assert twenty.fields["comparator"].startswith("National 44.47% (but this excludes exceptions")
    weeks = one(send_pack, "Average time (weeks) taken to complete new EHCP assessments (date of request to issue of "
                           "final EHCP)", "41.8 wks")  # 003:877, an answer in the minutes of 23 January 2024
    assert (weeks.fields["unit"], weeks.fields["period"]) == ("weeks", "Dec 2022")


def test_the_scorecard_whose_header_the_text_layer_broke_is_read_under_its_own_header(send_pack):
    # 003:2227-2339, the SEND Partnership Scorecard: its title line was taken for the header, its real header
    # ("KPI No … KPIs  Current Month Performance - Mar 24 … Target  March 23  National  South West …") is a row.
    waiting = "No. of EHC plans not completed and waiting over 20 weeks (excl. Assessments after Tribunal or Appeal)"
    assert one(send_pack, waiting, "110", "Mar 24").fields["target"] == "0"
    assert one(send_pack, waiting, "333", "March 23").fields["period_normalised"] == "2023-03"
    # A wrapped name joined to the cell above ("… (including exceptions) % of requests for stat advice …").
    ehcp = one(send_pack, "% of new EHCPs issued within 20 weeks (including exceptions)", "67%", "Mar 24")
    assert ehcp.fields["comparator"] == ("National 47.7% (2022); South West 34.7% (2022); "
                                         "Statistical Neighbours 36.4% (2022)")
    neet = one(send_pack, "% of NEETs / Not Knowns", "3.4%")  # the second table, by half term
    assert (neet.fields["period"], neet.fields["period_normalised"], neet.fields["target"]) == \
        ("HT3 23/24", "2023/24 HT3", "Below National")
    assert one(send_pack, "Number of NEETs / Not Knowns", "278").fields["period"] == "Dec 23"  # "278 (Dec 23)"
    # Rows the text layer fused ("37 38 39 … No of cyp in Primary … No of cyp in Secondary …") give nothing.
    assert not [r for r in send_pack if "37 38 39" in r.text]


def test_sentences_that_state_a_measure_its_value_and_period(read_paper, send_pack):
    # 003:1638, the improvement plan's "Impact to date" cell, and 003:215, the minutes of 19 March 2024.
    timeliness = one(send_pack, "20-week timeliness", "67.1%")
    assert (timeliness.fields["period"], timeliness.fields["period_normalised"]) == ("March 2024", "2024-03")
    assert one(send_pack, "permanent staff in Children's Services", "30%").fields["period"] == "December 2021"
    # 001:61, "rising from 70% in September 2023 to 86% in March 2024".
    update = extract(read_paper(bcp("001")))
    measure = "percentage of our post-16 young individuals engaged in Education, Employment, and Training"
    assert [(r.fields["value"], r.fields["period_normalised"]) for r in update if r.fields["measure"] == measure] == \
        [("70%", "2023-09"), ("86%", "2024-03")]


def test_a_kent_kpi_box_is_one_record_with_its_period_target_and_rag(kent):
    records, chunks = kent
    measure = "Percentage of Education, Health, and Care Plans (EHCPs) issued within 20 weeks – rolling 12 months"
    latest = one(records, measure, "34%")  # page 39: "RED / Latest: 34% Target: 60%, Floor: 55% Previous: 26% (Red)"
    assert latest.fields == {"measure": measure, "value": "34%", "unit": "%", "period": "Quarter 3 2024/25",
                             "period_normalised": "2024/25 Q3", "target": "60%", "comparator": None, "rag": "RED"}
    first, last = chunks[latest.chunk].pages
    assert first <= 39 <= last
    earlier = one(records, measure, "26%")
    assert (earlier.fields["period"], earlier.fields["period_normalised"], earlier.fields["rag"]) == \
        ("Previous", "2024/25 Q2", "Red")
    foster = one(records, "Number of foster households", "613")  # page 48
    assert (foster.fields["unit"], foster.fields["target"], foster.fields["rag"]) == ("count", "700", "RED")
    rate = one(records, "Rate of first-time entrants to youth justice system per 100,000 (aged 10-17) – rolling 12 "
                        "months", "175")
    assert (rate.fields["unit"], rate.fields["target"], rate.fields["rag"]) == ("rate", "180", "GREEN")


def test_a_kent_sentence_keeps_its_period_and_target_and_leaves_changes_and_comparisons(kent):
    records, _ = kent
    referrals = one(records, "rate of re-referrals within 12 months", "22.2%")  # page 44
    assert (referrals.fields["period"], referrals.fields["target"]) == ("the 12 months to December 2024", "25.0%")
    sentence = referrals.text
    # "compared to 23.4% the previous Quarter" is a comparison, "the target of 25.0%" a target: neither a figure.
    assert {r.fields["value"] for r in records if r.text == sentence} == {"22.2%"}
    changes = [r for r in records if re.search(r"\b(?:fewer|decrease|increase) ", r.text)
               and re.search(rf"{re.escape(str(r.fields['value']))}\s+(?:fewer|decrease|increase)", r.text)]
    assert not changes  # "19% fewer calls", "a 31% decrease", "an 8.3% increase"


@pytest.mark.parametrize("name", NO_FIGURES)
def test_papers_with_no_measure_of_performance_give_no_figures(read_paper, name: str):
    assert extract(read_paper(shared_path("corpus", "pdf", name))) == []


def test_no_figure_is_a_page_number_a_date_or_an_unlabelled_cell(send_pack, kent):
    for records in (send_pack, kent[0]):
        for record in records:
            value = str(record.fields["value"])
            assert value in record.text and re.search(r"[A-Za-z]{3}", str(record.fields["measure"]))
            if re.match(r"(?:[^;]+ — )?[^;:]+: [^;]+; ", record.text):  # a row written out as "Header: value; …"
                # under a named header: page numbers leaked into a table sit in unnamed cells
                assert re.search(rf": {re.escape(value)}(?:\s|;|$|\()", record.text), record
            normalised = record.fields["period_normalised"] or ""
            if re.fullmatch(r"\d{4}-\d\d-\d\d", normalised):  # a day only as a snapshot: "On 31st December 2024"
                assert re.search(r"\b(?:as at|as of|on)\s+(?:the\s+)?" + re.escape(str(record.fields["period"])),
                                 record.text, re.IGNORECASE)
    # Page numbers leaked into the first cell of the plan's KPI rows: "7 | % attendance of Senior Leaders at SIB",
    # "9 | % of case audits judged as good/outstanding" (003:1651-1652), "138 | % of permanent case officers" (1997).
    leaked = [r for r in send_pack if (r.fields["value"], r.fields["measure"][:12]) in
              (("7", "% attendance"), ("9", "% of case au"), ("138", "% of permane"))]
    assert not leaked and not [r for r in send_pack if r.fields["value"] == "138"]


def test_a_series_joins_one_measure_across_tables_and_meetings_in_period_order(send_pack, kent, read_paper):
    kent_records, _ = kent
    figures = [("2024-07-24", record) for record in send_pack] + [("2025-03-04", record) for record in kent_records]
    found = series(figures)
    bcp_ehcp = next(s for s in found if s.measure == "% of new EHCPs issued within 20 weeks (including exceptions)")
    periods = [record.fields["period_normalised"] for _, record in bcp_ehcp.points]
    assert periods == sorted(periods, key=sort_key)  # ordered by period
    assert periods[0] == "2022-12" and periods[-1] == "2024-03"  # the minutes' table (Dec 2022) to the plan's
    chunks = read_paper(bcp("003")).chunks
    documents = {chunks[record.chunk].document for _, record in bcp_ehcp.points}
    assert len(documents) >= 3, documents  # the tables of three of the pack's papers
    assert not any(meeting == "2025-03-04" for meeting, _ in bcp_ehcp.points)  # Kent's 20-week KPI is another
    primary = next(s for s in found if s.measure.endswith("in the school year to date - Primary age")
                   and s.measure.startswith("Number of pupils permanently"))
    assert all("Primary" in str(record.fields["measure"]) for _, record in primary.points)


def test_the_same_measure_printed_differently_at_two_meetings_is_one_series():
    def figure(measure: str, value: str, period: str) -> Record:
        return Record(FIGURE, 0, measure, {"measure": measure, "value": value, "period": period,
                                           "period_normalised": period})

    march = figure("No. of EHC plans waiting over 20 weeks (excl. Assessments after Tribunal)", "110", "2024-03")
    december = figure("Number of EHC plans waiting over 20 weeks (exc. assessments after tribunal)", "183", "2023-12")
    again = figure("Number of EHC plans waiting over 20 weeks (exc. assessments after tribunal)", "110", "2024-03")
    other = figure("Number of EHC plans waiting over 30 weeks (exc. assessments after tribunal)", "50", "2024-03")
    found = series([("2024-07-24", march), ("2024-05-22", december), ("2024-05-22", again), ("2024-07-24", other)])
    assert [[(meeting, r.fields["value"]) for meeting, r in s.points] for s in found] == [
        [("2024-05-22", "183"), ("2024-07-24", "110")],  # by period; 110 for March printed twice is kept once
        [("2024-07-24", "50")],
    ]
    assert measure_words("% of EHCPs (excl. tribunals)") == measure_words("Percentage of EHCP (excluding tribunal)")


@pytest.mark.parametrize(("text", "printed", "normalised"), [
    ("Dec-23", "Dec-23", "2023-12"),
    ("March '23", "March '23", "2023-03"),
    ("Current Month Performance - Mar 24", "Mar 24", "2024-03"),
    ("Quarter 3, 2024/25", "Quarter 3, 2024/25", "2024/25 Q3"),
    ("Current Half Term Performance HT3 23/24", "HT3 23/24", "2023/24 HT3"),
    ("Prev. Term Performance Summer 23", "Summer 23", "2023 Summer"),
    ("National (2022/23)", "2022/23", "2022/23"),
    ("For the 12 months to December 2024, the", "the 12 months to December 2024", "2024-12"),
    ("Quarter 2", "Quarter 2", None),
])
def test_periods_as_printed_and_normalised(text: str, printed: str, normalised: str | None):
    found = find_periods(text)[0]
    assert (found.text, found.normalised) == (printed, normalised)


@pytest.mark.parametrize("text", ["Meeting date: 17.04.2024", "aged 16-17", "Years 12/13", "28% (18/65)", "p. 2024"])
def test_no_period_in_dates_ages_year_groups_or_fractions(text: str):
    assert find_periods(text) == []


def test_periods_of_any_kind_sort_together():
    assert sorted(["2024/25 Q3", "2024-03", "2023/24 HT3", "2023 Autumn", "2022/23"], key=sort_key) == \
        ["2022/23", "2023 Autumn", "2023/24 HT3", "2024-03", "2024/25 Q3"]
    assert previous("2024/25 Q1") == "2023/24 Q4" and previous("2024-01") == "2023-12"
