"""The lead line's rules on records of our own making: about what was asked, within 40 words, every figure, date
and status word in what it cites, or no lead at all."""

from __future__ import annotations

from retrieval.contract import Citation
from retrieval.lead import LEAD_WORDS, lead
from retrieval.query import analyse


def cited(n: int, text: str, meeting_date: str = "2026-03-11") -> Citation:
    return Citation.model_validate({
        "n": n, "chunk_id": f"c{n}", "text": text, "rows": "", "quotes": [text],
        "document": {"id": "d", "title": "Action sheet", "path": "pack.txt", "committee": "Scrutiny",
                     "meeting_date": meeting_date, "kind": "action_sheet", "visibility": "public"},
        "agenda_item": None, "pages": None, "lines": [1, 2]})


def action(n: int, text: str, status: str, date: str = "2026-03-11") -> dict:
    return {"id": f"a{n}", "kind": "action", "chunk_id": f"c{n}", "text": text, "date": date,
            "fields": {"status": status}}


def ask(question: str, citations: list[Citation], rows: list[dict], earlier=lambda row: []) -> str | None:
    by_chunk: dict[str, list[dict]] = {}
    for row in rows:
        by_chunk.setdefault(row["chunk_id"], []).append(row)
    found = lead(analyse(question, (), []), citations, by_chunk, {}, earlier)
    return found[0] if found else None


SHEET = "Share the youth club map with Members. Actioned - map circulated on 3 November 2025."


def test_the_action_asked_about_leads_with_its_status_and_date():
    rows = [action(1, "Share the youth club map with Members.", "Actioned - map circulated on 3 November 2025."),
            action(1, "Provide the transport waiting list.", "Officers aware")]
    assert ask("What is the status of the youth club map?", [cited(1, SHEET + " Officers aware")], rows) == (
        "Actioned - map circulated on 3 November 2025, 11 March 2026 [1]. Share the youth club map with Members.")


def test_the_lead_names_the_record_it_was_built_from():
    rows = [action(1, "Share the youth club map with Members.", "Actioned - map circulated on 3 November 2025."),
            action(2, "Provide the transport waiting list.", "Officers aware")]
    by_chunk = {row["chunk_id"]: [row] for row in rows}
    _, record = lead(analyse("What is the status of the youth club map?", (), []),
                     [cited(1, SHEET), cited(2, "Provide the transport waiting list. Officers aware")], by_chunk, {},
                     lambda row: [])
    assert (record.id, record.kind, record.n) == ("a1", "action", 1)
    assert record.fields["status"].startswith("Actioned")


def test_an_earlier_status_is_given_when_the_answer_cites_it_too():
    earlier = action(2, "Share the youth club map with Members.", "Officers aware", "2025-11-05")
    citations = [cited(1, SHEET), cited(2, "Share the youth club map with Members. Officers aware", "2025-11-05")]
    found = ask("What is the status of the youth club map?", citations, [action(1, "Share the youth club map with "
                "Members.", "Actioned - map circulated on 3 November 2025.")], lambda row: [earlier])
    assert "; earlier: Officers aware, 5 November 2025 [2]." in found


def test_no_lead_for_a_record_about_something_else_or_a_status_the_passage_does_not_print():
    rows = [action(1, "Provide the transport waiting list.", "Officers aware")]
    assert ask("What is the status of the youth club map?", [cited(1, SHEET + " Officers aware")], rows) is None
    invented = [action(1, "Share the youth club map with Members.", "Completed")]
    assert ask("What is the status of the youth club map?", [cited(1, SHEET)], invented) is None
    assert ask("Why was the map shared?", [cited(1, SHEET)], invented) is None  # a reason: no record says why


def test_a_long_record_is_cut_to_the_words_a_lead_may_have():
    text = "Share the youth club map with Members " + "and every ward forum " * 20
    found = ask("What is the status of the youth club map?", [cited(1, text + " Actioned")],
                [action(1, text.strip(), "Actioned")])
    assert found.endswith(" …") and len(found.split()) == LEAD_WORDS + 1


def figure(n: int, measure: str, value: str, **fields) -> dict:
    return {"id": f"f{n}", "kind": "figure", "chunk_id": f"c{n}", "text": f"{measure} {value}", "date": "2026-03-11",
            "fields": {"measure": measure, "value": value, "period": "Mar-26", **fields}}


def test_a_figure_leads_only_when_it_is_of_the_measure_asked_and_holds_the_field_asked_for():
    passage = cited(1, "Plans issued within 20 weeks 54.2% Mar-26 target 60%")
    twenty = figure(1, "Plans issued within 20 weeks", "54.2%", target="60%")
    assert ask("What is the latest figure for plans issued within 20 weeks?", [passage], [twenty]) == (
        "Plans issued within 20 weeks: 54.2% (Mar-26) · target 60% [1]")
    assert ask("What is the latest figure for plans issued within 30 weeks?", [passage], [twenty]) is None
    untargeted = figure(1, "Plans issued within 20 weeks", "54.2%")
    assert ask("What is the target for plans issued within 20 weeks?", [passage], [untargeted]) is None
    assert ask("How do plans issued within 20 weeks compare with the national figure?", [passage], [twenty]) is None
