"""Find the meeting a file belongs to: council, committee, date, time, venue, publication date and reference.

Front sheets, minutes headers and covering letters each state it their own way; the first pattern that matches
in the opening lines wins, in the order of how reliable it is. The line that signs a summons, after which its
publication date stands, and the meeting's reference in the publisher's system are the template's (its profile's
`signature` and `reference`).
"""

from __future__ import annotations

import re

from ingest.dates import find_date
from ingest.model import Line, Meeting
from ingest.profiles import Profile, pick

_COMMITTEE_PATTERNS = [
    re.compile(r"^\s*Notice of (?:the )?(.+?)\s*$", re.IGNORECASE),
    re.compile(r"minutes of (?:a|the) (?:\w+ )?meeting of (?:the )?(.+?) held\b", re.IGNORECASE),
    re.compile(r"\bmeeting of (?:the )?(.+?) was held\b", re.IGNORECASE),
    re.compile(
        r"^\s*([A-Z][A-Z '’&,]{3,}?)\s*[-–]\s*(?:[A-Za-z]+day,?\s+)?\d{1,2}(?:st|nd|rd|th)? \w+,? \d{4}\s*$", re.I
    ),
    re.compile(r"^\s*([A-Z][A-Z '’&]{3,}?) AGENDA FOR\b"),
]
_AFTER_AGENDA = re.compile(r"^\s*AGENDA\s*$", re.IGNORECASE)
# A line naming a body, most specific word first: "3rd Floor Board Room" must lose to "Executive Management Committee".
_BODY_WORDS = [
    re.compile(rf"\b{word}\b", re.IGNORECASE)
    for word in ("Committee", "Working Group", "Panel", "Commission", "Cabinet", "Board", "Council")
]
_NUMBERED = re.compile(r"^\s*\d{1,2}[a-z]?[.)]\s")  # an agenda's item ("2. Committee Reports"), not a body's name
# A letter's salutation names the body it is addressed to: "Honorable President and Members of the City Council".
_SALUTATION = re.compile(r"^(?:.*\b(?:President|Chair\w*|Mayor),?\s+)?and\s+Members\s+of\s+(?:the\s+)?", re.IGNORECASE)
_COUNCIL = re.compile(
    r"^((?:[A-Z]+,? )+?(?:AND [A-Z]+ )?(?:COUNTY |CITY |BOROUGH |DISTRICT )?COUNCIL|TOWNSHIP OF [A-Z]+)\b"
)
_DATE_LINE = re.compile(r"^\s*Date:\s*(.+)$", re.IGNORECASE)
_VENUE_LINE = re.compile(r"^\s*Venue:\s*(.+)$", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2}[.:]\d{2}\s*(?:[ap]\.?m\.?)|\d{1,2}\s*(?:[ap]\.m\.|pm|am))(?![a-z])", re.IGNORECASE)


def find_meeting(lines: list[Line], window: int = 60, profile: Profile | None = None) -> Meeting:
    """The meeting stated in the opening lines of a file; fields it does not state stay None."""
    profile = profile or pick(lines)
    head = [line.text.strip() for line in lines[:window] if line.text.strip()]
    committee, committee_line = _committee(head)
    meeting = Meeting(committee=committee, date=find_date(committee_line) if committee_line else None)
    for index, text in enumerate(head):
        if meeting.date is None and (date_line := _DATE_LINE.match(text)):
            meeting.date = find_date(date_line.group(1))
            meeting.time = _time(date_line.group(1))
        if meeting.venue is None and (venue := _VENUE_LINE.match(text)):
            meeting.venue = venue.group(1).strip()
        if meeting.reference is None:
            meeting.reference = profile.meeting_reference(text)
        if meeting.published is None and profile.signs(text):
            meeting.published = next((find_date(t) for t in head[index + 1 : index + 4] if find_date(t)), None)
    if meeting.date is None:
        dated = next((t for t in head[:25] if find_date(t) and not profile.signs(t)), None)
        if dated:
            meeting.date = find_date(dated)
            meeting.time = meeting.time or _time(dated)
    if meeting.time is None:
        meeting.time = next((found for t in head[:25] if (found := _time(t))), None)
    meeting.council = _council(lines)
    return meeting


def _committee(head: list[str]) -> tuple[str | None, str | None]:
    """The committee's name, and the line that named it when that line may carry the meeting's date."""
    for pattern in _COMMITTEE_PATTERNS:
        for text in head:
            match = pattern.search(text)
            if match:
                return tidy_body(match.group(1)), text
    for index, text in enumerate(head[:-1]):
        if _AFTER_AGENDA.match(text) and len(head[index + 1].split()) <= 6:
            return tidy_body(head[index + 1]), None
    for word in _BODY_WORDS:
        named = next((t for t in head[:30] if word.search(t) and len(t.split()) <= 6 and not _NUMBERED.match(t)),
                     None)
        if named:
            return tidy_body(named), None
    return None, None


def _council(lines: list[Line], window: int = 250) -> str | None:
    for line in lines[:window]:
        found = _COUNCIL.match(line.text.strip())
        if found:
            return tidy_body(found.group(1))
    return None


def tidy_body(name: str) -> str:
    """A committee or body name as a person writes it: "CABINET" -> "Cabinet"."""
    name = _SALUTATION.sub("", re.sub(r"\s+", " ", name).strip(" -–,."))
    if name.isupper():
        small = {"and", "of", "the", "for", "on", "in"}
        words = name.title().replace("’S", "’s").replace("'S", "'s").split()
        name = " ".join(w.lower() if i and w.lower() in small else w for i, w in enumerate(words))
    return name


def _time(text: str) -> str | None:
    found = _TIME.search(text)
    return found.group(1).strip() if found else None
