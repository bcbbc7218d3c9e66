"""A Legistar Web API on pytest-httpserver that answers as webapi.legistar.com/v1/{client} does, with LA Metro's real
agenda of its Executive Management Committee of 15 June 2017.

    site = serve_legistar(httpserver, shared_path("corpus", "pdf"))
    connector = Legistar(site.base, fetcher)          # site.base: http://localhost:{port}/v1/metro

Registered under `/v1/metro/`: `bodies`, `events`, `events/{id}`, `events/{id}/eventitems`, `matters/{id}` and
`matters/{id}/attachments`; listings honour OData `$filter` (`eq ne gt ge lt le` on a field, joined by `and`/`or`;
values 12, 'text', datetime'2017-06-15', null, true), `$orderby` ("EventDate,EventId desc") and `$top`/`$skip`
(pages of at most `site.cap`, 1000 as the real API), and answer 400 with {"Message": …} to what they cannot read.
Documents are served where Legistar keeps them: `/metro/meetings/2017/6/{event}_A_{Body}_{yy-mm-dd}_Agenda.pdf`
for an event's agenda or minutes, `/metro/attachments/{guid}.pdf` for a matter's attachment.

The JSON is record for record the API's, field names and nulls included, as public clients keep it:
jisaacstone/legisearch documentation/legistar.md (bodies, events, event items, matters, attachments),
Metro-Records/scrapers-lametro tests/fixtures/event.json and minutes_candidates.json and tests/conftest.py (LA Metro's
events, attachments and matters), opencivicdata/python-legistar-scraper legistar/base.py (paging, 400 "Message").
So dates are "2017-06-15T00:00:00" and the time apart ("11:30 AM"), locations hold "\\r\\n", agenda numbers keep
their "." ("33."), headings are rows without number or matter, attachments come inside each event item only with
`Attachments=1`, a matter's MatterRestrictViewViaWeb is only at /matters/{id}, and a called-off meeting's agenda
status is "Canceled", as LA Metro spells it (its agenda file then the notice, as Seattle and Hayward publish one).
Body 138 is LA Metro's real board id; the other ids, and the meetings other than 15 June, are invented.

What the site publishes (ids are module constants):

- bodies: BOARD (no meetings here), EXECUTIVE (Executive Management Committee), PLANNING (Planning and Programming
  Committee); INACTIVE (BodyActiveFlag 0) and DEPARTMENT (BodyMeetFlag 0), which a connector leaves out.
- Executive Management Committee events: MAY_18 (2017-05-18, agenda and minutes, the quirk documents, a restricted
  matter, an item numbered by its matter only), JUN_15 (2017-06-15, the real agenda AGENDA_JUN_15 and its items 33,
  43, 35, 36, 38, 44, 45, 46, 37, 47 with their attachments' titles as printed), JUL_20 (2017-07-20, "Canceled"),
  SEP_21 (2017-09-21, draft: no time, venue, page or files); the Planning and Programming Committee's PLANNING_JUN_14
  (2017-06-14) has item 38 too, the same matter with the same attachments, as LA Metro's items go before a committee
  and then the board under one number.
- documents, by id (an attachment's is its MatterAttachmentId; an event file's "{event}_A" or "{event}_M"):
  AGENDA_MAY_18, MINUTES_MAY_18, AGENDA_JUN_15 (the real PDF), NOTICE_JUL_20, AGENDA_PLANNING_JUN_14  event files
  FLAKY         MAY_18 item 26: 500 twice, then the PDF
  MISSING       MAY_18 item 26: 404, always
  THROTTLED     MAY_18 item 27: 429 with `Retry-After: 1` once, then the PDF
  HIDDEN        MAY_18 item 27: MatterAttachmentShowOnInternetPage false, which a connector leaves out
  RESTRICTED    MAY_18 item 28's paper: its matter has MatterRestrictViewViaWeb true
  COMMENTS      MAY_18's item without an agenda number (matter 2017-0293)
  HTML_ERROR    JUN_15 (and PLANNING_JUN_14) item 38's "Attachment A Placeholder": an HTML error page, 200, text/html
  FORBIDDEN, UNAUTHORISED  403 and 401, always; linked from no meeting, since a sync meeting one stops

Every document answers with an ETag and a Last-Modified, and 304 to a matching If-None-Match (or, without one, to an
If-Modified-Since not before it). `site.set_content(id, data)` changes a document (new ETag, later Last-Modified);
`site.queue(id, 503, (429, {"Retry-After": "2"}))` makes it answer those first, once each; `site.withhold_restricted`
makes /matters/{id} answer 404 for a restricted matter, as an API asked without the client's token may. The content
is plain data (`site.bodies`, `site.events`, each event's `items`, each item's `matter`) that a test may change.
Every request is kept as a `Seen` (path, query arguments, headers, status, monotonic time): `site.requests(path,
**args)`, `site.hits(…)`, `site.times(…)`, `site.downloads(id)`, `site.counts()` (per path), `site.forget()`. The
documents, their validators and one-off replies, and the log are tests/fakes/site.py's `Site`, as the ModernGov fake's.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from tests.fakes.site import Document, Seen, Site, text_pdf
from tests.fakes.site import read as _read

CLIENT = "metro"
PUBLIC_SITE = "https://metro.legistar.com"  # EventInSiteURL's host: a page for people, never fetched by a sync

BOARD, EXECUTIVE, PLANNING, INACTIVE, DEPARTMENT = "138", "140", "141", "190", "192"
MAY_18, PLANNING_JUN_14, JUN_15, JUL_20, SEP_21 = "1180", "1212", "1215", "1260", "1305"
AGENDA_MAY_18, MINUTES_MAY_18, AGENDA_JUN_15 = f"{MAY_18}_A", f"{MAY_18}_M", f"{JUN_15}_A"
NOTICE_JUL_20, AGENDA_PLANNING_JUN_14 = f"{JUL_20}_A", f"{PLANNING_JUN_14}_A"
FLAKY, MISSING, THROTTLED, HIDDEN, RESTRICTED, COMMENTS = "15101", "15102", "15103", "15104", "15105", "15106"
HTML_ERROR = "16008"  # JUN_15 item 38's "Attachment A Placeholder"
FORBIDDEN, UNAUTHORISED = "19403", "19401"
RESTRICTED_MATTER, MEASURE_M_MATTER = 4392, 4335  # MAY_18 item 28; item 38 of JUN_15 and PLANNING_JUN_14

JSON = "application/json; charset=utf-8"
HTML_ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Runtime Error</title></head><body>"
                   b"<h1>Server Error in '/' Application.</h1>"
                   b"<p>The resource cannot be found or is temporarily unavailable.</p></body></html>")
AGENDA_STATUS_IDS = {"Final": 10, "Draft": 9, "Canceled": 12}  # Final 10 and Draft 9 as LA Metro's; Canceled invented
VENUE = "One Gateway Plaza, Los Angeles, CA 90012, \r\n3rd Floor, Metro Board Room"


@dataclass
class FakeDocument(Document):
    """A file as the site holds it: an event's agenda or minutes, or a matter's attachment."""

    id: str
    title: str
    path: str  # where this server serves it
    content: bytes = b""
    content_type: str = "application/pdf"
    status: int = 200  # the answer every time: 404 gone, 401 or 403 refused
    shown: bool = True  # MatterAttachmentShowOnInternetPage
    modified: datetime = field(default_factory=lambda: datetime(2017, 6, 13, 18, 2, tzinfo=UTC))
    replies: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # answered first, once each


@dataclass
class FakeMatter:
    id: int
    file: str  # "2017-0346", printed beside the item on LA Metro's agendas
    title: str
    type_name: str = "Informational Report"
    restricted: bool = False  # MatterRestrictViewViaWeb
    attachments: list[FakeDocument] = field(default_factory=list)


@dataclass
class FakeItem:
    sequence: int  # EventItemAgendaSequence: the row's place in the agenda grid
    title: str
    number: str | None = None  # as the API keeps it, "33."; None for headings and some matters
    matter: FakeMatter | None = None


@dataclass
class FakeBody:
    id: str
    name: str
    type_name: str = "Committee"
    active: bool = True
    meets: bool = True


@dataclass
class FakeEvent:
    id: str
    body: FakeBody
    date: date
    time: str | None
    location: str | None
    agenda_status: str = "Final"
    minutes_status: str = "Draft"
    agenda: FakeDocument | None = None
    minutes: FakeDocument | None = None
    items: list[FakeItem] = field(default_factory=list)
    in_site: bool = True  # False: EventInSiteURL "", as LA Metro's events without a detail page have it


class ODataError(ValueError):
    """What the API answers 400 to, its message as the API's {"Message": …}."""


