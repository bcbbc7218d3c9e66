"""ModernGov sites through their web service (`{base}/mgWebService.asmx/{Operation}`), read by plain GETs.

Three operations give everything a sync needs: GetCommittees, then a committee's GetMeetings for a date range, then
GetMeeting for each meeting (its time, venue, status, agenda items and the documents linked to them). The service's
quirks, as public scrapers of these sites met them (DemocracyClub/LGSF among them), are handled here and nowhere
else: dates only as dd/mm/yyyy, an exclusive end date, text HTML-encoded before it is XML-escaped, and exempt papers
not always flagged.

Parsed with the standard library: the service's XML has no DTD, ElementTree fetches no external entities, and the
expat it is built on (2.4.1 and later) refuses entity expansion bombs.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from sync.http import Fetcher, FetchError
from sync.model import CANCELLED, Committee, RemoteDocument, RemoteItem, RemoteMeeting

SERVICE = "mgWebService.asmx"
DATE_FORMAT = "%d/%m/%Y"  # the only form the service reads; it ignores others silently and returns everything

# Titles that mark a document as withheld from the public where the site's own flag says nothing: councils file
# exempt appendices under public items with `isrestricted` False, so scrapers of these sites fall back to the words
# the exemption is announced with ("Exempt Appendix 2", "Part 2 report", "Part Two", "Confidential").
RESTRICTED_TITLES: tuple[str, ...] = (r"\bexempt\b", r"\bpart (?:two|2)\b", r"\bconfidential\b")
_RESTRICTED = re.compile("|".join(RESTRICTED_TITLES), re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})")


class ModernGov:
    """One ModernGov site: its committees and their meetings, each with agenda items and documents."""

    kind = "moderngov"

    def __init__(self, base_url: str, fetcher: Fetcher) -> None:
        self.base = site_base(base_url)
        self.fetcher = fetcher

    def committees(self) -> list[Committee]:
        root = self._call("GetCommittees", "committees")
        return [Committee(text(element, "committeeid"), text(element, "committeetitle"))
                for element in root.iter("committee")
                if not (flag(element, "committeedeleted") or flag(element, "committeeexpired"))]

    def meetings(self, committee: Committee, start: date, end: date) -> list[RemoteMeeting]:
        """The committee's meetings from `start` to `end`, both included, with one GetMeeting call each.

        The service's end date is exclusive, so it is asked to the day after `end`; the range is applied again here
        because a site that cannot read the dates returns every meeting it has."""
        after = end + timedelta(days=1)
        root = self._call("GetMeetings", "getmeetings", lCommitteeId=committee.id,
                          sFromDate=start.strftime(DATE_FORMAT), sToDate=after.strftime(DATE_FORMAT))
        meetings = []
        for stub in root.iter("meeting"):
            day = parse_date(text(stub, "meetingdate"))
            meeting_id = text(stub, "meetingid")
            if not meeting_id or day is None or not start <= day <= end:
                continue
            detail = self._call("GetMeeting", "meeting", lMeetingId=meeting_id)
            meetings.append(meeting_from(detail, committee, self.base, day))
        return sorted(meetings, key=lambda meeting: (meeting.date, meeting.id))

    def _call(self, operation: str, root_tag: str, **params: str) -> ET.Element:
        """The operation's reply, from its expected root element down; a `FetchError` if it is not the service's XML
        (a site that switched the service off answers with an HTML page)."""
        url = f"{self.base}/{SERVICE}/{operation}"
        try:
            root = ET.fromstring(self.fetcher.get(url, params or None).content)
        except ET.ParseError as error:
            raise FetchError(url, f"not the web service's XML ({error})") from error
        for element in root.iter():  # namespaces dropped: a SOAP-style install puts the same elements in one
            if isinstance(element.tag, str) and "}" in element.tag:
                element.tag = element.tag.split("}", 1)[1]
        found = root if root.tag == root_tag else root.find(f".//{root_tag}")
        if found is None:
            raise FetchError(url, f"no <{root_tag}> in the reply (<{root.tag}> instead)")
        return found


def meeting_from(root: ET.Element, committee: Committee, base: str, day: date | None = None) -> RemoteMeeting:
    """A GetMeeting reply as a meeting; `day` is the listing's date, for a reply without a readable one.

    Documents sit inside their agenda item (`agendaitem/linkeddocuments/linkeddoc`) and are filed under its number;
    any `linkeddocuments` directly under `meeting` are the meeting's own (item None). A cancelled meeting has none."""
    meeting_id = text(root, "meetingid")
    day = parse_date(text(root, "meetingdate")) or day
    if day is None:
        raise ValueError(f"meeting {meeting_id} has no date the service's formats can read")
    status = (text(root, "meetingstatus") or "confirmed").lower()
    status = CANCELLED if status in ("cancelled", "canceled") else status
    items: list[RemoteItem] = []
    documents: dict[str, RemoteDocument] = {}
    if status != CANCELLED:
        for element in root.findall("linkeddocuments/linkeddoc"):
            _add(documents, document_from(element, base, None))
        for element in root.iter("agendaitem"):
            item = item_from(element)
            items.append(item)
            for linked in element.iter("linkeddoc"):
                _add(documents, document_from(linked, base, item))
    return RemoteMeeting(meeting_id, committee, day, time=text(root, "meetingtime") or None,
                         venue=text(root, "meetinglocation") or None, status=status,
                         url=f"{base}/ieListDocuments.aspx?CId={committee.id}&MId={meeting_id}",
                         items=items, documents=list(documents.values()))


