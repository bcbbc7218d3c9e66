"""The ModernGov connector against a fake site shaped like the real service (tests/fakes/moderngov.py), and the
polite fetcher against that site's misbehaving documents. Nothing really waits: sleeps and clocks are injected."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from sync.http import AccessDenied, Fetcher, FetchError, Politeness
from sync.model import CANCELLED, Committee
from sync.moderngov import ModernGov, meeting_from, parse_date, restricted_title, site_base
from tests.conftest import AGENT, shared_path
from tests.fakes import moderngov as fake

CABINET = Committee(fake.CABINET, "Cabinet")


@pytest.fixture
def site(httpserver) -> fake.FakeSite:
    return fake.serve_moderngov(httpserver, shared_path("corpus", "pdf"))


@pytest.fixture
def connector(site: fake.FakeSite, fetcher: Fetcher) -> ModernGov:
    return ModernGov(site.base, fetcher)


def kent_meeting(connector: ModernGov):
    [meeting] = connector.meetings(CABINET, date(2025, 1, 30), date(2025, 1, 30))
    return meeting


# Committees and meetings


def test_committees_leave_out_deleted_and_expired(connector: ModernGov):
    assert connector.committees() == [Committee(fake.CABINET, "Cabinet"),
                                      Committee(fake.PANEL, "Corporate Parenting Panel")]


def test_meetings_in_range_include_both_ends(connector: ModernGov, site: fake.FakeSite):
    meetings = connector.meetings(CABINET, date(2025, 1, 30), date(2025, 3, 4))

    assert [(m.id, m.date) for m in meetings] == [
        (fake.JAN_30, date(2025, 1, 30)), (fake.FEB_20, date(2025, 2, 20)), (fake.MAR_04, date(2025, 3, 4))]
    # dd/mm/yyyy, and the service's exclusive end pushed a day on so 4 March is in
    [listing] = site.requests("/mgWebService.asmx/GetMeetings")
    assert listing.args == {"lCommitteeId": fake.CABINET, "sFromDate": "30/01/2025", "sToDate": "05/03/2025"}
    assert sorted(seen.args["lMeetingId"] for seen in site.requests("/mgWebService.asmx/GetMeeting")) == sorted(
        [fake.JAN_30, fake.FEB_20, fake.MAR_04])


def test_meetings_filtered_here_when_the_site_ignores_the_dates(connector: ModernGov, site: fake.FakeSite):
    site.honour_dates = False  # as the service does with dates it cannot read: every meeting comes back
    meetings = connector.meetings(CABINET, date(2025, 3, 1), date(2025, 3, 31))

    assert [m.id for m in meetings] == [fake.MAR_04, fake.MAR_13]
    assert site.hits("/mgWebService.asmx/GetMeeting") == 2  # no detail fetched for meetings out of range


def test_meeting_details_as_the_site_gives_them(connector: ModernGov, site: fake.FakeSite):
    meeting = kent_meeting(connector)

    assert (meeting.committee, meeting.date, meeting.time, meeting.status) == (CABINET, date(2025, 1, 30), "10.00 am",
                                                                             "confirmed")
    assert meeting.venue == "Council Chamber, Sessions House, County Hall, Maidstone"
    assert meeting.url == f"{site.base}/ieListDocuments.aspx?CId={fake.CABINET}&MId={fake.JAN_30}"
    assert [item.number for item in meeting.items] == [str(n) for n in range(1, 10)]  # "5." printed; 8 internally
    assert meeting.items[4].title == "24/00108 - Revenue and Capital Budget Monitoring Report – November 2024-25"


def test_documents_filed_where_the_site_links_them(connector: ModernGov, site: fake.FakeSite):
    documents = {d.id: d for d in kent_meeting(connector).documents}

    assert {i: documents[i].item for i in documents} == {
        fake.FRONTSHEET: None, fake.PRINTED_MINUTES: None, fake.MISSING: "5", fake.RISK_REGISTER: "6",
        fake.PART_TWO: "6", fake.SUPPLEMENTARY: "7", fake.HTML_ERROR: "8"}
    # an attachment is fetched from the site we were given, not the public host its `url` names
    assert documents[fake.SUPPLEMENTARY].url == f"{site.base}/mgConvert2PDF.aspx?ID={fake.SUPPLEMENTARY}"
    # a pack is linked by address (isurl), taken as given
    assert documents[fake.FRONTSHEET].url == site.url(fake.FRONTSHEET)
    assert "/documents/g9712/Agenda%20frontsheet" in documents[fake.FRONTSHEET].url
    assert (documents[fake.SUPPLEMENTARY].published, documents[fake.PRINTED_MINUTES].published) == (
        "2025-01-29", "2025-02-24")
    assert all(d.url == site.url(d.id) for d in documents.values())


def test_restricted_by_the_documents_flag_its_items_or_its_title(connector: ModernGov):
    meetings = connector.meetings(CABINET, date(2025, 1, 1), date(2025, 3, 31))
    documents = {d.id: d for m in meetings for d in m.documents}

    restricted = {i for i, d in documents.items() if d.restricted}
    assert restricted == {fake.RISK_REGISTER, fake.PART_TWO, fake.CONTRACT_VALUES}
    mar_13 = next(m for m in meetings if m.id == fake.MAR_13)
    assert [item.number for item in mar_13.items if item.restricted] == ["4"]


def test_entities_decoded_once_more(connector: ModernGov, httpserver):
    documents = {d.id: d for d in kent_meeting(connector).documents}

    assert "&amp;#39;" in httpserver.log[-1][1].get_data(as_text=True)  # as the real service sends it
    assert documents[fake.SUPPLEMENTARY].title == "Item 7 - Supplementary - Children's SIS 18-25 transfer"


def test_cancelled_meeting_has_no_documents(connector: ModernGov):
    [meeting] = connector.meetings(CABINET, date(2025, 2, 20), date(2025, 2, 20))

    assert (meeting.id, meeting.status, meeting.cancelled) == (fake.FEB_20, CANCELLED, True)
    assert meeting.documents == [] and meeting.items == []


def test_every_request_says_who_we_are(connector: ModernGov, site: fake.FakeSite):
    connector.committees()
    connector.meetings(CABINET, date(2025, 1, 1), date(2025, 3, 31))

    assert site.hits() == 6
    assert {seen.headers["user-agent"] for seen in site.requests()} == {AGENT}


def test_a_site_without_the_service_is_a_fetch_error(httpserver, fetcher: Fetcher):
    httpserver.expect_request("/off/mgWebService.asmx/GetCommittees").respond_with_data(
        "<html><body><p>This service is not available</p></body></html>", content_type="text/html")

    with pytest.raises(FetchError, match=r"GetCommittees: no <committees>"):
        ModernGov(httpserver.url_for("/off"), fetcher).committees()


# Parsing, without a site


def meeting(xml: str):
    return meeting_from(ET.fromstring(xml), CABINET, "https://example.gov.uk")


def test_item_number_from_its_number_and_subnumber_without_a_printed_one():
    parsed = meeting("""<meeting><meetingid>1</meetingid><meetingdate>30/01/2025 10:00:00</meetingdate>
      <agendaitems><agendaitem><agendaitemtitle>Appendix</agendaitemtitle><agendaitemnumber>6</agendaitemnumber>
      <agendaitemsubnumber>a</agendaitemsubnumber><fulldisplaynumberformat>
      </fulldisplaynumberformat><isrestricted>False</isrestricted>
      <linkeddocuments><linkeddoc><attachmentid>7</attachmentid><title>Confidential annex</title><isurl>False</isurl>
      <publicationdate>2025-01-22</publicationdate></linkeddoc></linkeddocuments></agendaitem></agendaitems></meeting>""")

    assert parsed.date == date(2025, 1, 30)
    assert [(item.number, item.title) for item in parsed.items] == [("6a", "Appendix")]
    [document] = parsed.documents
    assert (document.item, document.restricted, document.published) == ("6a", True, "2025-01-22")
    assert document.url == "https://example.gov.uk/mgConvert2PDF.aspx?ID=7"


@pytest.mark.parametrize(("value", "expected"), [
    ("30/01/2025", date(2025, 1, 30)), ("30/01/2025 10:00:00", date(2025, 1, 30)), ("1/2/2025", date(2025, 2, 1)),
    ("2025-01-30", date(2025, 1, 30)), ("2025-01-30T10:00:00", date(2025, 1, 30)), ("", None), ("31/02/2025", None),
    ("next week", None)])
def test_dates_read_as_the_service_writes_them(value: str, expected: date | None):
    assert parse_date(value) == expected


@pytest.mark.parametrize(("title", "restricted"), [
    ("Exempt Appendix 2", True), ("Part 2 report: land at Dover", True), ("PART TWO - minutes", True),
    ("Confidential annex", True), ("Council Tax exemptions policy", False), ("Part 20 notice", False),
    ("Budget 2025-26", False)])
def test_restricted_titles(title: str, restricted: bool):
    assert restricted_title(title) is restricted


@pytest.mark.parametrize("pasted", [
    "https://democracy.kent.gov.uk", "https://democracy.kent.gov.uk/", "democracy.kent.gov.uk",
    "https://democracy.kent.gov.uk/mgWebService.asmx", "https://democracy.kent.gov.uk/mgWebService.asmx/GetCommittees",
    "https://democracy.kent.gov.uk/mgListCommittees.aspx?bcr=1"])
def test_site_base_from_any_address_of_the_site(pasted: str):
    assert site_base(pasted) == "https://democracy.kent.gov.uk"


def test_site_base_keeps_a_path_the_site_lives_under():
    assert site_base("https://www.example.gov.uk/moderngov/ieListMeetings.aspx?CId=1") == (
        "https://www.example.gov.uk/moderngov")


# The fetcher against the site's misbehaving documents


def test_server_errors_retried_until_the_document_comes(site: fake.FakeSite, fetcher: Fetcher, waits: list[float]):
    download = fetcher.download(site.url(fake.FAMILY_HUBS_PACK))

    assert download.modified and download.content == site.documents[fake.FAMILY_HUBS_PACK].content
    assert download.content.startswith(b"%PDF")
    assert [seen.status for seen in site.downloads(fake.FAMILY_HUBS_PACK)] == [500, 500, 200]
    assert waits == [0.01, 0.02]  # backoff doubling


def test_too_many_requests_waits_as_retry_after_says(site: fake.FakeSite, fetcher: Fetcher, waits: list[float]):
    download = fetcher.download(site.url(fake.QPR))

    assert download.content == site.documents[fake.QPR].content
    assert [seen.status for seen in site.downloads(fake.QPR)] == [429, 200]
    assert waits == [1.0]


def test_missing_document_is_a_fetch_error_naming_it(site: fake.FakeSite, fetcher: Fetcher, waits: list[float]):
    url = site.url(fake.MISSING)
    with pytest.raises(FetchError) as raised:
        fetcher.download(url)

    assert (raised.value.url, raised.value.status) == (url, 404) and url in str(raised.value)
    assert len(site.downloads(fake.MISSING)) == 1 and waits == []  # a 404 is not retried


@pytest.mark.parametrize(("attachment", "status"), [(fake.FORBIDDEN, 403), (fake.UNAUTHORISED, 401)])
def test_refusal_stops_at_once_naming_the_url(site: fake.FakeSite, fetcher: Fetcher, attachment: str, status: int):
    url = site.url(attachment)
    with pytest.raises(AccessDenied) as raised:
        fetcher.download(url)

    assert (raised.value.url, raised.value.status) == (url, status) and url in str(raised.value)
    assert len(site.downloads(attachment)) == 1


def test_an_error_page_served_as_a_document_is_left_for_the_caller_to_see(site: fake.FakeSite, fetcher: Fetcher):
    download = fetcher.download(site.url(fake.HTML_ERROR))

    assert download.modified and download.content_type.startswith("text/html")
    assert not download.content.startswith(b"%PDF")


def test_conditional_get_unchanged_then_changed(site: fake.FakeSite, fetcher: Fetcher):
    url = site.url(fake.SUPPLEMENTARY)
    first = fetcher.download(url)
    assert first.etag and first.last_modified and first.content.startswith(b"%PDF")

    for validators in ({"etag": first.etag}, {"last_modified": first.last_modified},
                       {"etag": first.etag, "last_modified": first.last_modified}):
        unchanged = fetcher.download(url, **validators)
        assert not unchanged.modified and unchanged.content == b""
    assert [seen.status for seen in site.downloads(fake.SUPPLEMENTARY)] == [200, 304, 304, 304]
    assert site.downloads(fake.SUPPLEMENTARY)[1].headers["if-none-match"] == first.etag

    site.set_content(fake.SUPPLEMENTARY, b"%PDF-1.4 a corrected pack")
    for validators in ({"etag": first.etag}, {"last_modified": first.last_modified}):
        changed = fetcher.download(url, **validators)
        assert changed.modified and changed.content == b"%PDF-1.4 a corrected pack"
        assert changed.etag != first.etag and changed.last_modified != first.last_modified


def test_conditional_get_of_a_pack(site: fake.FakeSite, fetcher: Fetcher):
    first = fetcher.download(site.url(fake.FRONTSHEET))

    assert not fetcher.download(site.url(fake.FRONTSHEET), etag=first.etag).modified


class Clock:
    """Time that passes only when the fetcher sleeps."""

    def __init__(self) -> None:
        self.now, self.waits = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_one_request_a_second_to_one_host(site: fake.FakeSite):
    clock = Clock()
    fetcher = Fetcher(Politeness(user_agent=AGENT, rate=1.0), sleep=clock.sleep, clock=clock)
    for _ in range(3):
        fetcher.download(site.url(fake.FRONTSHEET))
    other_host = site.url(fake.FRONTSHEET).replace("localhost", "127.0.0.1")
    fetcher.download(other_host)
    fetcher.close()

    assert clock.waits == [1.0, 1.0]  # the third request waited its turn; the other host's did not
    assert fetcher.requests == 4 and len(site.downloads(fake.FRONTSHEET)) == 4


def test_site_records_when_requests_came(site: fake.FakeSite):
    fetcher = Fetcher(Politeness(user_agent=AGENT, rate=20.0))  # real spacing, 50 ms: the fake's times show it
    for _ in range(3):
        fetcher.download(site.url(fake.PART_TWO))
    fetcher.close()

    times = site.times("/mgConvert2PDF.aspx", ID=fake.PART_TWO)
    # the fetcher spaces its sends; arrivals jitter with a busy machine's scheduling, so the span holds the rate
    assert len(times) == 3 and times[-1] - times[0] >= 2 * 0.05 - 0.01
    assert site.counts()["/mgConvert2PDF.aspx"] == 3