class FakeLegistar(Site[FakeDocument]):
    """The client's content, its misbehaving documents, and a log of what it was asked (see the module's docstring)."""

    def __init__(self, origin: str, bodies: list[FakeBody], events: list[FakeEvent], extra: list[FakeDocument],
                 client: str = CLIENT) -> None:
        held = [document for event in events
                for document in [event.agenda, event.minutes,
                                 *(a for item in event.items if item.matter for a in item.matter.attachments)]
                if document is not None]
        super().__init__([*held, *extra])
        self.origin, self.client = origin.rstrip("/"), client
        self.base = f"{self.origin}/v1/{client}"
        self.bodies, self.events = bodies, events
        self.cap = 1000  # the most records a listing answers at once, whatever $top asks
        self.withhold_restricted = False

    # What tests read and change

    def url(self, document_id: str) -> str:
        """The document's address on this server, as the API links it."""
        return self.origin + self.documents[document_id].path

    def event(self, event_id: str) -> FakeEvent:
        return next(event for event in self.events if event.id == event_id)

    def downloads(self, document_id: str) -> list[Seen]:
        """Requests for the document, retries and 304s included."""
        return self.requests(self.documents[document_id].path)

    def _path(self, path: str) -> str:
        """`requests(path)` takes a URL, a path, or one under the API such as "events" (and query arguments such as
        "$skip" as **{"$skip": "0"})."""
        return super()._path(path) if path.startswith(("http:", "https:", "/")) else f"/v1/{self.client}/{path}"

    # The server's side

    def api(self, request: Request) -> Response:
        """Every `/v1/{client}/…` route; paths are case-insensitive, as the real API's ("Events/1/EventItems")."""
        route = request.path[len(f"/v1/{self.client}/"):].strip("/").lower().split("/")
        try:
            body = self._route(route, request)
        except ODataError as error:
            return self._answer(request, _json({"Message": str(error)}, 400))
        except LookupError as error:
            return self._answer(request, _json({"Message": str(error)}, 404))
        return self._answer(request, _json(body))

    def _route(self, route: list[str], request: Request) -> Any:
        match route:
            case ["bodies"]:
                return _listing([body_json(body) for body in self.bodies], request.args, self.cap)
            case ["events"]:
                return _listing([event_json(event, self) for event in self.events], request.args, self.cap)
            case ["events", event_id]:
                return event_json(self._event(event_id), self)
            case ["events", event_id, "eventitems"]:
                event = self._event(event_id)
                attachments = request.args.get("Attachments", "0").lower() in ("1", "true")
                return [item_json(event, item, attachments, self) for item in event.items]
            case ["matters", matter_id]:
                return matter_json(self._matter(matter_id))
            case ["matters", matter_id, "attachments"]:
                return [attachment_json(document, self) for document in self._matter(matter_id).attachments]
        raise LookupError(f"No HTTP resource was found that matches the request URI '{request.url}'.")

    def _event(self, event_id: str) -> FakeEvent:
        found = next((event for event in self.events if event.id == event_id), None)
        if found is None:
            raise LookupError(f"Event {event_id} not found")
        return found

    def _matter(self, matter_id: str) -> FakeMatter:
        matters = {item.matter.id: item.matter for event in self.events for item in event.items if item.matter}
        found = matters.get(int(matter_id)) if matter_id.isdigit() else None
        if found is None or (found.restricted and self.withhold_restricted):
            raise LookupError(f"Matter {matter_id} not found")
        return found

    def document(self, request: Request) -> Response:
        """A file under `/{client}/meetings/` or `/{client}/attachments/`."""
        return self.serve(request, next((d for d in self.documents.values() if d.path == request.path), None))


