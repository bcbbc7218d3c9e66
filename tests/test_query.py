"""Query analysis, answer units and answer shapes: the pure parts of answering, on small made-up texts."""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from index.tokens import tokenize
from index.units import Unit, paragraphs, sentences, units_of
from ingest.dates import month_years, months_named
from ingest.errors import IngestError
from ingest.reader import read
from retrieval.ask import with_what_follows
from retrieval.query import analyse, glossary_terms, shipped_glossary
from retrieval.rerank import Candidate, Scored, coverage
from retrieval.shapes import SHAPES, months_in, news, on_the_day, shaped

from .conftest import shared_path

GLOSSARY = glossary_terms({"SLIP": ["Sector Led Improvement Partner"]})
COMMITTEES = ["Children's Services Overview and Scrutiny Committee", "Cabinet"]
TODAY = date(2026, 11, 27)


def ask(question: str):
    return analyse(question, GLOSSARY, COMMITTEES, TODAY)


def answers(question: str, text: str, meeting_date: str = "2024-07-24") -> bool:
    query = ask(question)
    return shaped(query, news(query, text), meeting_date)


def test_the_glossary_is_data_and_a_term_matches_in_either_form():
    assert shipped_glossary()["HMO"][0] == "houses in multiple occupation"
    query = ask("How many young people are still in HMOs?")
    long_form = "Young people living in houses in multiple occupation were moved"
    spelt, bare = (coverage(query, text, frozenset(), {})[0] for text in (long_form, "Young people were moved"))
    assert spelt > bare
    spelt_out = ask("Which council is our sector led improvement partner?")
    assert any(("slip",) in group.forms for group in spelt_out.groups)  # the papers' own definition, added


def test_every_glossary_term_is_one_the_papers_use():
    """The glossary is general vocabulary, but no entry for a term that appears in no paper (PDFs read only while
    some entry is still unseen)."""
    corpus = shared_path("corpus")
    missing = dict(shipped_glossary())

    def seen(text: str) -> None:
        for short, forms in list(missing.items()):
            if re.search(rf"\b{re.escape(short)}s?\b", text) or any(f.lower() in text.lower() for f in forms):
                del missing[short]

    for path in sorted((corpus / "bcp").glob("*.txt")):
        seen(path.read_text(encoding="utf-8"))
    for path in sorted((corpus / "pdf").glob("*.pdf")):
        if missing:
            try:
                seen("\n".join(line.text for line in read(str(path), path.read_bytes()).lines))
            except IngestError:  # a scan with no text layer
                continue
    assert not missing


def test_what_kind_of_answer_is_wanted():
    assert ask("How many foster carers left last year?").wants[0] == "count"
    assert ask("How much did the new roof cost?").wants[0] == "amount"
    assert ask("Who leads the fostering recruitment campaign?").wants[0] == "person"
    assert ask("When does the youth strategy go to Cabinet?").wants[0] == "date"
    assert ask("Why was the library review paused?").wants[0] == "reason"
    assert ask("What's the RAG on the recruitment action?").wants == ("status",)
    assert ask("Is the council on track to spend the budget?").wants == ("status",)
    assert ask("What is the rate of pay for foster carers?").wants == ()


def test_dates_and_relative_time_become_preferences():
    assert ask("What is the latest figure?").latest and not ask("What was the figure in 2022?").latest
    assert ask("What was the figure in 2022?").years == ("2022",)
    assert ask("What happened at the 3 May 2022 meeting?").months == ("2022-05",)
    assert ask("What did the committee decide last March?").months == ("2026-03",)
    assert ask("What did they decide last December?").months == ("2025-12",)
    assert ask("What is on the October 16, 2012 agenda?").years == ("2012",)
    assert ask("When is the update coming back?").future


