"""Legistar sites through the Legistar Web API (`https://webapi.legistar.com/v1/{client}`), read as JSON.

/bodies gives the committees; /events, filtered by OData to one body and a date range and paged with $top/$skip,
their meetings; /events/{id}/eventitems?Attachments=1 each meeting's agenda items with their matters' attachments;
/matters/{id} whether a matter is withheld from the web (MatterRestrictViewViaWeb), which the event items do not say.
The API's shapes and quirks, as public clients of it met them (opencivicdata/python-legistar-scraper,
Metro-Records/scrapers-lametro, jisaacstone/legisearch), are handled here and nowhere else: dates as
"2017-06-15T00:00:00" with the time apart ("11:30 AM"), null for anything unset, a called-off meeting's agenda status
"Canceled" (LA Metro) or "Cancelled" (Seattle), item numbers printed with a trailing "." or not at all, and agenda
rows that are only headings ("CALL TO ORDER", "Adjournment").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sync.http import AccessDenied, Fetcher, FetchError
from sync.model import CANCELLED, Committee, RemoteDocument, RemoteItem, RemoteMeeting

API = "https://webapi.legistar.com/v1"
PAGE = 1000  # the API's largest page: a shorter one is the last
ITEM_DETAIL = {"AgendaNote": "1", "MinutesNote": "1", "Attachments": "1"}  # without Attachments=1, none are listed
_CLIENT = re.compile(r"[A-Za-z0-9_-]+")


class Legistar:
    """One Legistar client (an agency: "metro" is LA Metro): its bodies and their meetings, with items and documents."""

    kind = "legistar"
    page = PAGE

    def __init__(self, client_or_base_url: str, fetcher: Fetcher) -> None:
        self.base = api_base(client_or_base_url)
        self.fetcher = fetcher
        self._restricted: dict[int, bool] = {}  # matter id → withheld from the web; a matter recurs across meetings

    def committees(self) -> list[Committee]:
        """Bodies that are active and meet; a client's bodies include departments (BodyMeetFlag 0) that never do."""
        return [Committee(str(body["BodyId"]), clean(body.get("BodyName")))
                for body in self._pages("bodies", {"$orderby": "BodyName"}, "BodyId")
                if body.get("BodyActiveFlag") != 0 and body.get("BodyMeetFlag") != 0]

    def meetings(self, committee: Committee, start: date, end: date) -> list[RemoteMeeting]:
        """The body's meetings from `start` to `end`, both included: the filter's end is the day after, exclusive,
        because EventDate is a datetime at midnight."""
        after = end + timedelta(days=1)
        query = {"$filter": f"EventBodyId eq {int(committee.id)} and EventDate ge datetime'{start.isoformat()}' "
                            f"and EventDate lt datetime'{after.isoformat()}'",
                 "$orderby": "EventDate,EventId"}
        meetings = []
        for event in self._pages("events", query, "EventId"):
            day = api_date(event.get("EventDate"))
            if day is not None and start <= day <= end:
                meetings.append(self._meeting(event, committee, day))
        return meetings

    def _meeting(self, event: Mapping[str, Any], committee: Committee, day: date) -> RemoteMeeting:
        event_id = str(event["EventId"])
        meeting = RemoteMeeting(event_id, committee, day, time=clean(event.get("EventTime")) or None,
                                venue=clean(event.get("EventLocation")) or None, status=status(event),
                                url=clean(event.get("EventInSiteURL")) or None)
        if meeting.cancelled:  # its agenda file, if any, is the notice that it is off: no papers, no items asked
            return meeting
        for title, field, published in (("Agenda", "EventAgendaFile", "EventAgendaLastPublishedUTC"),
                                        ("Minutes", "EventMinutesFile", "EventMinutesLastPublishedUTC")):
            if url := clean(event.get(field)):
                meeting.documents.append(RemoteDocument(f"{event_id}-{title.lower()}", title, url,
                                                        published=iso_day(event.get(published))))
        rows = self._rows(f"events/{event_id}/eventitems", ITEM_DETAIL)
        for row in sorted(rows, key=lambda row: row.get("EventItemAgendaSequence") or 0):
            number = item_number(row)
            if number is None:
                continue
            matter = row.get("EventItemMatterId")
            restricted = matter is not None and self._matter_restricted(matter)
            title = clean(row.get("EventItemTitle")) or clean(row.get("EventItemMatterName")) or number
            if all(item.number != number for item in meeting.items):  # a number listed twice is one item
                meeting.items.append(RemoteItem(number, title, restricted))
            for attachment in row.get("EventItemMatterAttachments") or []:
                document = attachment_document(attachment, event_id, number, restricted)
                if document and all(document.id != held.id for held in meeting.documents):
                    meeting.documents.append(document)
        return meeting

    def _matter_restricted(self, matter_id: int) -> bool:
        """MatterRestrictViewViaWeb, asked once per matter. A matter the API will not show us (404, or an error that
        outlasts the retries) counts as withheld: we cannot tell it is public."""
        if matter_id not in self._restricted:
            try:
                matter = self._get(f"matters/{matter_id}", None)
            except AccessDenied:
                raise
            except FetchError:
                self._restricted[matter_id] = True
            else:
                self._restricted[matter_id] = not isinstance(matter, dict) or bool(
                    matter.get("MatterRestrictViewViaWeb"))
        return self._restricted[matter_id]

    def _pages(self, path: str, query: Mapping[str, str], key: str) -> Iterator[Mapping[str, Any]]:
        """Every record of a listing, a page at a time until a short one; a record seen on an earlier page is not
        given twice (one added while we page shifts the rest along)."""
        seen: set[Any] = set()
        skip = 0
        while True:
            rows = self._rows(path, {**query, "$top": str(self.page), "$skip": str(skip)})
            for row in rows:
                if row.get(key) is None or row[key] not in seen:
                    seen.add(row.get(key))
                    yield row
            if len(rows) < self.page:
                return
            skip += len(rows)

    def _rows(self, path: str, params: Mapping[str, str]) -> list[Mapping[str, Any]]:
        rows = self._get(path, params)
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise FetchError(f"{self.base}/{path}", "not a list of records")
        return rows

    def _get(self, path: str, params: Mapping[str, str] | None) -> Any:
        return self.fetcher.json(f"{self.base}/{path}", params)