def serve_legistar(httpserver: HTTPServer, pdf_dir: Path) -> FakeLegistar:
    """LA Metro's committees as the Legistar Web API on `httpserver`, the real agenda read from `pdf_dir`
    (../shared/corpus/pdf)."""
    site = la_metro(httpserver.url_for("/").rstrip("/"), Path(pdf_dir))
    httpserver.expect_request(re.compile(rf"^/v1/{CLIENT}/")).respond_with_handler(site.api)
    httpserver.expect_request(re.compile(rf"^/{CLIENT}/(?:meetings|attachments)/")).respond_with_handler(
        site.document)
    return site


def la_metro(origin: str, pdf_dir: Path) -> FakeLegistar:
    """The client's content: LA Metro's Executive Management Committee around June 2017."""
    executive = FakeBody(EXECUTIVE, "Executive Management Committee", "Standing Committee")
    planning = FakeBody(PLANNING, "Planning and Programming Committee", "Standing Committee")
    bodies = [FakeBody(BOARD, "Board of Directors - Regular Board Meeting", "Primary Legislative Body"),
              executive, planning,
              FakeBody(INACTIVE, "Ad Hoc Sustainability Committee", "Ad Hoc Committee", active=False),
              FakeBody(DEPARTMENT, "Office of Management and Budget", "Department", meets=False)]

    def file(event: str, kind: str, body: FakeBody, day: date, content: bytes, title: str) -> FakeDocument:
        name = f"{event}_{kind}_{body.name.replace(' ', '_')}_{day:%y-%m-%d}_{'Agenda' if kind == 'A' else 'Minutes'}"
        return FakeDocument(f"{event}_{kind}", title, f"/{CLIENT}/meetings/{day.year}/{day.month}/{name}.pdf", content)

    def attachment(attachment_id: str, title: str, content: bytes | None = None, **options: Any) -> FakeDocument:
        path = f"/{CLIENT}/attachments/{_guid('attachment', attachment_id).lower()}.pdf"
        return FakeDocument(attachment_id, title, path,
                            text_pdf(title, "Los Angeles County Metropolitan Transportation Authority")
                            if content is None else content, **options)

    attachment_ids = iter(range(16001, 16100))

    def attachments(*titles: str) -> list[FakeDocument]:
        made = [attachment(str(next(attachment_ids)), title) for title in titles]
        for document in made:
            if document.title == "Attachment A Placeholder":  # a placeholder whose file the server cannot give
                assert document.id == HTML_ERROR
                document.content, document.content_type = HTML_ERROR_PAGE, "text/html; charset=utf-8"
        return made

    def headings(*rows: tuple[int, str]) -> list[FakeItem]:
        return [FakeItem(sequence, title) for sequence, title in rows]

    may_18_day = date(2017, 5, 18)
    may_18 = FakeEvent(
        MAY_18, executive, may_18_day, "11:30 AM", VENUE, minutes_status="Final",
        agenda=file(MAY_18, "A", executive, may_18_day,
                    text_pdf("Executive Management Committee", "Thursday, May 18, 2017", "Agenda - Final"), "Agenda"),
        minutes=file(MAY_18, "M", executive, may_18_day,
                     text_pdf("Executive Management Committee", "Thursday, May 18, 2017", "Minutes"), "Minutes"),
        items=[
            *headings((1, "CALL TO ORDER"), (2, "ROLL CALL")),
            FakeItem(3, "RECEIVE AND FILE State and Federal Legislative Report.", "26.", FakeMatter(
                4390, "2017-0290", "RECEIVE AND FILE State and Federal Legislative Report.", attachments=[
                    attachment(FLAKY, "Attachment A - May 2017 Legislative Matrix", replies=[(500, {}), (500, {})]),
                    attachment(MISSING, "Attachment B - Federal Appropriations Update", status=404)])),
            FakeItem(4, "RECEIVE AND FILE the Office of the Inspector General's quarterly report.", "27.", FakeMatter(
                4391, "2017-0291", "RECEIVE AND FILE the Office of the Inspector General's quarterly report.",
                attachments=[
                    attachment(THROTTLED, "Attachment A - OIG Quarterly Report",
                               replies=[(429, {"Retry-After": "1"})]),
                    attachment(HIDDEN, "Attachment B - Draft Audit Working Papers", shown=False)])),
            FakeItem(5, "CONSIDER the Chief Executive Officer's annual performance evaluation.", "28.", FakeMatter(
                RESTRICTED_MATTER, "2017-0292", "CONSIDER the Chief Executive Officer's annual performance "
                "evaluation.", "Closed Session", restricted=True,
                attachments=[attachment(RESTRICTED, "Attachment A - Performance Evaluation Summary")])),
            FakeItem(6, "RECEIVE General Public Comment", None, FakeMatter(
                4393, "2017-0293", "RECEIVE General Public Comment", "Public Comment",
                attachments=[attachment(COMMENTS, "Public Comment Letters - May 2017")])),
            *headings((7, "Adjournment")),
        ])

    measure_m = FakeMatter(MEASURE_M_MATTER, "2017-0280", (
        "CONSIDER:\r\n\r\nA. RECEIVE AND FILE report from the Policy Advisory Council (PAC) on the Draft Measure M "
        "Master Guidelines (Attachment A);\r\n\r\nB. ADOPT the Measure M Master Guidelines; and\r\n\r\nC. AUTHORIZE "
        "the Chief Executive Officer to enter into Memorandums of Understanding (MOUs) and Assurances and "
        "Understandings with Included and Eligible Municipal Operators, Metrolink, Access Services and Los Angeles "
        "County jurisdictions for Measure M funding allocations and distribution, consistent with applicable Measure "
        "M Guideline provisions."), "Policy")

    jun_15_day = date(2017, 6, 15)
    real_items = [  # as the agenda prints them: number, file, recommendation, attachments
        ("33.", "2017-0346", "RECEIVE AND FILE State and Federal Legislative Report.",
         ["6- June 2017 Legislative Matrix"]),
        ("43.", "2017-0424", "AMEND Section 6.6 (Board Travel Expenses), Board Rules and Procedures of the Los Angeles "
         "County Metropolitan Transportation Authority (“Metro”), as set forth in Attachment A.",
         ["ATTACHMENT A - Board Rules and Procedures"]),
        ("35.", "2017-0147", "AUTHORIZE the Chief Executive Officer (CEO) to execute a seven (7)-year lease agreement "
         "(“Lease Agreement”) with The Crossroads School for Arts & Sciences, (“Crossroads”) to continue leasing "
         "Metro-owned property located adjacent to the Expo Light Rail Line, near 17th Street and Colorado Avenue, in "
         "Santa Monica (“Premises”). Anticipated total rent income over the 7-year lease term is $1,974,000.",
         ["Attachment A - Summary of Lease Key Terms", "Attachment B - Site Drawing of Leased Premises"]),
        ("36.", "2017-0301", "AUTHORIZE the Chief Executive Officer to execute an amendment to the Exclusive "
         "Negotiations and Planning Agreement with A Community of Friends to extend its term for an additional 24 "
         "months, for the joint development of Metro-owned property at 1st and Lorena Street along the Metro Gold "
         "Line Eastside Extension.",
         ["Attachment A - Site Map", "Attachment B - Director's Determination", "Attachment C - Project Scope"]),
        ("38.", measure_m, "", ["Attachment A Placeholder", "Attachment B - Measure M Master Guidelines",
                                "Attachment C - Public Comments Summary",
                                "Attachment D - Administrative Guideline Development Timeline"]),
        ("44.", "2017-0426", "APPROVE:\r\n\r\nA. Emilie Elias, the recommended nominee for Retired Federal or State "
         "judge;\r\n\r\nB. Carlos Bohorquez, the recommended nominee for Professional from the field of "
         "municipal/public finance and/or budgeting with a minimum of ten (10) years of relevant experience;\r\n\r\n"
         "C. Ryan Campbell, D. Scott Hood, E. Kyungwoo Kris Kim, F. Virginia Tanzmann and G. Linda Briskman, the "
         "recommended nominees for the committee's other seats.",
         ["Attachment A - Committee Requirements", "Attachment B -  Selection Panel Guideline",
          "Attachment C - Communication Plan"]),
        ("45.", "2017-0432", "ADOPT staff recommended position:\r\n\r\nA. TBD - California Global Warming Solutions "
         "Act of 2006: Market-Based Compliance Mechanisms SUPPORT",
         ["Attachment A - Cap and Trade Advocacy Principles"]),
        ("46.", "2017-0434", "RECEIVE AND FILE the proposed framework for a pilot educational and vocational training "
         "program with the objective of facilitating career pathways for local youth in Los Angeles County’s "
         "transportation sector as set forth in Attachment A.",
         ["Attachment A MCP Framework", "Attachment B- Motion 43"]),
        ("37.", "2017-0342", "RECEIVE oral quarterly report of the Chief Communications Officer.",
         ["CCO Quarterly Report June 2017"]),
        ("47.", "2017-0436", "CLOSED SESSION:\r\n\r\nA. Public Employee Discipline/Dismissal/Release\r\n\r\n"
         "B. Public Employment: Ethics Officer", []),
    ]
    jun_15_items = headings((1, "CALL TO ORDER"), (2, "ROLL CALL"), (3, "APPROVE Consent Calendar Item: 33 and 43."),
                            (4, "CONSENT CALENDAR"))
    for number, matter, title, titles in real_items:
        if isinstance(matter, str):
            matter = FakeMatter(4300 + len(jun_15_items), matter, title, attachments=attachments(*titles))
        else:
            matter.attachments = attachments(*titles)
        if number == "35.":
            jun_15_items.append(FakeItem(len(jun_15_items) + 1, "NON-CONSENT"))
        jun_15_items.append(FakeItem(len(jun_15_items) + 1, matter.title, number, matter))
    jun_15_items.append(FakeItem(len(jun_15_items) + 1, "Adjournment"))
    jun_15 = FakeEvent(JUN_15, executive, jun_15_day, "11:30 AM", VENUE, items=jun_15_items, agenda=file(
        JUN_15, "A", executive, jun_15_day,
        _read(pdf_dir / "us_la-metro_executive-management-committee_2017-06-15_agenda_legistar.pdf"), "Agenda"))

    planning_day = date(2017, 6, 14)
    planning_jun_14 = FakeEvent(
        PLANNING_JUN_14, planning, planning_day, "2:00 PM", VENUE,
        agenda=file(PLANNING_JUN_14, "A", planning, planning_day,
                    text_pdf("Planning and Programming Committee", "Wednesday, June 14, 2017", "Agenda - Final"),
                    "Agenda"),
        items=[*headings((1, "CALL TO ORDER")), FakeItem(2, measure_m.title, "38.", measure_m)])

    jul_20_day = date(2017, 7, 20)
    jul_20 = FakeEvent(JUL_20, executive, jul_20_day, "11:30 AM", VENUE, agenda_status="Canceled", agenda=file(
        JUL_20, "A", executive, jul_20_day,
        text_pdf("Executive Management Committee", "Meeting Cancelation Notice", "Thursday, July 20, 2017"), "Agenda"))

    sep_21 = FakeEvent(SEP_21, executive, date(2017, 9, 21), None, None, agenda_status="Draft", in_site=False,
                       items=[FakeItem(1, "RECEIVE AND FILE State and Federal Legislative Report.", "20.", FakeMatter(
                           4500, "2017-0600", "RECEIVE AND FILE State and Federal Legislative Report."))])

    extra = [attachment(FORBIDDEN, "Refused", status=403), attachment(UNAUTHORISED, "Sign in", status=401)]
    return FakeLegistar(origin, bodies, [may_18, planning_jun_14, jun_15, jul_20, sep_21], extra)


