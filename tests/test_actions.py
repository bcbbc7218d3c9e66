"""Actions read off the real BCP papers (action sheets, an improvement-plan tracker, flags in minutes) and linked
into one timeline per action across packs. The counts and actions here were read off the papers by hand."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.actions import extract, printed_at
from ingest.model import Chunk, Document, Meeting, Paper
from ingest.profiles import PROFILES_DIR, ProfileError, load_profiles
from ingest.records import ACTION, Record
from ingest.timelines import SAME_WORDS, Timeline, link, similarity

from .conftest import SAMPLES, bcp

HMO = "Share the Corporate Parenting Board report regarding HMOs with the Committee."


def _records(read_paper, prefix: str, kind: str | None = None) -> list[Record]:
    paper = read_paper(bcp(prefix))
    return [r for r in extract(paper) if kind is None or paper.documents[paper.chunks[r.chunk].document].kind == kind]


def _one(records: list[Record], start: str) -> Record:
    [record] = [r for r in records if r.text.startswith(start)]
    return record


def _dated(read_paper, *prefixes: str) -> list[tuple[str | None, Record]]:
    out = []
    for prefix in prefixes:
        paper = read_paper(bcp(prefix))
        out += [(printed_at(paper, record), record) for record in extract(paper)]
    return out


def _holding(timelines: list[Timeline], text: str) -> list[Timeline]:
    return [t for t in timelines if any(e.record.text == text for e in t.entries)]


@pytest.mark.parametrize(("prefix", "count"), [("000", 24), ("003", 36)])
def test_every_decision_of_each_action_sheet_is_one_action(read_paper, prefix: str, count: int):
    # Counted on the papers: 000:389-448 (3 May 2022 pack) and 003:1247-1344 (24 July 2024 pack), one action per
    # "Decision Made:" and one for the 19 March 2024 status line that has none ("Action – DS to liaise …").
    records = _records(read_paper, prefix, "action_sheet")
    assert len(records) == count
    assert all(r.kind == ACTION and r.fields["raised"] and r.fields["minute"] for r in records)
    assert len({r.text for r in records}) == count


def test_3_may_2022_sheet_actions_with_the_meeting_that_raised_them_and_their_status_as_printed(read_paper):
    records = _records(read_paper, "000", "action_sheet")
    first = _one(records, "Permanence Planning training")
    assert first.fields["raised"] == "2020-07-28"  # "Actions a | rising from Committee | e meeting: 28 July 2020"
    assert first.fields["status"] == "Action – Emailed Jane White to arrange early in 2022"
    longspee = _one(records, "Share the Report which detailed the renewable energy")
    assert longspee.fields["raised"] == "2021-06-08"  # "8 June 20 | 21"
    assert longspee.fields["status"] == ("Action – this has been unable to progress due to Officers being unable to "
                                         "locate the report mentioned by a Committee Member.")  # over a page break
    covid = _one(records, "Arrange a meeting between Corporate Director")
    assert covid.fields["status"] == "Action – Officers aware – Emma Regenhardt"  # printed in the next row's cell
    assert covid.fields["owner"] == "Emma Regenhardt"
    assert covid.fields["minute"] == "Covid Impact to include information on Pupil Premium and child poverty"
    amend = _one(records, "Amend Page 16 regarding North West Poole")
    assert (amend.fields["raised"], amend.fields["status"]) == ("2021-09-21", "Action - Officers aware - Tanya Smith")
    hmo = _one(records, HMO)
    assert (hmo.fields["raised"], hmo.fields["status"]) == ("2022-03-22", "Action – Officers aware")
    assert hmo.fields["minute"] == "Full ILACS (Inspecting Local Authority Children's Services) Report"


def test_24_july_2024_sheet_actions_read_through_cut_dates_and_wrapped_cells(read_paper):
    records = _records(read_paper, "003", "action_sheet")
    hmo = _one(records, HMO)
    assert (hmo.fields["raised"], hmo.fields["status"]) == ("2022-03-22", "Actioned.")
    moore = _one(records, "Discuss possible alternative provision with Cllr S Moore")
    assert moore.fields["raised"] == "2022-07-26"  # "26 July 20", the year cut: the first after 22 March 2022
    assert moore.fields["status"] == "Actioned."  # printed after "22 November 2022" on the line below
    data = _one(records, "For the Committee to continue to be provided with data")
    assert data.fields["raised"] == "2022-07-26"  # no item of its own: the date beside it is for the rows below
    assert _one(records, "To circulate the minutes of the recent working group").fields["raised"] == "2022-11-22"
    mental_health = _one(records, "A Committee member highlighted, that it would be beneficial")
    assert mental_health.fields["raised"] == "2023-11-21"  # "21 Novem | nber 2023"
    assert mental_health.fields["status"] == "Action – Officers aware"
    assert mental_health.fields["minute"] == "Young Peoples Mental Health Services – Your Mind, Your Say"
    youth_parliament = _one(records, "A Member advised she would make contact with the MYPs")
    assert youth_parliament.fields["status"] == "Actioned."  # alone on its line
    safety_valve = _one(records, "The committee understand the necessity for the work underway")
    assert safety_valve.text.endswith("to make representations and hopefully provide input as part of that "
                                      "negotiation process.")  # over eight lines and a page number
    liaise = _one(records, "Action – DS to liaise with Member")  # a status with no decision is its own action
    assert (liaise.fields["status"], liaise.fields["owner"]) == (liaise.text, "DS")
    assert liaise.fields["minute"].startswith("Statutory direction in relation to special educational needs")


def test_each_record_cites_the_chunk_that_prints_it(read_paper):
    for prefix in ("000", "003"):
        paper = read_paper(bcp(prefix))
        for record in extract(paper):
            printed = " ".join(paper.chunks[record.chunk].text.split())
            assert " ".join(record.text.split()[:4]) in printed, record.text


def test_flags_in_minutes_are_actions_of_the_meeting_minuted(read_paper):
    paper = read_paper(bcp("000"))
    flags = [r for r in extract(paper) if paper.documents[paper.chunks[r.chunk].document].kind == "minutes"]
    assert len(flags) == 12  # 000:232-371, the minutes of 22 March 2022
    hmo = _one(flags, "A Committee Member advised that this matter was going to be considered by the Corporate")
    assert (hmo.fields["status"], hmo.fields["raised"]) == ("ACTION add to action sheet", "2022-03-22")
    assert hmo.fields["minute"].startswith("82. Full ILACS")
    assert printed_at(paper, hmo) == "2022-03-22"  # printed in the 3 May 2022 pack, said at 22 March 2022
    flagged_alone = _one(flags, "In response to a query regarding whether the Committee could be provided")
    assert flagged_alone.fields["status"] == "ACTION – add to the action sheet"  # the flag on the next line
    # 003: nine in the committee's minutes ("ACTION.", "ADD TO FORWARD PLAN.") and six in the working group's
    later = _records(read_paper, "003", "minutes")
    assert len(later) == 15
    assert _one(later, "The Committee was advised of educational improvement workshops").fields["status"] == (
        "ADD TO FORWARD PLAN.")


def test_improvement_plan_tracker_rows_are_actions_with_lead_deadline_status_and_progress(read_paper):
    rows = _records(read_paper, "000", "appendix")
    assert len(rows) == 56  # actions 1-57 of the plan (Appendix 2); action 20 prints no action text
    first = _one(rows, "Strengthen the Early Help offer")
    assert {k: first.fields[k] for k in ("owner", "deadline", "status")} == {
        "owner": "Zafer Yilkan Sarah Rempel", "deadline": "1/10/22", "status": "High Risk"}
    assert first.fields["progress"].startswith("Proposal to start to work on redesign of Early Help Offer")
    # under the heading cut as "N | O *ACTION", one cell short: the cells are put under it from the right
    guardianship = _one(rows, "Increase the use of special guardianship orders")
    assert (guardianship.fields["owner"], guardianship.fields["deadline"], guardianship.fields["status"]) == (
        "Jane White", "30/04/22", "High Risk")
    assert _one(rows, "Improve quality, effectiveness and timeliness of EH assessments").fields["status"] is None


def test_send_plan_rows_sit_under_their_headings_by_the_date_in_their_deadline_column(read_paper):
    # 003 Appendix 5: "\t1.9\tSEND Governance review\tImplement …" has an empty first cell the header has not, and
    # an empty last column; its RAG cell holds a glyph where the paper had a colour
    rows = _records(read_paper, "003", "appendix")
    register = _one(rows, "Implement a Partnership SEND Risk Register")
    assert register.fields["owner"].startswith("Sharon Muldoon – Interim Education and Skills Director")
    assert (register.fields["deadline"], register.fields["status"]) == ("31/01/24", None)
    assert register.fields["progress"].startswith("Risk Register being developed alongside the Self Evaluation")
    assert not any(r.text == "SEND Governance review" for r in rows)  # the Origin column is not the action


def test_an_action_log_table_gives_each_row_its_raising_meeting_minute_lead_and_status(read_paper):
    """Our own sample's action sheet: a plain table under a heading per raising meeting."""
    paper = read_paper(SAMPLES / "committee-pack.txt")
    rows = [(r.fields["raised"], r.fields["minute"], r.fields["owner"], r.fields["status"])
            for r in extract(paper)]
    assert rows == [
        ("2025-10-08", "38 Youth Offer", "Head of Youth Services", "Actioned - map circulated on 3 November 2025."),
        ("2025-10-08", "39 SEND Transport", "Head of SEND", "Officers aware - figures expected February 2026."),
        ("2026-01-14", "43 Care Leavers Accommodation", "Director of Housing",
         "On track - report scheduled for 13 May 2026."),
        ("2026-01-14", "44 Foster Care Recruitment Campaign", "Service Manager for Fostering", "Not started")]


