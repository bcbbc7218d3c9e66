"""Decisions taken out of the real papers: how many each holds, counted by reading its minutes and reports' covers,
and a handful read off the page whole, with their kind and vote, from BCP, Kent and Nipissing."""

from __future__ import annotations

import re

import pytest

from ingest.decisions import MINUTES, minuted
from ingest.paragraphs import Paragraph
from ingest.records import DECISION

from .conftest import bcp, shared_path

KENT_CABINET = ("pdf", "uk_kent_cabinet_2025-01-30_printed-minutes.pdf")
KENT_PANEL = ("pdf", "uk_kent_corporate-parenting-panel_2024-10-29_minutes.pdf")
NIPISSING = ("pdf", "ca_nipissing_council_2025-03-04_minutes.pdf")
KENT_TRANSFER = ("pdf", "uk_kent_cabinet_2025-01-30_supplementary-pack_item7_childrens-sis-18-25-transfer.pdf")
LA_METRO = ("pdf", "us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf")
HAYWARD = ("pdf", "us_hayward_library-commission_2021-08-16_cancellation-notice_legistar.pdf")


def paper_of(read_paper, name: str | tuple[str, str]):
    return read_paper(bcp(name) if isinstance(name, str) else shared_path("corpus", *name))


def decisions(paper, minutes: bool = True) -> list:
    """The paper's decisions from its minutes (or from its other documents: reports' recommendations)."""
    return [r for r in paper.records if r.kind == DECISION
            and (paper.documents[paper.chunks[r.chunk].document].kind in MINUTES) == minutes]


def one(found: list, start: str):
    matches = [record for record in found if record.text.startswith(start)]
    assert len(matches) == 1, [record.text[:80] for record in found]
    return matches[0]


@pytest.mark.parametrize(("name", "minuted_count", "recommended_count"), [
    ("000", 6, 1),  # minutes 79, 82, 83, 84, 86 (RESOLVED), 89 (dates noted); the item 6 report's cover
    ("001", 0, 1),  # the exempt report's cover: "For information and scrutiny"
    ("002", 0, 1),
    # 19 March 2024: 13; 3 January: 2; 23 January: 7; the working group's three: 3, 2, 3. Seven reports' covers.
    ("003", 30, 7),
    ("004", 1, 0),
    (KENT_CABINET, 6, 0),  # minutes 86 and 88-92; 87 (Cabinet Member updates) decides nothing
    (KENT_PANEL, 11, 0),  # items 2-12, one RESOLVED each ("The Chair agreed to write …" is her undertaking)
    (NIPISSING, 9, 0),  # R2025-042 to R2025-050
    (KENT_TRANSFER, 0, 1),  # its "Recommendation(s):", printed on its first page and again in its conclusions
])
def test_decisions_per_paper_as_counted_by_reading_it(read_paper, name, minuted_count, recommended_count):
    paper = paper_of(read_paper, name)
    assert (len(decisions(paper)), len(decisions(paper, minutes=False))) == (minuted_count, recommended_count)


def test_bcp_a_deferral_carries_its_vote_and_a_resolution_its_lettered_list(read_paper):
    found = decisions(read_paper(bcp("003")))
    deferrals = [r for r in found if r.fields["decision"] == "deferred"]
    assert [d.fields["vote"] for d in deferrals] == ["Voting: For – 8 Against – 1"] * 2
    assert all((d.fields["for"], d.fields["against"]) == (8, 1) for d in deferrals)
    assert "agreement of the minutes be deferred" in deferrals[0].text and "3 January 2024" in deferrals[0].text
    listed = one(found, "RESOLVED that: - a) The Committee understand the current position")
    assert "- c) The Committee notes the work that is being done in this arena" in listed.text
    assert listed.fields == {"decision": "resolved", "vote": "Voting: For - Unanimous", "against": 0}
    split = one(found, "RECOMMENDED that - a) The report is read and accepted")  # the list runs into another chunk
    assert split.text.endswith("acknowledged with the improvements identified as outlined in this paper.")


def test_bcp_the_public_excluded_a_noting_and_a_bare_noting(read_paper):
    found = decisions(read_paper(bcp("003")))
    excluded = [r for r in found if r.fields["decision"] == "public_excluded"]
    assert [r.text.split(" of the Local")[0] for r in excluded] == [
        "RESOLVED that under Section 100(A)(4)", "RESOLVED that under Section 100 (A)(4)"]
    assert sum(r.text == "RESOLVED that the report be noted." and r.fields["decision"] == "noted" for r in found) == 2
    assert one(found, "The action sheet was noted").fields == {"decision": "noted"}
    moved = one(found, "It was Proposed, Seconded and RESOLVED that the Committee request")
    assert moved.fields["decision"] == "resolved" and moved.fields["vote"] == "Voting: For – Unanimous"
    # Its lead-in ("… agreed to exclude the public and press at this point:") is no decision of its own.
    assert not [r for r in found if "exclude the public and press at this point" in r.text]


