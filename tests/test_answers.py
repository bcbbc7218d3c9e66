"""Cited answers on the real papers: latest first, every figure in a cited passage, honest when unanswered."""

from __future__ import annotations

import re

import pytest

from eval.gold import load_questions
from ingest.dates import human_date
from retrieval.compose import NOT_ANSWERED, source_label
from retrieval.contract import Citation
from retrieval.grounding import claims, unsupported
from retrieval.kinds import kind_name

from .conftest import shared_path


@pytest.fixture(scope="module")
def development_answers(corpus_ask) -> list[tuple[str, dict]]:
    questions = load_questions(shared_path("gold", "dev.jsonl"), shared_path("gold", "pdf_dev.jsonl"))
    return [(question.id, corpus_ask(question.question, role="officer")) for question in questions]


def test_no_figure_date_or_status_in_any_answer_is_missing_from_its_citations(development_answers):
    answered = [(identifier, response) for identifier, response in development_answers if response["answered"]]
    assert len(answered) >= 40
    problems = {identifier: unsupported(response["answer"], map(Citation.model_validate, response["citations"]))
                for identifier, response in answered}
    assert not {identifier: found for identifier, found in problems.items() if found}
    assert sum(len(claims(response["answer"])) for _, response in answered) > 100  # the check had work to do


def test_every_marker_points_to_a_citation_with_where_it_comes_from(development_answers):
    for _, response in development_answers:
        if not response["answered"]:
            continue
        numbers = [citation["n"] for citation in response["citations"]]
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(f"[{n}]" in response["answer"] for n in numbers)
        for citation in response["citations"]:
            assert citation["text"] and citation["quotes"] and citation["document"]["title"]
            assert citation["pages"] or citation["lines"]