def test_the_hmo_action_is_one_timeline_with_its_statuses_in_date_order(read_paper):
    timelines = link(_dated(read_paper, "003", "000"))
    [hmo] = _holding(timelines, HMO)
    assert not hmo.ambiguous and hmo.raised == "2022-03-22"
    assert hmo.statuses == [("2022-03-22", "ACTION add to action sheet"), ("2022-05-03", "Action – Officers aware"),
                            ("2024-07-24", "Actioned.")]
    [caseloads] = _holding(timelines, "To provide an update on social workers caseloads at an appropriate time.")
    assert [status for _, status in caseloads.statuses][-2:] == ["Action – Officers aware", "Actioned."]
    assert caseloads is not hmo


def test_an_action_on_one_sheet_only_stays_alone(read_paper):
    timelines = link(_dated(read_paper, "000", "003"))
    for text in ("Permanence Planning training on the processes used to be arranged for Committee Members",
                 "Lobby local MP regarding CE"):
        [alone] = _holding(timelines, text)
        assert len(alone.entries) == 1 and not alone.ambiguous
    assert not any(t.ambiguous for t in timelines)
    # two actions raised under one item stay apart however alike their sheet's wording
    first, second = HMO, "To provide an update on social workers caseloads at an appropriate time."
    assert similarity(first, second) <= SAME_WORDS