def test_bcp_working_group_minutes_record_agreements_in_their_own_words(read_paper):
    found = decisions(read_paper(bcp("003")))
    assert one(found, "Cllr Burton was elected as Chair").fields == {"decision": "agreed"}
    assert one(found, "Noted and accepted.").fields == {"decision": "noted"}
    assert one(found, "The Minutes of the working group held on 24 January 2023 were confirmed").fields == {
        "decision": "agreed"}
    # "The group agreed child exploitation was a complex issue": a view shared in discussion, not a decision.
    assert not [r for r in found if "complex issue" in r.text]


def test_bcp_a_report_recommends_what_its_cover_says(read_paper):
    found = decisions(read_paper(bcp("003")), minutes=False)
    send = one(found, "It is RECOMMENDED that Cabinet: a) Note the positive progress")
    assert send.text.endswith("d) Acknowledge that the progression of improvements in SEND is reliant on Health, "
                              "Education and the Council working together.")
    assert send.fields == {"decision": "recommended"}
    web = decisions(read_paper(bcp("004")))
    assert [(r.text, r.fields) for r in web] == [
        ("RESOLVED that the content of the report be noted.", {"decision": "noted"})]


def test_kent_cabinet_a_resolution_wrapped_over_lines_and_its_list_whole(read_paper):
    paper = read_paper(shared_path("corpus", *KENT_CABINET))
    found = decisions(paper)
    adopted = one(found, "RESOLVED that Cabinet agree to: (a) Adopt the Integrated Care Strategy Delivery Plan on "
                         "behalf of Kent County Council (b) Delegate")
    assert adopted.text.endswith("as necessary to implement the decision.")
    assert paper.chunks[adopted.chunk].pages == (15, 16)
    budget = one(found, "RESOLVED that Cabinet agree to: A) Note the forecast revenue overspend of £23.3m")
    assert budget.text.endswith("f) Note the Reserves, Treasury Management and Prudential Indicators Monitoring")
    assert {r.fields["decision"] for r in found} == {"resolved"}


def test_kent_panel_resolutions_the_chunker_took_for_headings_are_read(read_paper):
    found = decisions(read_paper(shared_path("corpus", *KENT_PANEL)))
    assert one(found, "RESOLVED that Mr P Bartlett").text == (
        "RESOLVED that Mr P Bartlett be duly elected Vice Chair of the Corporate Parenting Panel.")
    assert one(found, "RESOLVED that the Panel note the Participation Team Update.").fields == {"decision": "noted"}
    protocol = one(found, "RESOLVED – to note the report, the proposed Joint Working Protocol for Care Leavers, and")
    assert protocol.fields == {"decision": "resolved"}  # it notes, and asks for more


def test_nipissing_motions_carried_with_their_numbers(read_paper):
    found = decisions(read_paper(shared_path("corpus", *NIPISSING)))
    assert [r.fields.get("minute") for r in found] == [f"R2025-0{n}" for n in range(42, 51)]
    closed = one(found, "That this part of our meeting will be closed to the public")
    assert closed.fields["decision"] == "public_excluded" and closed.text.endswith("Carried.")
    assert one(found, "THAT we accept the quote").text.endswith("$29,250.99. Carried.")


def test_a_report_repeating_its_recommendations_gives_one_record(read_paper):
    (transfer,) = decisions(read_paper(shared_path("corpus", *KENT_TRANSFER)), minutes=False)
    assert transfer.text.startswith("Cabinet is asked to: A. Agree to TRANSFER the statutory functions")
    assert "B. DELEGATE authority to the Corporate Director of Adult Social Care and Health" in transfer.text


def test_a_legistar_agenda_gives_the_action_each_item_asks_of_the_committee(read_paper):
    """Counted by reading the agenda: nine items, each a subject over the action asked, then its attachments."""
    found = decisions(read_paper(shared_path("corpus", *LA_METRO)), minutes=False)
    assert len(found) == 9 and all(r.fields == {"decision": "recommended"} for r in found)
    assert all(r.text.startswith("SUBJECT: ") and not re.search(r"Attachment [A-Z] - ", r.text) for r in found)
    lease = one(found, "SUBJECT: LEASE OF METRO PROPERTY FOR CROSSROADS SCHOOL")
    assert "AUTHORIZE the Chief Executive Officer (CEO) to execute a seven (7)" in lease.text
    assert "total rent income over the 7-year lease term is $1,974,000." in lease.text
    nominees = one(found, "SUBJECT: MEASURE M INDEPENDENT TAXPAYER OVERSIGHT COMMITTEE SELECTIONS APPROVE:")
    assert all(f"{letter}. " in nominees.text for letter in "ABCDEFG")  # the seven nominees, the margin's file
    assert not decisions(read_paper(shared_path("corpus", *HAYWARD)), minutes=False)  # a notice asks nothing


def test_a_vote_with_abstentions_counts_each_side():
    """No paper in the corpus prints an abstention; a resolution and the vote under it, as minutes print them."""
    printed = [Paragraph(0, "5. Budget", text, False, False)
               for text in ("RESOLVED that the budget be approved.", "Voting: For – 7 Against – 2 Abstain – 1")]
    (record,) = minuted(printed)
    assert record.fields == {"decision": "resolved", "vote": "Voting: For – 7 Against – 2 Abstain – 1",
                             "for": 7, "against": 2, "abstain": 1}