def test_one_parser_reads_months_with_their_year_as_papers_and_questions_write_them():
    assert [(m.month, m.year) for m in month_years("March 2024, Mar-24, March '24 and june 2024")] == [
        (3, 2024), (3, 2024), (3, 2024), (6, 2024)]
    assert month_years("Officers may 25 placements") == []  # "may" the verb, and no month in lower case alone
    assert [(m.text, m.year) for m in month_years("due in May", bare=True)] == [("May", None)]
    assert months_named("met on 19 March 2024, next in July 2024 and in May", 2024) == [
        "2024-03", "2024-07", "2024-05"]
    assert ask("What was the backlog in March 2024?").months == ("2024-03",)


def test_a_committee_named_in_the_question_is_recognised():
    assert ask("What did Cabinet decide?").committee == "Cabinet"
    assert ask("What did the children's services overview and scrutiny committee say?").committee == COMMITTEES[0]
    assert ask("What did the board decide?").committee is None


def test_wrapped_pdf_lines_are_joined_into_sentences_but_list_items_are_not():
    lines = ["Res. that the appointment by Mayor Ann Smith of Carl B.",
             "Jones as the library representative is approved.",
             "• A list item", "• Another list item"]
    assert paragraphs(lines)[0].endswith("representative is approved.")
    assert paragraphs(lines)[1:] == ["• A list item", "• Another list item"]
    assert sentences("Cllr. Brown asked. The Chair agreed, e.g. on caseloads. Done now.") == [
        "Cllr. Brown asked.", "The Chair agreed, e.g. on caseloads.", "Done now."]


def test_a_table_chunk_gives_one_unit_per_written_out_row():
    units = units_of("c", "Intro sentence about the table here.\n\tDec-23\tMar-24\nTimeliness\t12.2%\t67.1%",
                     "Timeliness — Dec-23: 12.2%; Mar-24: 67.1%", "Key Performance Indicators")
    assert [unit.text for unit in units] == [
        "Intro sentence about the table here.", "Timeliness — Dec-23: 12.2%; Mar-24: 67.1%"]
    assert units[1].embedded_text.startswith("Key Performance Indicators: ")
    raw = units_of("c", "Area\tMarch\tApril\nWaiting\t12\t9", "", "")
    assert [unit.text for unit in raw] == ["Area | March | April", "Waiting | 12 | 9"]


def test_an_answer_must_add_the_kind_of_thing_asked_for():
    count = "How many foster carers did we recruit from Wales?"
    assert not answers(count, "The recruitment of several foster carers from Wales was discussed.")
    assert answers(count, "Twelve foster carers were recruited from Wales.")
    assert not answers(count, "87% of the roles were filled by agency staff")  # a percentage is not a count
    assert not answers(count, "The campaign cost £40,000")
    figure = ask("What's the latest figure for 12-week reviews?")
    assert "12" not in tokenize(news(figure, "Percentage of reviews within the 12-week timescale"))
    assert answers(figure.text, "Current 12-week review timeliness is 81.5% (March 2024)")
    assert not answers(figure.text, "Percentage of reviews within the 12-week timescale")
    who = "Who is the independent reviewing officer for the panel?"
    assert not answers(who, "The Director of Children's Services appointed an independent reviewing officer.")
    assert answers(who, "Priya Shah was appointed as the independent reviewing officer.")
    assert SHAPES["count"]("Officers may 25 placements")  # "may" the verb hides no figure
    assert answers("What did the committee decide about parking?", "RESOLVED that the charges be frozen.")
    assert not answers("What did the committee decide about parking?", "Parking was discussed at length.")


def test_what_comes_next_needs_a_date_after_the_paper():
    question = "When is the next fostering inspection due?"
    assert not answers(question, "Since the fostering inspection in December 2021, six visits.", "2024-09-19")
    assert answers(question, "The next inspection is expected in March 2025.", "2024-09-19")
    assert not answers(question, "The action was completed on 31/03/2024.", "2024-09-19")
    assert not answers(question, "The last inspection was March 12, 2024.", "2024-09-19")
    next_time = "When is the exclusions update coming back to committee?"
    assert answers(next_time, "An update will come back to the Committee in September.")
    assert not answers(next_time, "In line with the December inspection's recommendations.")
    assert months_in("from 6 to 17 December 2021; deadline 31/03/24; by 2025; in May", 2024) == [
        "2021-12", "2024-03", "2024-05", "2025-12"]