def test_a_near_duplicate_of_one_raising_meeting_is_flagged_ambiguous_not_merged(read_paper):
    sheets = [(d, r) for d, r in _dated(read_paper, "000", "003") if not str(r.fields["status"]).startswith("ACTION")
              and r.fields["raised"] == "2022-03-22"]
    [(may, hmo)] = [(d, r) for d, r in sheets if r.text == HMO and d == "2022-05-03"]
    twin = replace(hmo, text="Share the Corporate Parenting Board report on HMOs with the Committee members.")
    timelines = link([*sheets, (may, twin)])
    assert [len(t.entries) for t in _holding(timelines, twin.text)] == [1]
    [july] = [t for t in _holding(timelines, HMO) if t.entries[0].date == "2024-07-24"]
    assert july.ambiguous and len(july.entries) == 1
    assert sorted(timelines[n].entries[0].record.text for n in july.candidates) == sorted([HMO, twin.text])
    assert all(len(timelines[n].entries) == 1 for n in july.candidates)
    # and the other way: two printings at one later meeting that could both continue one timeline
    july_hmo = july.entries[0].record
    again = link([*sheets, ("2024-07-24", replace(july_hmo, text=twin.text))])
    rivals = [t for t in again if t.entries[0].date == "2024-07-24" and t.entries[0].record.text in (HMO, twin.text)]
    assert len(rivals) == 2 and all(t.ambiguous and len(t.entries) == 1 for t in rivals)
    [may_alone] = [t for t in _holding(again, HMO) if t.entries[0].date == "2022-05-03"]
    assert len(may_alone.entries) == 1


def test_a_template_s_own_action_words_come_from_its_profile(tmp_path: Path):
    for path in PROFILES_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "hartfield.toml").write_text(
        "description = \"Hartfield Borough Council's action log (a made-up council, for this test).\"\n"
        "matches = ['^HARTFIELD ACTION LOG$']\n"
        "[actions]\nopens = ['Agreed:']\nstatus = ['\\bDone\\b', '\\bOpen\\s*[–-]']\n", encoding="utf-8")
    log = "\n".join([
        "Minute\tItem\tAction\tNotes",
        "2 June 2025\t\t",
        "\tCar parks\tAgreed: Publish the resurfacing timetable. Done – published 1 July\t",
        "\t\tAgreed: Consult residents on charges\t",
        "\t\tOpen – consultation starts in September\t",
    ])
    paper = Paper("log.txt", "", "text", None, Meeting(date="2025-09-10"), [],
                  [Document("action_sheet", "HARTFIELD ACTION LOG", 0, 7)],
                  [Chunk(0, "prose", "", "HARTFIELD ACTION LOG", (1, 1)), Chunk(0, "table_rows", "", log, (2, 7))])
    records = extract(paper, load_profiles(tmp_path))
    assert [(r.text, r.fields["status"], r.fields["raised"], r.fields["minute"]) for r in records] == [
        ("Publish the resurfacing timetable.", "Done – published 1 July", "2025-06-02", "Car parks"),
        ("Consult residents on charges", "Open – consultation starts in September", "2025-06-02", "Car parks"),
    ]
    # the shipped profiles know neither "Agreed:" nor "Done": the cell reads as one action with no status
    assert [r.fields["status"] for r in extract(paper)] == [None]


def test_an_unknown_action_key_in_a_profile_is_refused(tmp_path: Path):
    shutil.copy(PROFILES_DIR / "default.toml", tmp_path / "default.toml")
    (tmp_path / "odd.toml").write_text("[actions]\nopeners = ['Agreed:']\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=re.escape("odd.toml: unknown keys ['openers'] in [actions]")):
        load_profiles(tmp_path)