# The API's records, field for field


def body_json(body: FakeBody) -> dict[str, Any]:
    return {
        "BodyId": int(body.id), "BodyGuid": _guid("body", body.id), "BodyLastModifiedUtc": "2017-01-05T22:14:07.03",
        "BodyRowVersion": "AAAAAABSaSg=", "BodyName": body.name, "BodyTypeId": 42, "BodyTypeName": body.type_name,
        "BodyMeetFlag": int(body.meets), "BodyActiveFlag": int(body.active), "BodySort": 999, "BodyDescription": "",
        "BodyContactNameId": None, "BodyContactFullName": None, "BodyContactPhone": None, "BodyContactEmail": None,
        "BodyUsedControlFlag": 0, "BodyNumberOfMembers": 0 if not body.meets else 5, "BodyUsedActingFlag": 0,
        "BodyUsedTargetFlag": 0, "BodyUsedSponsorFlag": 0,
    }


def event_json(event: FakeEvent, site: FakeLegistar) -> dict[str, Any]:
    guid = _guid("event", event.id)
    published = f"{event.date - timedelta(days=2):%Y-%m-%d}T18:02:11.52"
    return {
        "EventId": int(event.id), "EventGuid": guid, "EventLastModifiedUtc": published,
        "EventRowVersion": "AAAAAADdAQ0=", "EventBodyId": int(event.body.id), "EventBodyName": event.body.name,
        "EventDate": f"{event.date.isoformat()}T00:00:00", "EventTime": event.time, "EventVideoStatus": "Public",
        "EventAgendaStatusId": AGENDA_STATUS_IDS.get(event.agenda_status, 9),
        "EventAgendaStatusName": event.agenda_status,
        "EventMinutesStatusId": AGENDA_STATUS_IDS.get(event.minutes_status, 9),
        "EventMinutesStatusName": event.minutes_status, "EventLocation": event.location,
        "EventAgendaFile": site.url(event.agenda.id) if event.agenda else None,
        "EventMinutesFile": site.url(event.minutes.id) if event.minutes else None,
        "EventAgendaLastPublishedUTC": published if event.agenda else None,
        "EventMinutesLastPublishedUTC": f"{event.date + timedelta(days=30):%Y-%m-%d}T16:43:12.877"
        if event.minutes else None,
        "EventComment": None, "EventVideoPath": None, "EventMedia": None,
        "EventInSiteURL": f"{PUBLIC_SITE}/MeetingDetail.aspx?LEGID={event.id}&GID=557&G={guid}"
        if event.in_site else "",
        "EventItems": [],  # never expanded in a listing
    }


