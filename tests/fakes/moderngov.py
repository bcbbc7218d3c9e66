"""A ModernGov site on pytest-httpserver that answers as the real web service does, with Kent's real papers.

    site = serve_moderngov(httpserver, shared_path("corpus", "pdf"))
    connector = ModernGov(site.base, fetcher)

Registered: `mgWebService.asmx/GetCommittees`, `/GetMeetings` (lCommitteeId, sFromDate, sToDate), `/GetMeeting`
(lMeetingId), attachments at `mgConvert2PDF.aspx?ID={id}` and meeting packs under `documents/g{meeting}/…`.

The XML follows real replies kept as fixtures by DemocracyClub/LGSF (lgsf/minutes/tests/fixtures/committees.xml,
meetings.xml, meeting_with_minutes.xml, meeting_no_minutes.xml): lower-case elements without a namespace, "True" and
"False", dd/mm/yyyy dates, `fulldisplaynumberformat` "7." beside a different internal `agendaitemnumber`, documents
inside their agenda item, an attachment's `url` naming the council's public host, and text HTML-encoded before it is
XML-escaped (an apostrophe arrives as `&amp;#39;`). The service lists no meeting packs (the agenda frontsheet, the
printed minutes): the real site shows them only on the meeting's page. Here they are `linkeddocuments` directly under
`meeting`, linked by address (`isurl` True) as the page links them, so a sync meets documents of a meeting as well as
of its items. GetMeetings reads only dd/mm/yyyy dates, ends before `sToDate`, and returns everything when it cannot
read a date, as the real service does.

What the site publishes (ids are module constants):

- committees: CABINET and PANEL (the Corporate Parenting Panel); DELETED and EXPIRED, which a connector leaves out.
- Cabinet meetings: JAN_30 (30/01/2025, items 1-9 as its agenda frontsheet lists them), FEB_20 (cancelled, no items),
  MAR_04 (04/03/2025), MAR_13 (13/03/2025, its item 4 restricted); the panel's PANEL_OCT_29 (29/10/2024).
- documents, by attachment id:
  FRONTSHEET, PRINTED_MINUTES  JAN_30's own packs (item None)
  MISSING           JAN_30 item 5's report: 404, always
  RISK_REGISTER     JAN_30 item 6's Appendix I, flagged restricted by the site
  PART_TWO          JAN_30 item 6's "Part 2" appendix, unflagged: restricted by its title alone
  SUPPLEMENTARY     JAN_30 item 7's supplementary pack, titled "Children&#39;s …" (an apostrophe once decoded)
  HTML_ERROR        JAN_30 item 8's report: an HTML error page, status 200, text/html
  QPR               MAR_04 item 4's report: 429 with `Retry-After: 1` once, then the PDF
  FAMILY_HUBS_PACK  MAR_13's reports pack (item None): 500 twice, then the PDF
  DECISION_REPORT   MAR_13 item 3's report
  CONTRACT_VALUES   MAR_13 item 4's paper: unflagged, but its item is restricted
  PANEL_MINUTES     PANEL_OCT_29's printed minutes (item None)
  FORBIDDEN, UNAUTHORISED  403 and 401, always; linked from no meeting, since a sync meeting one stops

Every document answers with an ETag and a Last-Modified, and 304 to a matching If-None-Match (or, without one, to an
If-Modified-Since not before it). `site.set_content(id, data)` changes a document (new ETag, later Last-Modified);
`site.queue(id, 503, (429, {"Retry-After": "2"}))` makes it answer those first, once each. Every request is kept as a
`Seen` (path, query arguments, headers, status, monotonic time): `site.requests(path, **args)`, `site.hits(…)`,
`site.times(…)`, `site.downloads(id)`, `site.counts()` (per path), `site.forget()`. That much the Legistar fake does
alike: it is tests/fakes/site.py's `Site`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.fakes.site import Document, Seen, Site, text_pdf
from tests.fakes.site import read as _read

PUBLIC_HOST = "https://democracy.kent.gov.uk"  # what the service writes in an attachment's `url`, as a real one does

CABINET, PANEL, DELETED, EXPIRED = "115", "136", "301", "302"
JAN_30, FEB_20, MAR_04, MAR_13, PANEL_OCT_29 = "9712", "9750", "9760", "9802", "9650"
FRONTSHEET, PRINTED_MINUTES = "131001", "131002"
MISSING, RISK_REGISTER, PART_TWO, SUPPLEMENTARY, HTML_ERROR = "131010", "131011", "131012", "131013", "131014"
QPR = "132001"
FAMILY_HUBS_PACK, DECISION_REPORT, CONTRACT_VALUES = "133001", "133002", "133003"
PANEL_MINUTES = "134001"
FORBIDDEN, UNAUTHORISED = "139403", "139401"

XML = "text/xml; charset=utf-8"
HTML_ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Error</title></head><body>"
                   b"<h1>Sorry, an error has occurred</h1>"
                   b"<p>The document you requested could not be converted. Please try again later.</p></body></html>")


@dataclass
class FakeDocument(Document):
    """A document as the site holds it. `title` is stored as the site stores it, HTML-encoded ("Children&#39;s")."""

    id: str
    title: str
    content: bytes = b""
    content_type: str = "application/pdf"
    status: int = 200  # the answer every time: 404 gone, 401 or 403 refused
    restricted: bool = False  # the site's `isrestricted`
    pack: str | None = None  # a meeting pack's address under the site ("documents/g…pdf?T=0"); None: an attachment
    published: str = ""  # dd/mm/yyyy
    modified: datetime = field(default_factory=lambda: datetime(2025, 1, 22, 9, tzinfo=UTC))
    replies: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # answered first, once each


@dataclass
class FakeItem:
    number: str  # as printed, without the site's trailing "."
    title: str  # HTML-encoded, as the site stores it
    restricted: bool = False
    documents: list[FakeDocument] = field(default_factory=list)


@dataclass
class FakeMeeting:
    id: str
    committee: str
    date: date
    time: str
    location: str
    status: str = "Confirmed"
    items: list[FakeItem] = field(default_factory=list)
    packs: list[FakeDocument] = field(default_factory=list)  # the meeting's own documents


@dataclass(frozen=True)
class FakeCommittee:
    id: str
    title: str
    deleted: bool = False
    expired: bool = False


class FakeSite(Site[FakeDocument]):
    """The site's content, its misbehaving documents, and a log of what it was asked (see the module's docstring)."""

    def __init__(self, base: str, committees: list[FakeCommittee], meetings: list[FakeMeeting],
                 extra: list[FakeDocument]) -> None:
        held = [document for meeting in meetings
                for document in [*meeting.packs, *(d for item in meeting.items for d in item.documents)]]
        super().__init__([*held, *extra])
        self.base = base.rstrip("/")
        self.committees, self.meetings = committees, meetings
        self.honour_dates = True  # False: GetMeetings returns every meeting, as for dates it cannot read

    # What tests read and change

    def url(self, attachment_id: str) -> str:
        """The document's address on this server, as a connector should build it."""
        document = self.documents[attachment_id]
        if document.pack:
            path, _, query = document.pack.partition("?")
            return f"{self.base}/{quote(path)}" + (f"?{query}" if query else "")
        return f"{self.base}/mgConvert2PDF.aspx?ID={attachment_id}"

    def downloads(self, attachment_id: str) -> list[Seen]:
        """Requests for the document, retries and 304s included."""
        document = self.documents[attachment_id]
        if document.pack:
            return self.requests("/" + document.pack.partition("?")[0])
        return self.requests("/mgConvert2PDF.aspx", ID=attachment_id)

    # The server's side

    def get_committees(self, request: Request) -> Response:
        return self._answer(request, Response(committees_xml(self.committees), content_type=XML))

    def get_meetings(self, request: Request) -> Response:
        committee = next((c for c in self.committees if c.id == request.args.get("lCommitteeId")), None)
        start, end = (_service_date(request.args.get(name, "")) for name in ("sFromDate", "sToDate"))
        meetings = [m for m in self.meetings if committee and m.committee == committee.id
                    and (not self.honour_dates or start is None or end is None or start <= m.date < end)]
        return self._answer(request, Response(meetings_xml(committee, meetings), content_type=XML))

    def get_meeting(self, request: Request) -> Response:
        meeting = next((m for m in self.meetings if m.id == request.args.get("lMeetingId")), None)
        if meeting is None:
            return self._answer(request, Response("Meeting not found", status=500, content_type="text/plain"))
        committee = next(c for c in self.committees if c.id == meeting.committee)
        return self._answer(request, Response(meeting_xml(meeting, committee, self), content_type=XML))

    def get_attachment(self, request: Request) -> Response:
        return self.serve(request, self.documents.get(request.args.get("ID", "")))

    def get_pack(self, request: Request) -> Response:
        by_path = {"/" + d.pack.partition("?")[0]: d for d in self.documents.values() if d.pack}
        return self.serve(request, by_path.get(request.path))


