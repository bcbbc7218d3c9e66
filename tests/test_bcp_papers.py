"""What ingest understands of the real BCP papers: meetings, documents under their items, chunks that keep meaning."""

import re

from .conftest import bcp


def _documents(paper, item):
    return [d for d in paper.documents if d.item == item]


def _chunks(paper, pattern):
    return [c for c in paper.chunks if re.search(pattern, c.text)]


def test_000_meeting_front_sheet(read_paper):
    meeting = read_paper(bcp("000")).meeting
    assert meeting.committee == "Children's Services Overview and Scrutiny Committee"
    assert (meeting.date, meeting.time, meeting.published, meeting.reference) == (
        "2022-05-03",
        "6.00 pm",
        "2022-04-22",
        "5310",
    )
    assert meeting.venue == "Committee Suite, Civic Centre, Poole BH15 2RU"
    assert meeting.council == "Bournemouth, Christchurch and Poole Council"


def test_000_minutes_76_to_89_sit_under_item_4_not_as_agenda_items(read_paper):
    paper = read_paper(bcp("000"))
    minutes = [d for d in paper.documents if d.kind == "minutes"]
    assert len(minutes) == 1 and minutes[0].item == "4" and minutes[0].original_date == "2022-03-22"
    number = paper.documents.index(minutes[0])
    sections = [c.section for c in paper.chunks if c.document == number]
    numbers = sorted({int(m.group(1)) for s in sections if (m := re.match(r"(\d+)\. ", s))})
    assert numbers == list(range(76, 90))
    assert {item.number for item in paper.items}.isdisjoint({str(n) for n in numbers})


def test_000_documents_under_their_items(read_paper):
    paper = read_paper(bcp("000"))
    assert [d.kind for d in _documents(paper, "4a")] == ["action_sheet"]
    item6 = _documents(paper, "6")
    assert [(d.kind, d.appendix) for d in item6] == [
        ("report", None),
        ("appendix", "Appendix 1"),
        ("appendix", "Appendix 2"),
    ]
    assert [d.kind for d in _documents(paper, "7")] == ["forward_plan"]


def test_000_tracker_row_is_one_chunk_under_item_6_appendix_2_with_its_column_names(read_paper):
    paper = read_paper(bcp("000"))
    [row] = _chunks(paper, r"Agreement of a strategic approach to housing options for care experienced")
    document = paper.documents[row.document]
    assert (document.item, document.appendix, row.kind) == ("6", "Appendix 2", "table_rows")
    assert "NO: 52;" in row.fields_text
    assert "LEAD: Jane White Sarah Langdale" in row.fields_text
    assert "TIMESCALE/ DEADLINE: 30/06/22" in row.fields_text
    assert "STATUS: On track" in row.fields_text
    assert "accommodation offered.\tJane White Sarah Langdale\t30/06/22\tOn track" in row.text  # as printed
    assert "Item 6 Children's Services Improvement Plan" in row.context and "Appendix 2" in row.context


def test_003_documents_under_their_items(read_paper):
    paper = read_paper(bcp("003"))
    minutes = _documents(paper, "6")
    assert [d.kind for d in minutes] == ["minutes"] * 3
    assert [d.original_date for d in minutes] == ["2024-03-19", "2024-01-03", "2024-01-23"]
    assert [d.kind for d in _documents(paper, "6a")] == ["action_sheet"]
    item8 = _documents(paper, "8")
    report = item8[0]
    assert (report.kind, report.body, report.original_date) == ("report", "Cabinet", "2024-05-22")
    assert paper.meeting.date == "2024-07-24"  # the reused report keeps its own date apart from the pack's
    assert [d.appendix for d in item8[1:]] == ["Appendix 1", "Appendix 5", "Appendix 6"]  # 2 and 3 are links
    assert {d.kind for d in _documents(paper, "9")} == {"report", "minutes"}
    assert [d.title for d in _documents(paper, "10") if d.kind == "report"] == [
        "Virtual School Headteacher Annual Report 22/23",
        "Education Improvement Report",
        "Children's Safeguarding Partnership Review",
        "Youth Justice Plan 2024/2025",
    ]
    assert [d.appendix for d in _documents(paper, "12")][1:] == [f"Appendix {x}" for x in "ABCDE"]


