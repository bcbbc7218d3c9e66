"""Our own sample pack, as text and as the PDF the repository's script renders: both understood alike."""

from .conftest import SAMPLES


def _by_kind(paper):
    return {(d.kind, d.item) for d in paper.documents}


def test_sample_text_pack(read_paper):
    paper = read_paper(SAMPLES / "committee-pack.txt")
    assert paper.meeting.committee == "Children and Families Scrutiny Committee"
    assert (paper.meeting.date, paper.meeting.reference) == ("2026-03-11", "7421")
    assert [(i.number, i.pages) for i in paper.items if i.pages] == [("4", (3, 4)), ("4a", (5, 6)), ("5", (7, 10))]
    assert {("minutes", "4"), ("action_sheet", "4a"), ("report", "5"), ("appendix", "5")} <= _by_kind(paper)
    minutes = [c.section for c in paper.chunks if c.kind == "minute"]
    assert "43. Care Leavers Accommodation" in minutes and "44. Foster Care Recruitment Campaign" in minutes
    row = next(c for c in paper.chunks if "Children placed with independent fostering agencies" in c.fields_text)
    assert "Dec-25: 26; Target: 20; RAG: Red" in row.fields_text
    action = next(c for c in paper.chunks if "Director of Housing to report" in c.text)
    assert "14 January 2026: " in action.fields_text and "Status: On track" in action.fields_text


def test_sample_pdf_maps_pages_to_items_by_the_agenda(read_paper, sample_pdf):
    paper = read_paper(sample_pdf)
    assert paper.pages == 10 and paper.meeting.date == "2026-03-11"
    items_by_page = {}
    for chunk in paper.chunks:
        document = paper.documents[chunk.document]
        if document.item and chunk.kind != "agenda":
            items_by_page.setdefault(chunk.pages[0], set()).add(document.item)
    assert items_by_page[3] == {"4"} and items_by_page[5] == {"4a"} and items_by_page[7] == {"5"}
    fees = next(c for c in paper.chunks if "fee uplift of 5% costs" in c.text)
    assert fees.pages[0] == 8 and paper.documents[fees.document].item == "5"
    scorecard = next(c for c in paper.chunks if "Approved foster households | 114" in " ".join(c.text.split()))
    assert scorecard.pages[0] <= 9 <= scorecard.pages[1] and paper.documents[scorecard.document].item == "5"
