"""The Legistar connector against a fake Legistar Web API shaped like the real one (tests/fakes/legistar.py), and the
fake's misbehaving documents as the polite fetcher meets them. Nothing really waits: sleeps are injected."""

from __future__ import annotations

from datetime import date

import pytest

from sync.http import AccessDenied, Fetcher, FetchError
from sync.legistar import Legistar, api_base, item_number, status
from sync.model import CANCELLED, Committee
from tests.conftest import AGENT, shared_path
from tests.fakes import legistar as fake

EXECUTIVE = Committee(fake.EXECUTIVE, "Executive Management Committee")
PLANNING = Committee(fake.PLANNING, "Planning and Programming Committee")


@pytest.fixture
def site(httpserver) -> fake.FakeLegistar:
    return fake.serve_legistar(httpserver, shared_path("corpus", "pdf"))


@pytest.fixture
def connector(site: fake.FakeLegistar, fetcher: Fetcher) -> Legistar:
    return Legistar(site.base, fetcher)


def one_meeting(connector: Legistar, day: date, committee: Committee = EXECUTIVE):
    [meeting] = connector.meetings(committee, day, day)
    return meeting


# Committees and meetings


def test_committees_are_the_active_bodies_that_meet(connector: Legistar):
    assert connector.committees() == [Committee(fake.BOARD, "Board of Directors - Regular Board Meeting"),
                                      EXECUTIVE, PLANNING]


def test_meetings_in_range_include_both_ends(connector: Legistar, site: fake.FakeLegistar):
    meetings = connector.meetings(EXECUTIVE, date(2017, 5, 18), date(2017, 7, 20))

    assert [(m.id, m.date) for m in meetings] == [
        (fake.MAY_18, date(2017, 5, 18)), (fake.JUN_15, date(2017, 6, 15)), (fake.JUL_20, date(2017, 7, 20))]
    # the other body's meeting of 14 June is filtered out by the API; the end pushed a day on so 20 July is in
    [listing] = site.requests("events")
    assert listing.args == {
        "$filter": f"EventBodyId eq {fake.EXECUTIVE} and EventDate ge datetime'2017-05-18' "
                   "and EventDate lt datetime'2017-07-21'",
        "$orderby": "EventDate,EventId", "$top": "1000", "$skip": "0"}


def test_meetings_paged_until_a_short_page(connector: Legistar, site: fake.FakeLegistar):
    connector.page = 2
    meetings = connector.meetings(EXECUTIVE, date(2017, 1, 1), date(2017, 12, 31))

    assert [m.id for m in meetings] == [fake.MAY_18, fake.JUN_15, fake.JUL_20, fake.SEP_21]
    assert [(seen.args["$top"], seen.args["$skip"]) for seen in site.requests("events")] == [
        ("2", "0"), ("2", "2"), ("2", "4")]


def test_meeting_date_time_venue_and_page(connector: Legistar):
    meeting = one_meeting(connector, date(2017, 6, 15))

    assert (meeting.id, meeting.committee, meeting.date, meeting.time, meeting.status) == (
        fake.JUN_15, EXECUTIVE, date(2017, 6, 15), "11:30 AM", "final")
    assert meeting.venue == "One Gateway Plaza, Los Angeles, CA 90012, 3rd Floor, Metro Board Room"  # "\r\n" gone
    assert meeting.url.startswith(f"https://metro.legistar.com/MeetingDetail.aspx?LEGID={fake.JUN_15}&GID=557&G=")


def test_a_draft_meeting_with_nothing_set(connector: Legistar):
    meeting = one_meeting(connector, date(2017, 9, 21))

    assert (meeting.time, meeting.venue, meeting.url, meeting.status) == (None, None, None, "draft")
    assert [(item.number, item.title) for item in meeting.items] == [
        ("20", "RECEIVE AND FILE State and Federal Legislative Report.")]
    assert meeting.documents == []


# Items and documents