def item_json(event: FakeEvent, item: FakeItem, attachments: bool, site: FakeLegistar) -> dict[str, Any]:
    matter = item.matter
    item_id = int(event.id) * 100 + item.sequence
    return {
        "EventItemId": item_id, "EventItemGuid": _guid("item", str(item_id)),
        "EventItemLastModifiedUtc": f"{event.date - timedelta(days=2):%Y-%m-%d}T18:01:52.393",
        "EventItemRowVersion": "AAAAAAAN5gY=", "EventItemEventId": int(event.id),
        "EventItemAgendaSequence": item.sequence, "EventItemMinutesSequence": item.sequence,
        "EventItemAgendaNumber": item.number, "EventItemVideo": None, "EventItemVideoIndex": None,
        "EventItemVersion": "1", "EventItemAgendaNote": None, "EventItemMinutesNote": None,
        "EventItemActionId": None, "EventItemActionName": None, "EventItemActionText": None,
        "EventItemPassedFlag": None, "EventItemPassedFlagName": None, "EventItemRollCallFlag": 0,
        "EventItemFlagExtra": 0, "EventItemTitle": item.title, "EventItemTally": None,
        "EventItemAccelaRecordId": None, "EventItemConsent": 0, "EventItemMoverId": None, "EventItemMover": None,
        "EventItemSeconderId": None, "EventItemSeconder": None,
        "EventItemMatterId": matter.id if matter else None,
        "EventItemMatterGuid": _guid("matter", str(matter.id)) if matter else None,
        "EventItemMatterFile": matter.file if matter else None, "EventItemMatterName": None,
        "EventItemMatterType": matter.type_name if matter else None,
        "EventItemMatterStatus": "Agenda Ready" if matter else None,
        "EventItemMatterAttachments": [attachment_json(document, site) for document in matter.attachments]
        if matter and attachments else [],
    }