def item_from(element: ET.Element) -> RemoteItem:
    """An agenda item numbered as printed: `fulldisplaynumberformat` ("7.") when set, for `agendaitemnumber` is the
    site's internal order (12 for the item printed as 9), else that number with its sub-number ("6" "a": "6a")."""
    number = text(element, "fulldisplaynumberformat").rstrip(".").strip()
    if not number:
        number = text(element, "agendaitemnumber") + text(element, "agendaitemsubnumber")
    return RemoteItem(number, text(element, "agendaitemtitle"), flag(element, "isrestricted"))


def document_from(element: ET.Element, base: str, item: RemoteItem | None) -> RemoteDocument | None:
    """A linked document, or None without an address. Its `url` is used only when `isurl` says it is a link: for an
    attachment the service's `url` names the site's public host, which need not be the address we were given."""
    attachment = text(element, "attachmentid")
    title = text(element, "title")
    if flag(element, "isurl"):
        url = urljoin(f"{base}/", text(element, "url"))
    else:
        url = f"{base}/mgConvert2PDF.aspx?ID={attachment}" if attachment else ""
    if not url or url == f"{base}/":
        return None
    restricted = flag(element, "isrestricted") or bool(item and item.restricted) or restricted_title(title)
    published = parse_date(text(element, "publicationdate"))
    return RemoteDocument(attachment or url, title, url, item.number if item else None, restricted,
                          published.isoformat() if published else None)


def _add(documents: dict[str, RemoteDocument], document: RemoteDocument | None) -> None:
    """Keep the first place a document is linked from: an attachment can hang off more than one item."""
    if document is not None and document.id not in documents:
        documents[document.id] = document


def restricted_title(title: str) -> bool:
    return bool(_RESTRICTED.search(title))


def text(element: ET.Element, tag: str) -> str:
    """A child's text as people read it: entities decoded once more (the service HTML-encodes text before escaping
    it as XML, so `&amp;#39;` parses to `&#39;`), whitespace collapsed; "" when absent."""
    return " ".join(html.unescape(element.findtext(tag) or "").split())


def flag(element: ET.Element, tag: str) -> bool:
    return text(element, tag).lower() in ("true", "1", "yes")


def parse_date(value: str) -> date | None:
    """dd/mm/yyyy as the service writes dates, a time after it allowed ("30/01/2025 10:00:00"); ISO too."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        return date(int(year or iso_year), int(month or iso_month), int(day or iso_day))
    except ValueError:
        return None


def site_base(url: str) -> str:
    """The site's root from whatever address of it a user pastes: the service's, a page's or the bare host."""
    url = url.strip()
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    path = re.split(r"/[^/]*\.as[mp]x", parts.path, maxsplit=1, flags=re.IGNORECASE)[0].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