def serve_moderngov(httpserver: HTTPServer, pdf_dir: Path) -> FakeSite:
    """Kent's Cabinet as a ModernGov site on `httpserver`, its papers read from `pdf_dir` (../shared/corpus/pdf)."""
    site = kent(httpserver.url_for("/").rstrip("/"), Path(pdf_dir))
    service = "/mgWebService.asmx/"
    httpserver.expect_request(service + "GetCommittees").respond_with_handler(site.get_committees)
    httpserver.expect_request(service + "GetMeetings").respond_with_handler(site.get_meetings)
    httpserver.expect_request(service + "GetMeeting").respond_with_handler(site.get_meeting)
    httpserver.expect_request("/mgConvert2PDF.aspx").respond_with_handler(site.get_attachment)
    httpserver.expect_request(re.compile(r"^/documents/")).respond_with_handler(site.get_pack)
    return site


def kent(base: str, pdf_dir: Path) -> FakeSite:
    """The site's content: Kent County Council's Cabinet of early 2025, with the corpus's real papers."""

    def pdf(name: str) -> bytes:
        return _read(pdf_dir / f"uk_kent_{name}.pdf")

    venue = "Council Chamber, Sessions House, County Hall, Maidstone"
    frontsheet = FakeDocument(FRONTSHEET, "Agenda frontsheet", pdf("cabinet_2025-01-30_agenda-frontsheet"),
                              pack="documents/g9712/Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf?T=0",
                              published="22/01/2025")
    minutes = FakeDocument(PRINTED_MINUTES, "Printed minutes", pdf("cabinet_2025-01-30_printed-minutes"),
                           pack="documents/g9712/Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf?T=1",
                           published="24/02/2025", modified=datetime(2025, 2, 24, 19, 41, tzinfo=UTC))
    jan_30 = FakeMeeting(JAN_30, CABINET, date(2025, 1, 30), "10.00 am", venue, packs=[frontsheet, minutes], items=[
        FakeItem("1", "Apologies"),
        FakeItem("2", "Declarations of Interest"),
        FakeItem("3", "Minutes of the Meeting held on 9th January 2025"),
        FakeItem("4", "Cabinet Member Updates"),
        FakeItem("5", "24/00108 - Revenue and Capital Budget Monitoring Report &#8211; November 2024-25", documents=[
            FakeDocument(MISSING, "Budget Monitoring Report November 2024-25", status=404, published="22/01/2025")]),
        FakeItem("6", "Draft Revenue Budget 2025-26, MTFP 2025-28, Draft Capital Programme 2025-35 and Treasury "
                      "Management Strategy", documents=[
            FakeDocument(RISK_REGISTER, "Appendix I - Budget Risks Register 2025-26",
                         pdf("cabinet_2025-01-30_appendix-i_budget-risk-register_tables"), restricted=True,
                         published="22/01/2025"),
            FakeDocument(PART_TWO, "Appendix K - Part 2 - Commercial terms of the capital programme",
                         text_pdf("Appendix K", "Commercial terms of the capital programme"), published="22/01/2025")]),
        FakeItem("7", "24/00109 - Transfer the 18-25 section of the Strengthening Independence Service from the "
                      "Children Young People and Education Directorate to the Adult Social Care and Health "
                      "Directorate", documents=[
            FakeDocument(SUPPLEMENTARY, "Item 7 - Supplementary - Children&#39;s SIS 18-25 transfer",
                         pdf("cabinet_2025-01-30_supplementary-pack_item7_childrens-sis-18-25-transfer"),
                         published="29/01/2025")]),
        FakeItem("8", "24/00115 - Kent County Council Integrated Care Strategy (KCC ICS) Delivery Plan", documents=[
            FakeDocument(HTML_ERROR, "KCC ICS Delivery Plan", HTML_ERROR_PAGE, "text/html; charset=utf-8",
                         published="22/01/2025")]),
        FakeItem("9", "24/00096 - Commissioning Plan for Education Provision in Kent 2025-29"),
    ])
    feb_20 = FakeMeeting(FEB_20, CABINET, date(2025, 2, 20), "10.00 am", venue, status="Cancelled")
    mar_04 = FakeMeeting(MAR_04, CABINET, date(2025, 3, 4), "10.00 am", venue, items=[
        FakeItem("1", "Apologies"),
        FakeItem("2", "Declarations of Interest"),
        FakeItem("3", "Minutes of the Meeting held on 30 January 2025"),
        FakeItem("4", "Quarterly Performance Report, Quarter 3 2024/25", documents=[
            FakeDocument(QPR, "Quarterly Performance Report Q3 2024-25",
                         pdf("cabinet_2025-03-04_qpr-q3-performance-report_tables"), published="24/02/2025",
                         replies=[(429, {"Retry-After": "1"})])]),
    ])
    mar_13 = FakeMeeting(MAR_13, CABINET, date(2025, 3, 13), "3.00 pm", venue, packs=[
        FakeDocument(FAMILY_HUBS_PACK, "Public reports pack", pdf("cabinet_2025-03-13_public-reports-pack_family-hubs"),
                     pack="documents/g9802/Public reports pack 13th-Mar-2025 15.00 Cabinet.pdf?T=10",
                     published="05/03/2025", replies=[(500, {}), (500, {})])], items=[
        FakeItem("1", "Apologies"),
        FakeItem("2", "Declarations of Interest"),
        FakeItem("3", "Consideration of Decision 24/00093 &#8211; Commissioned Family Hubs (if required)", documents=[
            FakeDocument(DECISION_REPORT, "24/00093 - Commissioned Family Hub Contracts - decision report",
                         pdf("childrens-family-hubs-decision-report_24-00093_tables"), published="05/03/2025")]),
        FakeItem("4", "Commissioned Family Hub contracts: contract values", restricted=True, documents=[
            FakeDocument(CONTRACT_VALUES, "Contract values", text_pdf("Contract values", "Seashells and Millmead"),
                         published="05/03/2025")]),
    ])
    panel_oct_29 = FakeMeeting(PANEL_OCT_29, PANEL, date(2024, 10, 29), "2.00 pm", venue, packs=[
        FakeDocument(PANEL_MINUTES, "Printed minutes", pdf("corporate-parenting-panel_2024-10-29_minutes"),
                     pack="documents/g9650/Printed minutes 29th-Oct-2024 14.00 Corporate Parenting Panel.pdf?T=1",
                     published="12/11/2024")], items=[FakeItem("1", "Apologies and Substitutes")])
    committees = [FakeCommittee(CABINET, "Cabinet"), FakeCommittee(PANEL, "Corporate Parenting Panel"),
                  FakeCommittee(DELETED, "Cabinet Committee on Budget Consultation", deleted=True),
                  FakeCommittee(EXPIRED, "Children&#39;s Services Member Working Group", expired=True)]
    extra = [FakeDocument(FORBIDDEN, "Refused", status=403), FakeDocument(UNAUTHORISED, "Sign in", status=401)]
    return FakeSite(base, committees, [jan_30, feb_20, mar_04, mar_13, panel_oct_29], extra)


