"""Step 0 on made-up lines and on the real papers' own traps."""

from ingest.model import Line
from ingest.normalise import clean_lines, clean_text

from .conftest import bcp


def test_lookalikes_inside_latin_words_and_numbers_are_mapped():
    assert clean_text("Deadline\tТВС\tOfficers aware") == "Deadline\tTBC\tOfficers aware"  # Cyrillic Te, Ve, Es
    assert clean_text("Зрр above target") == "3pp above target"
    assert clean_text("Mаrch") == "March"  # one Cyrillic a inside a Latin word


def test_real_cyrillic_and_greek_words_are_left_alone():
    russian = "Всё в порядке, спасибо"
    assert clean_text(russian) == russian
    assert clean_text("Ελληνικά κείμενα") == "Ελληνικά κείμενα"


def test_private_use_symbols_go_and_a_ligature_between_letters_stays():
    assert clean_text("\uf0b7 Review the plan") == "Review the plan"
    assert clean_text("Complete\t\uf0fc\tGreen") == "Complete\t\tGreen"
    assert clean_text("con\uf001rm") == "con\uf001rm"


def test_a_look_alike_o_in_a_figure_is_a_zero():
    row = "Non-FSM to FSM\t+8.1pp\t\t\t8pp\t8рр\tОрр\t7рр"  # 003:3846, Cyrillic О and р
    assert clean_text(row) == "Non-FSM to FSM\t+8.1pp\t\t\t8pp\t8pp\t0pp\t7pp"
    assert clean_text("Оpen day") == "Open day"


def test_markup_latex_and_spaces_are_cleaned():
    assert clean_text("79. <u>Statutory direction</u>\u00a0issued") == "79. Statutory direction issued"
    assert clean_text("**ACTION – add to the Forward Plan**") == "ACTION – add to the Forward Plan"
    assert clean_text("see [the report](#) here") == "see the report here"
    assert clean_text("12.2$\\%$ rise") == "12.2% rise"
    assert clean_text("$\\begin{array}{c} \\leftrightarrow \\end{array}$") == "↔"
    assert clean_text("$\\overline{}$") == ""


def test_running_headers_footers_and_page_numbers_are_dropped():
    lines = [
        Line("The group was advised of progress.", 1),
        Line("- 6 -CHILDREN'S SERVICES OVERVIEW AND SCRUTINY COMMITTEE 19 March 2024", 2),
        Line("45", 3),
        Line("Page | 12", 4),
        Line("...in September. CHILDREN'S SERVICES OVERVIEW AND SCRUTINY COMMITTEE 23 January 2024", 5),
    ]
    assert [line.text for line in clean_lines(lines)] == ["The group was advised of progress.", "...in September."]


def test_paragraph_split_by_a_page_break_is_joined_on_the_real_agenda():
    lines = [Line(text, number) for number, text in enumerate(bcp("000").read_text().splitlines(), 1)]
    joined = next(line for line in clean_lines(lines) if line.number == 152)
    assert joined.text.endswith("statutory direction notice.")
    assert joined.end == 154


def test_a_word_broken_at_its_hyphen_over_a_line_end_is_joined_whole():
    """The OCR'd lines of a Nipissing resolution, wrapped after "end-"; a dash standing alone keeps its space."""
    lines = [Line("province amend Ontario Regulation 391/21, Blue Box, so that producers are responsible for the end-",
                  1, 2),
             Line("of-life management of recycling products from all sources;", 2, 2),
             Line("The budget for the year was set at its meeting -", 3, 2),
             Line("and carried.", 4, 2)]
    assert [line.text for line in clean_lines(lines)] == [
        "province amend Ontario Regulation 391/21, Blue Box, so that producers are responsible for the end-of-life "
        "management of recycling products from all sources;",
        "The budget for the year was set at its meeting - and carried."]