def test_a_question_about_one_meetings_papers_is_answered_from_them_or_a_passage_naming_its_day():
    query = ask("What was on the agenda pack for the 19 March 2024 committee?")
    assert query.day == "2024-03-19" and not query.at_meeting
    assert on_the_day(query, "Item 8 ...", "2024-03-19", "2024-03-19", "agenda")
    assert on_the_day(query, "Item 8 ...", "2024-07-24", "2024-03-19", "minutes")  # its minutes in a later pack
    assert not on_the_day(query, "Item 8 ...", "2024-07-24", "2024-01-23", "minutes")
    assert on_the_day(query, "Minutes of the meeting held on 19th March 2024", "2024-07-24", "2024-07-24", "report")
    assert on_the_day(ask("What did the committee decide?"), "anything", "2020-01-01", "2020-01-01", "report")


def test_what_happened_at_a_meeting_comes_from_its_minutes_or_a_later_paper_not_its_own_pack():
    query = ask("What did the committee resolve at its 19 March 2024 meeting?")
    assert query.at_meeting
    assert on_the_day(query, "RESOLVED that ...", "2024-07-24", "2024-03-19", "minutes")
    assert not on_the_day(query, "Declarations will be reported at the meeting", "2024-03-19", "2024-03-19", "agenda")
    assert on_the_day(query, "19 March 2024: Decision Made: ...", "2024-07-24", "2024-07-24", "action_sheet")
    assert not on_the_day(query, "19 March 2024: to be considered", "2024-02-01", "2024-02-01", "forward_plan")


def _scored(position: int, text: str) -> Scored:
    unit = Unit("chunk", position, text, "")
    return Scored(Candidate(unit, np.zeros(2, dtype=np.float32), 1, "", "", "report", ""), 0.5, {}, True, True,
                  frozenset())


def test_a_list_announced_with_a_colon_comes_with_its_items_and_a_reason_with_its_neighbours():
    units = [_scored(n, text) for n, text in enumerate(
        ["Before.", "There are three pathways:", "• one", "• two", "• three", "After the list."])]
    listed = with_what_follows([units[1]], units, ask("What pathways are there?"), list_items=3)
    assert [s.candidate.unit.text for s in listed] == ["There are three pathways:", "• one", "• two", "• three"]
    reason = with_what_follows([units[3]], units, ask("Why was it turned down?"), list_items=3)
    assert [s.candidate.unit.text for s in reason] == ["• two", "• one", "• three"]
    assert with_what_follows([units[3]], units, ask("What is the status?"), list_items=3) == [units[3]]
    repeated = [*units, _scored(7, "• one")]
    assert len(with_what_follows([units[1], repeated[-1]], repeated, ask("Which?"), list_items=3)) == 4


def test_a_question_after_several_things_brings_what_the_paper_lists_after_its_best_unit():
    units = [_scored(n, text) for n, text in enumerate(
        ["The Bill proposed several changes.", "Family group meetings first.", "Schools in safeguarding.",
         "Better information sharing.", "An unrelated paragraph."])]
    several = ask("What measures did the Bill propose?")
    assert several.several
    assert [s.candidate.unit.text for s in with_what_follows([units[0]], units, several, list_items=3)] == [
        "The Bill proposed several changes.", "Family group meetings first.", "Schools in safeguarding.",
        "Better information sharing."]
    assert ask("Who are the nominees for the panel?").several and ask("What were the council's judgements?").several
    for one in ("What status does the action have?", "What was decided?", "What time does it start?",
                "Which directorate was furthest over?", "What process was followed?", "What happens next?"):
        assert not ask(one).several, one