def api_base(client_or_url: str) -> str:
    """The API's address for a client name ("metro"), the client's public site ("https://metro.legistar.com", which
    people copy from their browser) or an API address as given (a local fake's)."""
    value = client_or_url.strip().rstrip("/")
    if _CLIENT.fullmatch(value):
        return f"{API}/{value.lower()}"
    parts = urlsplit(value if "://" in value else f"https://{value}")
    host = (parts.hostname or "").lower()
    if host.endswith(".legistar.com") and host != "webapi.legistar.com" and _CLIENT.fullmatch(host.split(".")[0]):
        return f"{API}/{host.split('.')[0]}"
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"{client_or_url!r} is neither a Legistar client name (e.g. 'metro') nor an http(s) address")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def status(event: Mapping[str, Any]) -> str:
    """CANCELLED when the site calls the meeting off: an agenda or minutes status naming it ("Canceled" at LA Metro,
    "Cancelled" elsewhere), or both "Deferred" (New York City's way); otherwise the agenda's status, lower case."""
    agenda, minutes = (clean(event.get(field)).casefold() for field in ("EventAgendaStatusName",
                                                                        "EventMinutesStatusName"))
    if "cancel" in agenda or "cancel" in minutes or agenda == minutes == "deferred":
        return CANCELLED
    return agenda or "confirmed"


def item_number(row: Mapping[str, Any]) -> str | None:
    """The item's number as printed, without the trailing "." the API keeps ("33." is item 33). An item without one
    is numbered by its matter's file ("2017-0346", printed beside it on the agenda), else by its place on the agenda;
    a row with neither number nor matter is a heading ("CALL TO ORDER", "Adjournment") and None."""
    number = clean(row.get("EventItemAgendaNumber")).rstrip(".").strip()
    if number:
        return number
    if row.get("EventItemMatterId") is None:
        return None
    file = clean(row.get("EventItemMatterFile"))
    sequence = row.get("EventItemAgendaSequence")
    return file or (str(sequence) if sequence is not None else None)


def attachment_document(attachment: Mapping[str, Any], event_id: str, item: str,
                        restricted: bool) -> RemoteDocument | None:
    """A matter's attachment as a document of this meeting's item, or None when the site hides it from its pages
    (MatterAttachmentShowOnInternetPage false) or links nothing.

    Its id joins the meeting's to the attachment's: a matter goes before several bodies (a committee, then the
    board), and each meeting's copy is that meeting's paper."""
    url = clean(attachment.get("MatterAttachmentHyperlink"))
    if attachment.get("MatterAttachmentShowOnInternetPage") is False or not url:
        return None
    title = clean(attachment.get("MatterAttachmentName")) or clean(attachment.get("MatterAttachmentFileName")) or url
    return RemoteDocument(f"{event_id}-{attachment['MatterAttachmentId']}", title, url, item, restricted)


def api_date(value: Any) -> date | None:
    """The day of an API datetime ("2017-06-15T00:00:00"); None when unset or unreadable."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def iso_day(value: Any) -> str | None:
    day = api_date(value)
    return day.isoformat() if day else None


def clean(value: Any) -> str:
    """Text with its runs of whitespace made one space: the API's fields carry "\\r\\n" where the site breaks lines."""
    return " ".join(str(value).split()) if value is not None else ""