# The service's XML, element for element as real replies give it

def committees_xml(committees: list[FakeCommittee]) -> str:
    rows = "".join(f"""
  <committee>
    <committeeid>{c.id}</committeeid>
    <committeetitle>{escape(c.title)}</committeetitle>
    <committeedeleted>{_bool(c.deleted)}</committeedeleted>
    <committeeexpired>{_bool(c.expired)}</committeeexpired>
    <committeecategory>Governance and Decision Making Committees</committeecategory>
  </committee>""" for c in committees)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<committees>
  <committeescount> {len(committees)}</committeescount>{rows}
</committees>
"""


def meetings_xml(committee: FakeCommittee | None, meetings: list[FakeMeeting]) -> str:
    listed = ""
    if committee is not None:
        rows = "".join(f"""
      <meeting>
        <meetingid>{m.id}</meetingid>
        <meetingdate>{_day(m.date)}</meetingdate>
        <meetingstatus>{m.status}</meetingstatus>
        <meetingtime>{m.time}</meetingtime>
        <iswebcast>False</iswebcast>
      </meeting>""" for m in meetings)
        listed = f"""
  <committee>
    <committeeid>{committee.id}</committeeid>
    <committeetitle>{escape(committee.title)}</committeetitle>
    <committeemeetingcount> {len(meetings)}</committeemeetingcount>
    <committeemeetings>{rows}
    </committeemeetings>
  </committee>"""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<getmeetings>
  <meetingscount> {len(meetings)}</meetingscount>
  <committeescount> {1 if committee else 0}</committeescount>{listed}
</getmeetings>
"""