def matter_json(matter: FakeMatter) -> dict[str, Any]:
    record: dict[str, Any] = {
        "MatterId": matter.id, "MatterGuid": _guid("matter", str(matter.id)),
        "MatterLastModifiedUtc": "2017-06-13T23:46:47.397", "MatterRowVersion": "AAAAAAA49Gs=",
        "MatterFile": matter.file, "MatterName": None, "MatterTitle": matter.title, "MatterTypeId": 51,
        "MatterTypeName": matter.type_name, "MatterStatusId": 74, "MatterStatusName": "Agenda Ready",
        "MatterBodyId": int(EXECUTIVE), "MatterBodyName": "Executive Management Committee",
        "MatterIntroDate": "2017-05-01T00:00:00", "MatterAgendaDate": "2017-06-15T00:00:00",
        "MatterPassedDate": None, "MatterEnactmentDate": None, "MatterEnactmentNumber": None,
        "MatterRequester": None, "MatterNotes": None, "MatterVersion": "1", "MatterCost": None,
    }
    record.update({f"MatterText{n}": None for n in range(1, 6)})
    record.update({"MatterDate1": None, "MatterDate2": None})
    record.update({f"MatterEXText{n}": None for n in range(1, 12)})
    record.update({f"MatterEXDate{n}": None for n in range(1, 11)})
    record.update({"MatterAgiloftId": 0, "MatterReference": None, "MatterRestrictViewViaWeb": matter.restricted,
                   "MatterReports": []})
    return record