def test_items_as_the_agenda_prints_them(connector: Legistar, site: fake.FakeLegistar):
    meeting = one_meeting(connector, date(2017, 6, 15))

    # in agenda order, the "." dropped; headings (CALL TO ORDER, CONSENT CALENDAR, Adjournment) left out
    assert [item.number for item in meeting.items] == ["33", "43", "35", "36", "38", "44", "45", "46", "37", "47"]
    assert meeting.items[0].title == "RECEIVE AND FILE State and Federal Legislative Report."
    assert meeting.items[4].title.startswith("CONSIDER: A. RECEIVE AND FILE report from the Policy Advisory Council")
    assert not any(item.restricted for item in meeting.items)
    [items] = site.requests(f"events/{fake.JUN_15}/eventitems")
    assert items.args == {"AgendaNote": "1", "MinutesNote": "1", "Attachments": "1"}


def test_documents_filed_where_the_site_links_them(connector: Legistar, site: fake.FakeLegistar):
    documents = one_meeting(connector, date(2017, 6, 15)).documents

    agenda = documents[0]
    assert (agenda.id, agenda.title, agenda.item, agenda.published) == (
        f"{fake.JUN_15}-agenda", "Agenda", None, "2017-06-13")
    assert agenda.url == site.url(fake.AGENDA_JUN_15)
    assert agenda.url.endswith("/metro/meetings/2017/6/1215_A_Executive_Management_Committee_17-06-15_Agenda.pdf")
    by_item = {}
    for document in documents[1:]:
        by_item.setdefault(document.item, []).append(document.title)
    assert by_item["36"] == ["Attachment A - Site Map", "Attachment B - Director's Determination",
                             "Attachment C - Project Scope"]
    assert by_item["44"][1] == "Attachment B - Selection Panel Guideline"  # its double space made one
    assert "47" not in by_item  # the closed session item has a matter but no attachments
    assert len(documents) == 1 + 18
    placeholder = next(d for d in documents if d.title == "Attachment A Placeholder")
    assert (placeholder.id, placeholder.url) == (f"{fake.JUN_15}-{fake.HTML_ERROR}", site.url(fake.HTML_ERROR))


def test_minutes_hidden_attachments_and_an_item_known_by_its_matter(connector: Legistar, site: fake.FakeLegistar):
    meeting = one_meeting(connector, date(2017, 5, 18))
    documents = {d.url: d for d in meeting.documents}

    minutes = documents[site.url(fake.MINUTES_MAY_18)]
    assert (minutes.title, minutes.item, minutes.published) == ("Minutes", None, "2017-06-17")
    assert site.url(fake.HIDDEN) not in documents  # MatterAttachmentShowOnInternetPage false
    # the row without an agenda number but with a matter is numbered by the matter's file, as the agenda shows it
    assert [item.number for item in meeting.items] == ["26", "27", "28", "2017-0293"]
    assert documents[site.url(fake.COMMENTS)].item == "2017-0293"
    assert {documents[site.url(i)].item for i in (fake.FLAKY, fake.MISSING)} == {"26"}


def test_restricted_matter_restricts_its_item_and_documents(connector: Legistar, site: fake.FakeLegistar):
    meeting = one_meeting(connector, date(2017, 5, 18))

    assert [item.number for item in meeting.items if item.restricted] == ["28"]
    assert [d.url for d in meeting.documents if d.restricted] == [site.url(fake.RESTRICTED)]
    assert site.hits(f"matters/{fake.RESTRICTED_MATTER}") == 1


def test_a_matter_the_api_will_not_show_counts_as_restricted(connector: Legistar, site: fake.FakeLegistar):
    site.withhold_restricted = True  # /matters/{id} answers 404 for it
    meeting = one_meeting(connector, date(2017, 5, 18))

    assert [item.number for item in meeting.items if item.restricted] == ["28"]
    assert [d.url for d in meeting.documents if d.restricted] == [site.url(fake.RESTRICTED)]