def meeting_xml(meeting: FakeMeeting, committee: FakeCommittee, site: FakeSite) -> str:
    cancelled = meeting.status == "Cancelled"
    items = "".join(_item_xml(meeting, committee, item, position, site)
                    for position, item in enumerate(meeting.items, start=1))
    packs = "".join(_document_xml(meeting, committee, document, "", n, site)
                    for n, document in enumerate(meeting.packs, start=1))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<meeting>
  <meetingid>{meeting.id}</meetingid>
  <meetingdate>{_day(meeting.date)}</meetingdate>
  <meetingstatus>{meeting.status}</meetingstatus>
  <isdisplayallowed>True</isdisplayallowed>
  <meetingtime>{meeting.time}</meetingtime>
  <meetinglocation>{escape(meeting.location)}</meetinglocation>
  <iswebcast>False</iswebcast>
  <agendaid>{meeting.id}</agendaid>
  <agendapublished>{_bool(not cancelled)}</agendapublished>
  <decisionpublished>False</decisionpublished>
  <minutepublished>{_bool(any("minutes" in d.title.lower() for d in meeting.packs))}</minutepublished>
  <meetingroom>
  </meetingroom>
  <agendaitems>{items}
  </agendaitems>
  <linkeddocuments>{packs}
  </linkeddocuments>
  <attendees>
  </attendees>