def test_003_kpi_row_names_its_months_values_and_target(read_paper):
    paper = read_paper(bcp("003"))
    rows = [c for c in _chunks(paper, r"% of new EHCPs issued within 20 weeks \(including exceptions\)\t\t12\.2%")]
    assert len(rows) == 1
    written = next(line for line in rows[0].fields_text.splitlines() if line.startswith("% of new EHCPs issued"))
    assert "Dec-23: 12.2%; Jan-24: 27.9%; Feb-24: 52.9%; Mar-24: 67.1%" in written
    assert "BCP Target: 95%" in written and "National (2022/23): 49.2%" in written
    assert not written.startswith("22")  # the pack page number leaked into the row is not part of it
    assert "Appendix 5" in rows[0].context and "Pathway" in rows[0].section


def test_003_public_questions_are_chunked_one_by_one(read_paper):
    paper = read_paper(bcp("003"))
    questions = [c for c in paper.chunks if c.kind == "question"]
    assert len(questions) >= 10
    first = next(c for c in questions if "What qualifications does the SEN officers" in c.text)
    assert first.text.startswith("Sally Childs\nQuestion 1")
    assert "All Case Officers are trained" in first.text


def test_001_is_an_exempt_report_for_19_september_2024(read_paper):
    paper = read_paper(bcp("001"))
    [report] = paper.documents
    assert (report.kind, report.visibility, report.original_date) == ("report", "exempt", "2024-09-19")
    assert paper.meeting.date == "2024-09-19"
    assert paper.meeting.committee == "Children's Services Overview and Scrutiny Committee"
    assert not any("<p>" in c.text for c in paper.chunks)


def test_000_placeholder_status_stays_public(read_paper):
    report = next(d for d in read_paper(bcp("000")).documents if d.kind == "report")
    assert report.fields["Status"] == "[Public / Exempt] Report" and report.visibility == "public"


def test_004_is_web_minutes_of_one_item(read_paper):
    paper = read_paper(bcp("004"))
    assert paper.format == "web_minutes"
    [document] = paper.documents
    assert (document.kind, document.title) == ("web_minutes", "Children's Services Improvement Plan")
    assert any("HMOs – keep an overview" in c.text for c in paper.chunks)


def test_chunks_stay_within_size_and_carry_context(read_paper):
    for prefix in ("000", "001", "003"):
        paper = read_paper(bcp(prefix))
        for chunk in paper.chunks:
            assert chunk.context.startswith("Children's Services Overview and Scrutiny Committee")
            if chunk.kind not in ("table_rows",):
                assert chunk.words <= 560, (prefix, chunk.section, chunk.words)
        prose = [c.words for c in paper.chunks if c.kind == "prose"]
        assert sorted(prose)[len(prose) // 2] >= 120


def test_003_a_second_table_under_new_column_names_gets_its_own_header(read_paper):
    """Appendix 5 puts the action plan (Ref, Origin, Action...) straight under the KPI table (Dec-23, Jan-24...)."""
    paper = read_paper(bcp("003"))
    (row,) = [c for c in paper.chunks if c.kind == "table_rows" and "Finalise role of Sector Lead" in c.text]
    assert row.text.startswith("Ref\tOrigin\tAction\tLead\tDeadline\tRAG")
    assert row.fields_text.startswith("Ref: 1.2; Origin: SEND Governance review; Action: Finalise role")
    assert "Dec-23:" not in row.fields_text


def test_003_a_status_printed_alone_on_its_line_stays_in_the_action_sheet_rows(read_paper):
    # "Actioned." under the Members of Youth Parliament row (24 July 2024 pack) is a cell of three words or
    # fewer on a line of its own, like a leaked page number; it is a word, so it stays.
    paper = read_paper(bcp("003"))
    [row] = _chunks(paper, r"make contact with the MYPs to discuss youth surgeries")
    assert re.search(r"youth surgeries within schools further\.\t?\n\tActioned\.", row.text)
