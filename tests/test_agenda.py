"""The AGENDA of real packs, in each of the three page-range layouts."""

from .conftest import bcp, shared_path


def _items(paper):
    return {item.number: item for item in paper.items}


def test_000_items_and_page_ranges(read_paper):
    items = _items(read_paper(bcp("000")))
    assert list(items) == ["1", "2", "3", "4", "4a", "5", "6", "7", "8"]
    assert items["4"].pages == (5, 14)  # range on its own line
    assert items["4a"].pages == (15, 20)
    assert items["6"].pages == (21, 54)
    assert items["7"].pages == (55, 64)  # range on the title line
    assert items["7"].title == "Forward Plan"
    assert items["1"].pages is None


def test_003_displaced_ranges_go_to_the_items_with_documents(read_paper):
    items = _items(read_paper(bcp("003")))
    assert list(items) == ["1", "2", "3", "4", "5", "6", "6a", "7", "8", "9", "10", "11", "12"]
    assert items["6"].pages == (7, 48)
    assert items["6a"].pages == (49, 58)
    assert items["7"].pages is None
    assert items["8"].pages == (59, 166)
    assert items["8"].title == "SEND Progress Update re SEND Improvement Plan and Safety Valve"
    assert items["10"].bullets[:2] == [
        "Virtual School Headteachers Annual Report 2022/23",
        "Education Improvement Report",
    ]
    assert items["12"].pages == (259, 298)


def test_kent_front_sheet_pages_in_brackets_and_wrapped_titles(read_paper):
    paper = read_paper(shared_path("corpus", "pdf", "uk_kent_cabinet_2025-01-30_agenda-frontsheet.pdf"))
    items = _items(paper)
    assert items["3"].pages == (1, 10)
    assert items["7"].pages == (277, 326)
    assert items["7"].title.endswith("Adult Social Care and Health Directorate")
    assert paper.meeting.committee == "Cabinet" and paper.meeting.date == "2025-01-30"