def test_a_matter_before_two_bodies_is_asked_once_and_is_each_meetings_paper(connector: Legistar,
                                                                              site: fake.FakeLegistar):
    planning = one_meeting(connector, date(2017, 6, 14), PLANNING)
    executive = one_meeting(connector, date(2017, 6, 15))

    def measure_m(meeting):
        return [d for d in meeting.documents if d.item == "38"]

    assert [d.url for d in measure_m(planning)] == [d.url for d in measure_m(executive)]
    assert measure_m(planning)[0].id == f"{fake.PLANNING_JUN_14}-{fake.HTML_ERROR}"
    assert measure_m(executive)[0].id == f"{fake.JUN_15}-{fake.HTML_ERROR}"
    assert site.hits(f"matters/{fake.MEASURE_M_MATTER}") == 1


def test_cancelled_meeting_has_no_documents(connector: Legistar, site: fake.FakeLegistar):
    meeting = one_meeting(connector, date(2017, 7, 20))

    assert (meeting.id, meeting.status, meeting.cancelled) == (fake.JUL_20, CANCELLED, True)
    assert meeting.documents == [] and meeting.items == []  # its agenda file is the cancellation notice
    assert site.hits(f"events/{fake.JUL_20}/eventitems") == 0


def test_every_request_says_who_we_are(connector: Legistar, site: fake.FakeLegistar):
    connector.committees()
    connector.meetings(EXECUTIVE, date(2017, 5, 18), date(2017, 5, 18))

    assert site.hits() == 1 + 1 + 1 + 4  # bodies, events, the meeting's items, its four matters
    assert {seen.headers["user-agent"] for seen in site.requests()} == {AGENT}


def test_a_filter_the_api_cannot_read_is_a_fetch_error(site: fake.FakeLegistar, fetcher: Fetcher):
    with pytest.raises(FetchError) as raised:
        fetcher.json(f"{site.base}/events", {"$filter": "EventDate between 2017 and 2018"})

    assert raised.value.status == 400
    assert site.requests("events")[0].status == 400


def test_a_reply_that_is_not_a_list_of_records_is_a_fetch_error(httpserver, fetcher: Fetcher):
    httpserver.expect_request("/v1/odd/bodies").respond_with_json({"Message": "An error has occurred."})

    with pytest.raises(FetchError, match="not a list of records"):
        Legistar(httpserver.url_for("/v1/odd"), fetcher).committees()


# Parsing, without a site


@pytest.mark.parametrize(("given", "base"), [
    ("metro", "https://webapi.legistar.com/v1/metro"), (" Metro ", "https://webapi.legistar.com/v1/metro"),
    ("https://metro.legistar.com", "https://webapi.legistar.com/v1/metro"),
    ("https://metro.legistar.com/Calendar.aspx", "https://webapi.legistar.com/v1/metro"),
    ("https://webapi.legistar.com/v1/metro/", "https://webapi.legistar.com/v1/metro"),
    ("webapi.legistar.com/v1/seattle", "https://webapi.legistar.com/v1/seattle"),
    ("http://localhost:8123/v1/metro", "http://localhost:8123/v1/metro")])
def test_client_name_or_address_to_the_api(given: str, base: str):
    assert api_base(given) == base
    assert Legistar(given, fetcher=None).base == base  # no request made


def test_an_address_that_is_no_site_is_refused():
    with pytest.raises(ValueError, match="neither a Legistar client name"):
        api_base("ftp://metro.example/")


@pytest.mark.parametrize(("agenda", "minutes", "expected"), [
    ("Final", "Draft", "final"), ("Final Revised", "Final", "final revised"), ("Canceled", "Draft", CANCELLED),
    ("Cancelled", None, CANCELLED), ("Final", "Cancelled", CANCELLED), ("Deferred", "Deferred", CANCELLED),
    ("Deferred", "Draft", "deferred"), (None, None, "confirmed")])
def test_status_as_sites_word_it(agenda: str | None, minutes: str | None, expected: str):
    assert status({"EventAgendaStatusName": agenda, "EventMinutesStatusName": minutes}) == expected