def attachment_json(document: FakeDocument, site: FakeLegistar) -> dict[str, Any]:
    return {
        "MatterAttachmentId": int(document.id), "MatterAttachmentGuid": _guid("attachment-record", document.id),
        "MatterAttachmentLastModifiedUtc": "2017-06-13T18:48:49.63", "MatterAttachmentRowVersion": "AAAAAAJn7iQ=",
        "MatterAttachmentName": document.title, "MatterAttachmentHyperlink": site.url(document.id),
        "MatterAttachmentFileName": document.path.rsplit("/", 1)[-1], "MatterAttachmentMatterVersion": "0",
        "MatterAttachmentIsHyperlink": False, "MatterAttachmentBinary": None,
        "MatterAttachmentIsSupportingDocument": False, "MatterAttachmentShowOnInternetPage": document.shown,
        "MatterAttachmentIsMinuteOrder": False, "MatterAttachmentIsBoardLetter": False,
        "MatterAttachmentAgiloftId": 0, "MatterAttachmentDescription": None,
        "MatterAttachmentPrintWithReports": True, "MatterAttachmentSort": 0,
    }


# OData, as much of it as clients of the API send

_TOKEN = re.compile(r"datetime'[^']*'|'(?:[^']|'')*'|\S+", re.IGNORECASE)
_OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le"}


