"""Extraction debris mended at ingest: on made-up lines, then on the real papers' own debris."""

import re

from ingest.debris import Vocabulary, capital_i, join_cut_words, repair
from ingest.model import Line
from ingest.normalise import clean_lines
from ingest.reader import read

from .conftest import bcp, shared_path


def _lines(*texts: str, page: int | None = None) -> list[Line]:
    return [Line(text, number, page) for number, text in enumerate(texts, 1)]


def _vocabulary(*texts: str) -> Vocabulary:
    return Vocabulary.of(list(texts))


def _cleaned(path) -> dict[int, Line]:
    """A file's lines as ingest cleans them, by line number."""
    reading = read(str(path), path.read_bytes())
    return {line.number: line for line in clean_lines(reading.lines)}


def test_a_lower_case_l_for_a_capital_i_is_corrected_into_the_documents_word():
    vocabulary = _vocabulary("Agenda Item 4", "Item 5 Minutes")
    assert capital_i("Minute number\tltem\tAction", vocabulary) == "Minute number\tItem\tAction"
    assert capital_i("see ltems 3 and 4", vocabulary) == "see ltems 3 and 4"  # "Items" is not printed twice
    assert capital_i("lamb and llama", _vocabulary("Iamb Iamb Illama Illama")) == "lamb and llama"  # la…, ll…


def test_an_l_for_i_in_a_link_is_left_as_printed():
    vocabulary = _vocabulary("Items Items")
    assert capital_i("documents/s2305/Public%20ltems%20-%20Rules.pdf", vocabulary).count("ltems") == 1


def test_a_word_cut_by_a_space_is_joined_when_one_part_is_never_a_word():
    vocabulary = _vocabulary("Management Team", "the Management of", "Senior Managemen t Team")
    assert join_cut_words("Senior Managemen t Team", vocabulary) == "Senior Management Team"


def test_two_words_that_happen_to_make_a_third_stay_apart():
    vocabulary = _vocabulary("a breakdown, another breakdown", "we break it down", "break even", "down there")
    assert join_cut_words("the break down of costs", vocabulary) == "the break down of costs"


def test_a_joined_word_keeps_the_case_of_the_line_and_two_words_are_left_apart():
    vocabulary = _vocabulary("Safeguarding Partnership", "Safeguarding Board")
    assert join_cut_words("the Safeguar ding Board", vocabulary) == "the Safeguarding Board"
    assert join_cut_words("the safeguar ding board", vocabulary) == "the safeguarding board"
    words = _vocabulary("looking forward", "forward plan", "for Ward Councillors", "Ward")
    assert join_cut_words("for Ward", words) == "for Ward"  # both pieces are words the document prints alone


def test_a_cell_cut_by_a_border_reads_whole_and_the_emptied_cell_keeps_the_columns():
    vocabulary = _vocabulary("November 2023", "22 November 2022")
    assert join_cut_words("21 Novem\tnber 2023\t\t\t", vocabulary) == "21 November 2023\t\t\t\t"
    cut = "\tSEND EH\t\tHCP Schoo\t\tl support"
    assert join_cut_words(cut, _vocabulary("EHCP EHCP School School")) == "\tSEND EHCP School support\t\t\t\t"
    assert join_cut_words("B\tEngla\tand", _vocabulary("England", "England")) == "B\tEngland\t"


def test_a_misread_letter_at_a_cell_border_is_dropped_only_between_two_fragments():
    vocabulary = _vocabulary("Reviewing the plan", "Reviewing", "Review", "Review")
    assert join_cut_words("Review\tding proposed", vocabulary) == "Review\tding proposed"


def test_glyphs_alone_in_cells_go_and_the_cells_stay():
    lines = _lines("1.5\tGovernance review\t31/01/24\tÎ\tAppropriate", "4.16\tInclusion\t31/05/24\t¢\tTask", "Æ")
    assert [line.text for line in repair(lines)] == [
        "1.5\tGovernance review\t31/01/24\t\tAppropriate", "4.16\tInclusion\t31/05/24\t\tTask", ""]


def test_a_glyph_the_document_writes_in_its_words_or_figures_stays():
    french = _lines("L'Île de France", "Région\tÎ", "Budget\t$\t$4,000")
    assert [line.text for line in repair(french)] == ["L'Île de France", "Région\tÎ", "Budget\t$\t$4,000"]


def test_arrows_bullets_and_dashes_stay():
    lines = _lines("Pupils\t▼\t42\t•\t87", "Cases\t↔\t-\t*")
    assert repair(lines) == lines


def test_repair_keeps_every_line_its_number_and_page():
    lines = [Line("Fatal Serious Tota l", 7, 3), Line("Total Total", 8, 4), Line("\uf0fc", 9, 4)]
    repaired = repair(lines)
    assert [(line.number, line.page) for line in repaired] == [(7, 3), (8, 4), (9, 4)]
    assert repaired[0].text == "Fatal Serious Total"


# The real papers.

def test_003_action_sheet_header_and_cut_date_read_cleanly():
    lines = _cleaned(bcp("003"))
    assert lines[1245].text.startswith("Minute number\tItem\tAction")
    assert lines[1302].text == "21 November 2023\t\t\t\t"
    assert any("Public%20ltems" in line.text for line in lines.values())  # a link is left as printed


def test_003_send_plan_rag_column_holds_no_glyphs():
    lines = _cleaned(bcp("003"))
    assert lines[1680].text.split("\t")[6] == ""  # "Î" in the RAG column of row 1.8
    assert lines[1694].text.startswith("1.12\tLocal Authority Senior Management Team Action")
    glyphs = re.compile(r"(?:^|\t)[ÎĴ¢$₽ŤĀÖţŧÆ](?:\t|$)")
    assert not [n for n, line in lines.items() if glyphs.search(line.text)]


def test_000_forward_plan_dates_cut_by_cells_are_whole():
    lines = _cleaned(bcp("000"))
    assert [lines[n].text.split("\t")[0] for n in (922, 933, 947)] == [
        "20 September 2022", "22 November 2022", "21 March 2022"]


def test_003_actions_still_date_the_meeting_that_raised_them(read_paper):
    paper = read_paper(bcp("003"))
    raised = {record.fields.get("raised") for record in paper.records if record.kind == "action"}
    assert "2023-11-21" in raised
    texts = " ".join(chunk.text for chunk in paper.chunks)
    assert "Managemen t" not in texts and "\tÎ\t" not in texts


def test_a_pdf_word_cut_by_a_space_is_joined_on_its_own_line_and_page():
    path = shared_path("corpus", "pdf", "uk_kent_cabinet_2025-03-04_qpr-q3-performance-report_tables.pdf")
    before = {line.number: line for line in read(str(path), path.read_bytes()).lines}
    # Page 24's casualty table, read as rows: its header cell "Total" wrapped inside a narrow cell ("Tota" / "l").
    number = next(n for n, line in before.items() if "2024/25 Tota l" in line.text)
    line = _cleaned(path)[number]
    assert "Tota l" not in line.text and "2024/25 Slight\t2024/25 Total\t" in line.text
    assert line.page == before[number].page == 24