</meeting>
"""


def _item_xml(meeting: FakeMeeting, committee: FakeCommittee, item: FakeItem, position: int, site: FakeSite) -> str:
    documents = "".join(_document_xml(meeting, committee, document, item.title, n, site)
                        for n, document in enumerate(item.documents, start=1))
    return f"""
    <agendaitem>
      <agendaitemid>{int(meeting.id) * 10 + position}</agendaitemid>
      <agendaitemtitle>{escape(item.title)}</agendaitemtitle>
      <agendatext>
      </agendatext>
      <actualmeetingdate>{_day(meeting.date)}</actualmeetingdate>
      <agendaitemnumber>{position + 3}</agendaitemnumber>
      <agendaitemsubnumber>
      </agendaitemsubnumber>
      <fulldisplaynumberformat>{item.number}.</fulldisplaynumberformat>
      <isdecision>False</isdecision>
      <isrestricted>{_bool(item.restricted)}</isrestricted>
      <isdisplayallowed>True</isdisplayallowed>
      <meetingdate>{_day(meeting.date)}</meetingdate>
      <meetingtime>{meeting.time}</meetingtime>
      <minutesitemnumber>{item.number}</minutesitemnumber>
      <refertocommittee>{escape(committee.title)}</refertocommittee>
      <linkeddocuments>{documents}
      </linkeddocuments>
    </agendaitem>"""


def _document_xml(meeting: FakeMeeting, committee: FakeCommittee, document: FakeDocument, owner: str, n: int,
                  site: FakeSite) -> str:
    url = site.url(document.id) if document.pack else f"{PUBLIC_HOST}/mgConvert2PDF.aspx?ID={document.id}"
    return f"""
        <linkeddoc>
          <attachmentid>{document.id}</attachmentid>
          <title>{escape(document.title)}</title>
          <isurl>{_bool(bool(document.pack))}</isurl>
          <url>{escape(url)}</url>
          <isrestricted>{_bool(document.restricted)}</isrestricted>
          <restrictionsRef>{"Paragraph 3" if document.restricted else ""}</restrictionsRef>
          <itemnum>{n}</itemnum>
          <publicationdate>{document.published}</publicationdate>
          <meetingdate>{_day(meeting.date)}</meetingdate>
          <decisiondate>{_day(meeting.date)}</decisiondate>
          <committeetitle>{escape(committee.title)}</committeetitle>
          <isdecisionattachment>False</isdecisionattachment>
          <ownertitle>{escape(owner)}</ownertitle>
        </linkeddoc>"""


def _service_date(value: str) -> date | None:
    """A date as the service reads one: dd/mm/yyyy only."""
    try:
        return datetime.strptime(value, "%d/%m/%Y").date() if re.fullmatch(r"\d{2}/\d{2}/\d{4}", value) else None
    except ValueError:
        return None


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _bool(value: bool) -> str:
    return "True" if value else "False"