def test_a_status_that_changed_is_given_latest_first_then_the_earlier_one(corpus_ask):
    response = corpus_ask("What's the status of the HMO action?", role="officer")
    assert response["answered"]
    dates = [citation["document"]["meeting_date"] for citation in response["citations"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2024-07-24" and "2022-05-03" in dates
    answer = response["answer"]
    assert "Actioned" in answer and "Officers aware" in answer
    assert answer.index("Actioned") < answer.index("Officers aware")


def test_a_citation_is_labelled_as_a_councillor_knows_the_paper_with_the_file_last(corpus_ask):
    response = corpus_ask("What's the status of the HMO action?", role="officer")
    labels = [str(source_label(Citation.model_validate(cited))) for cited in response["citations"]]
    assert ("ACTION SHEET - BOURNEMOUTH, CHRISTCHURCH AND POOLE CHILDREN'S SERVICES OVERVIEW AND SCRUTINY COMMITTEE · "
            "Children's Services Overview and Scrutiny Committee · 3 May 2022 · item 4a Action Sheet · lines 438–448 · "
            "000_b35f86d97bdcb475.txt") in labels
    assert "\n3 May 2022: " in response["answer"]  # a quote says which meeting; its marker's citation, which paper


def test_kinds_are_shown_by_their_names_and_an_unknown_one_in_words():
    assert [kind_name(kind) for kind in ("cabinet_forward_plan", "action_sheet", "minutes", "scrutiny_review")] == [
        "Cabinet forward plan", "Action sheet", "Minutes", "Scrutiny review"]


def test_the_latest_20_week_timeliness_figure_is_answered_and_cited(corpus_ask):
    # the 20-week timeliness question in a councillor's words
    response = corpus_ask("How are we doing on SEND 20-week EHCP timeliness?", role="officer")
    assert response["answered"] and "67.1%" in response["answer"] and "March 2024" in response["answer"]
    assert any("67.1%" in citation["text"] for citation in response["citations"])


def test_a_status_question_leads_with_the_action_record_its_status_now_and_before_each_cited(corpus_ask):
    response = corpus_ask("What's the status of the HMO action?", role="officer")
    lead = response["lead"]
    assert response["answer"].startswith(lead + "\n") and len(lead.split()) <= 40
    assert lead.startswith("Actioned, 24 July 2024 [1]; earlier: Action – Officers aware, 3 May 2022 [")
    assert "HMOs" in lead and not unsupported(lead, map(Citation.model_validate, response["citations"]))
    record = response["lead_record"]
    assert record["kind"] == "action" and record["n"] == 1 and record["fields"]["status"].startswith("Actioned")


def test_a_figure_question_leads_with_the_latest_value_and_its_period(corpus_ask):
    response = corpus_ask("How many EHC plans are waiting over 20 weeks?", role="officer")
    assert ": 110 (Mar-24) · target 0 [1]" in response["lead"] and response["answered"]


def test_a_quote_from_minutes_opens_with_the_day_of_the_meeting_they_record_not_the_pack(corpus_ask):
    response = corpus_ask("What was resolved about environmental health powers over care leavers' housing?",
                          role="officer")
    minutes = [cited for cited in response["citations"] if cited["document"]["original_date"]]
    assert minutes, "the answer cites a set of minutes printed in a later pack"
    quoted = response["answer"].splitlines()[1 if response["lead"] else 0:]
    for cited in minutes:
        line = next(line for line in quoted if line.endswith(f"[{cited['n']}]"))
        own = human_date(cited["document"]["original_date"], "%B")
        assert line.startswith(f"{own}: ") and own != human_date(cited["document"]["meeting_date"], "%B")


def test_a_question_naming_only_a_measure_leads_with_its_figure(corpus_ask):
    response = corpus_ask("What is SEND 20-week timeliness?", role="officer")
    assert response["lead"] == "20-week timeliness: 67.1% (March 2024) [1]"
    assert response["lead_record"]["kind"] == "figure" and response["lead_record"]["fields"]["value"] == "67.1%"


def test_which_actions_are_outstanding_is_answered_as_a_list_of_open_actions_each_cited(corpus_ask):
    response = corpus_ask("Which actions from previous meetings are still outstanding?", role="officer")
    lines = response["answer"].split("\n")
    listed = [line for line in lines if line.startswith("- ")]
    assert response["answered"] and len(listed) == 10 and lines[-1].startswith("… and ")
    assert all(re.search(r" \[\d+\]$", line) for line in listed)
    assert not any(line.startswith("- Actioned") for line in listed)
    assert {citation["document"]["kind"] for citation in response["citations"]} <= {"action_sheet", "minutes",
                                                                                    "report", "appendix"}
    done = corpus_ask("Which actions have been completed?", role="officer")["answer"].split("\n")
    assert all(line.startswith("- Actioned") for line in done if line.startswith("- "))


def test_what_was_decided_in_a_year_is_a_list_of_that_years_decisions(corpus_ask):
    response = corpus_ask("What did the committee decide in 2024?", role="officer")
    listed = [line for line in response["answer"].split("\n") if line.startswith("- ")]
    assert listed and all(" 2024: " in line for line in listed)
    # every listed line is grounded; the tail ("… and 49 more.") counts the records left out, it quotes none
    assert not unsupported("\n".join(listed), map(Citation.model_validate, response["citations"]))


def test_a_question_no_record_answers_has_no_lead(corpus_ask):
    response = corpus_ask("Why was the Children's Services Improvement Plan scrutinised at an extra meeting?",
                          role="officer")
    assert response["lead"] is None and response["lead_record"] is None


@pytest.mark.parametrize("question", [
    "How much is the mileage allowance for councillors?",  # allowances are mentioned, never an amount
    "What was the vote on the Heartland of America Park fountain contract?",  # on the agenda, not voted in it
    # a near miss since OCR reads Nipissing's scans: classes at the Community Centre "beginning September 19th"
    # pass as its opening date. Telling a leisure centre from a community centre takes a reader model (issue 14)
    pytest.param("When will the new leisure centre open?",
                 marks=pytest.mark.xfail(strict=True, reason="a near miss is answered: no reader model offline")),
])
def test_a_question_the_papers_do_not_answer_gets_a_plain_no_and_the_closest_passages(corpus_ask, question):
    response = corpus_ask(question, role="officer")
    assert not response["answered"] and response["answer"].startswith(NOT_ANSWERED)
    assert response["citations"] and all(not citation["quotes"] for citation in response["citations"])


def test_a_public_caller_is_never_cited_an_exempt_paper(corpus_ask):
    question = "How many monitoring visits has Ofsted completed since the inadequate judgement?"
    officer = corpus_ask(question, role="officer")
    public = corpus_ask(question, role="public")
    assert "exempt" in {citation["document"]["visibility"] for citation in officer["citations"]}
    assert {citation["document"]["visibility"] for citation in public["citations"]} <= {"public"}
    assert {passage["document"]["visibility"] for passage in public["passages"]} == {"public"}


def test_a_committee_the_question_names_narrows_the_search_to_its_papers(corpus_ask):
    response = corpus_ask("What did Cabinet decide about the draft budget?", role="officer")
    assert {passage["document"]["committee"] for passage in response["passages"]} == {"Cabinet"}
    unnamed = corpus_ask("What was decided about the draft budget?", role="officer")
    assert len({passage["document"]["committee"] for passage in unnamed["passages"]}) > 1


def test_what_happened_at_a_meeting_is_told_by_its_minutes_and_never_by_its_own_agenda_pack(corpus_ask):
    held = corpus_ask("What declarations of interest were made at the 19 March 2024 meeting?", role="officer")
    assert held["answered"] and "Salmon" in held["answer"]
    assert {citation["document"]["title"] for citation in held["citations"]} == {
        "Minutes of Children's Services Overview and Scrutiny Committee, 19 Mar 2024"}
    ahead = corpus_ask("What was decided at the 24 July 2024 meeting about SEND?", role="officer")
    assert not ahead["answered"]  # the papers are that meeting's pack, published before it


def test_a_question_only_an_exempt_paper_answers_is_not_answered_for_the_public(corpus_ask):
    question = "Who is our sector-led improvement partner for children's social care now that Hampshire has finished?"
    officer = corpus_ask(question, role="officer")
    assert officer["answered"] and officer["citations"][0]["document"]["visibility"] == "exempt"
    public = corpus_ask(question)
    assert not public["answered"] and public["answer"].startswith(NOT_ANSWERED)
    assert all(cited["document"]["visibility"] == "public" for cited in public["citations"])


def test_the_public_is_still_answered_from_public_papers_when_exempt_ones_also_speak(corpus_ask):
    response = corpus_ask("SLIP for SEND?")  # the exempt report and a public one both name the partner
    assert response["answered"] and "Bedford" in response["answer"]
    assert all(cited["document"]["visibility"] == "public" for cited in response["citations"])