@pytest.mark.parametrize(("row", "number"), [
    ({"EventItemAgendaNumber": "33.", "EventItemMatterId": 1}, "33"),
    ({"EventItemAgendaNumber": " 4.1 ", "EventItemMatterId": None}, "4.1"),
    ({"EventItemAgendaNumber": None, "EventItemMatterId": 1, "EventItemMatterFile": "2017-0293"}, "2017-0293"),
    ({"EventItemAgendaNumber": None, "EventItemMatterId": 1, "EventItemMatterFile": None,
      "EventItemAgendaSequence": 13}, "13"),
    ({"EventItemAgendaNumber": None, "EventItemMatterId": None, "EventItemAgendaSequence": 12}, None),
    ({"EventItemAgendaNumber": "", "EventItemMatterId": None}, None)])
def test_item_numbers(row: dict, number: str | None):
    assert item_number(row) == number


# The fake's documents, as the fetcher meets them


def test_the_real_agenda_is_served(site: fake.FakeLegistar, fetcher: Fetcher):
    pdf = shared_path("corpus", "pdf", "us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf")
    download = fetcher.download(site.url(fake.AGENDA_JUN_15))

    assert download.content == pdf.read_bytes() and download.content_type == "application/pdf"


def test_server_errors_retried_until_the_document_comes(site: fake.FakeLegistar, fetcher: Fetcher,
                                                        waits: list[float]):
    download = fetcher.download(site.url(fake.FLAKY))

    assert download.modified and download.content.startswith(b"%PDF")
    assert [seen.status for seen in site.downloads(fake.FLAKY)] == [500, 500, 200]
    assert waits == [0.01, 0.02]


def test_too_many_requests_waits_as_retry_after_says(site: fake.FakeLegistar, fetcher: Fetcher, waits: list[float]):
    download = fetcher.download(site.url(fake.THROTTLED))

    assert download.content == site.documents[fake.THROTTLED].content
    assert [seen.status for seen in site.downloads(fake.THROTTLED)] == [429, 200]
    assert waits == [1.0]


def test_missing_document_is_not_retried(site: fake.FakeLegistar, fetcher: Fetcher, waits: list[float]):
    with pytest.raises(FetchError) as raised:
        fetcher.download(site.url(fake.MISSING))

    assert raised.value.status == 404 and len(site.downloads(fake.MISSING)) == 1 and waits == []


@pytest.mark.parametrize(("attachment", "code"), [(fake.FORBIDDEN, 403), (fake.UNAUTHORISED, 401)])
def test_refusals(site: fake.FakeLegistar, fetcher: Fetcher, attachment: str, code: int):
    with pytest.raises(AccessDenied) as raised:
        fetcher.download(site.url(attachment))

    assert raised.value.status == code


def test_an_error_page_served_as_a_document(site: fake.FakeLegistar, fetcher: Fetcher):
    download = fetcher.download(site.url(fake.HTML_ERROR))

    assert download.content_type.startswith("text/html") and not download.content.startswith(b"%PDF")


def test_conditional_get_unchanged_then_changed(site: fake.FakeLegistar, fetcher: Fetcher):
    url = site.url(fake.AGENDA_JUN_15)
    first = fetcher.download(url)

    assert not fetcher.download(url, etag=first.etag).modified
    assert not fetcher.download(url, last_modified=first.last_modified).modified
    site.set_content(fake.AGENDA_JUN_15, b"%PDF-1.4 a revised agenda")
    changed = fetcher.download(url, etag=first.etag, last_modified=first.last_modified)

    assert changed.modified and changed.content == b"%PDF-1.4 a revised agenda" and changed.etag != first.etag
    assert [seen.status for seen in site.downloads(fake.AGENDA_JUN_15)] == [200, 304, 304, 200]
    assert site.counts()[site.documents[fake.AGENDA_JUN_15].path] == 4
    times = site.times(url)
    assert len(times) == 4 and times == sorted(times)


def test_queued_answers_come_first(site: fake.FakeLegistar, fetcher: Fetcher, waits: list[float]):
    site.queue(fake.COMMENTS, 503, (429, {"Retry-After": "2"}))

    assert fetcher.download(site.url(fake.COMMENTS)).content.startswith(b"%PDF")
    assert [seen.status for seen in site.downloads(fake.COMMENTS)] == [503, 429, 200]
    assert waits == [0.01, 2.0]