def _listing(records: list[dict[str, Any]], args: Any, cap: int) -> list[dict[str, Any]]:
    """Records as `$filter`, `$orderby`, `$skip` and `$top` ask, at most `cap` of them."""
    if expression := args.get("$filter"):
        groups = parse_filter(expression)
        records = [record for record in records if any(all(_holds(record, *clause) for clause in clauses)
                                                       for clauses in groups)]
    for key, descending in reversed(_order(args.get("$orderby", ""))):
        for record in records:
            if key not in record:
                raise ODataError(f"Could not find a property named '{key}' on the records.")
        records = sorted(records, key=lambda record, key=key: (record[key] is not None, record[key] or 0),
                         reverse=descending)
    skip, top = _count(args, "$skip", 0), min(_count(args, "$top", cap), cap)
    return records[skip:skip + top]


def parse_filter(expression: str) -> list[list[tuple[str, str, Any]]]:
    """`A eq 1 and B ge datetime'…' or C eq 'x'` as groups of clauses: any group whose clauses all hold."""
    tokens = _TOKEN.findall(expression)
    groups: list[list[tuple[str, str, Any]]] = [[]]
    position = 0
    while True:
        if position + 3 > len(tokens):
            raise ODataError(f"The query specified in the URI is not valid: {expression!r}")
        name, operator, value = tokens[position:position + 3]
        if not re.fullmatch(r"[A-Za-z]\w*", name) or operator.lower() not in _OPERATORS:
            raise ODataError(f"The query specified in the URI is not valid: {expression!r}")
        groups[-1].append((name, operator.lower(), _literal(value)))
        position += 3
        if position == len(tokens):
            return groups
        joiner = tokens[position].lower()
        if joiner == "or":
            groups.append([])
        elif joiner != "and":
            raise ODataError(f"The query specified in the URI is not valid: {expression!r}")
        position += 1


def _literal(text: str) -> Any:
    lowered = text.lower()
    if lowered.startswith("datetime'"):
        try:
            return datetime.fromisoformat(text[9:-1])
        except ValueError as error:
            raise ODataError(f"Unrecognized 'Edm.DateTime' literal {text!r}") from error
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if lowered in ("null", "true", "false"):
        return {"null": None, "true": True, "false": False}[lowered]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ODataError(f"Syntax error at {text!r}")


def _holds(record: dict[str, Any], name: str, operator: str, wanted: Any) -> bool:
    if name not in record:
        raise ODataError(f"Could not find a property named '{name}' on the records.")
    value = record[name]
    if isinstance(wanted, datetime) and isinstance(value, str):
        value = datetime.fromisoformat(value)
    if operator in ("eq", "ne"):
        return (value == wanted) == (operator == "eq")
    if value is None or wanted is None:
        return False
    try:
        return {"gt": value > wanted, "ge": value >= wanted, "lt": value < wanted, "le": value <= wanted}[operator]
    except TypeError as error:
        raise ODataError(f"A binary operator with incompatible types was detected: {name} {operator}") from error


def _order(text: str) -> list[tuple[str, bool]]:
    order = []
    for part in filter(None, (part.strip() for part in text.split(","))):
        name, _, direction = part.partition(" ")
        if direction.strip().lower() not in ("", "asc", "desc"):
            raise ODataError(f"Syntax error in $orderby: {text!r}")
        order.append((name, direction.strip().lower() == "desc"))
    return order


def _count(args: Any, name: str, default: int) -> int:
    value = args.get(name)
    if value is None:
        return default
    if not value.isdigit():
        raise ODataError(f"Invalid {name} value {value!r}")
    return int(value)


def _guid(kind: str, key: str) -> str:
    """A GUID that stays the same for the same record, upper case as the API writes them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"legistar-fake/{kind}/{key}")).upper()


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, content_type=JSON)
