"""What the site a paper came from says of it: the truth where it speaks; the text's own heuristics fill the rest.

A committee site (ModernGov, Legistar) knows the meeting (committee, date, time, venue), its agenda items with their
numbers and titles, which item a document belongs to, the document's title and whether it is restricted. A loose
file has none of this and is read from its text alone; the same `understand` serves both (`ingest/understand.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.model import AgendaItem, Document, Meeting, short_hash

EXEMPT = "exempt"


@dataclass(frozen=True)
class Given:
    """The site's facts about one file; None (or empty) where the site says nothing."""

    committee: str | None = None
    date: str | None = None  # ISO
    time: str | None = None
    venue: str | None = None
    items: tuple[tuple[str, str], ...] = ()  # the meeting's agenda as the site lists it: (number, title)
    item: str | None = None  # the agenda item the file belongs to (None: the meeting's, e.g. its agenda pack)
    title: str | None = None  # the document's title on the site
    restricted: bool = False  # the site withholds it from the public: every document of the file is exempt
    published: str | None = None  # ISO date the site published it

    @property
    def fingerprint(self) -> str:
        """Changes when any of the site's facts does, so a file whose bytes did not is read again all the same."""
        return short_hash(repr(self), 8)


def meeting_given(meeting: Meeting, given: Given) -> None:
    """The site's meeting over the one read from the text."""
    meeting.committee = given.committee or meeting.committee
    meeting.date = given.date or meeting.date
    meeting.time = given.time or meeting.time
    meeting.venue = given.venue or meeting.venue
    meeting.published = given.published or meeting.published


def items_given(items: list[AgendaItem], given: Given) -> list[AgendaItem]:
    """The site's agenda items, each keeping the pack pages and lines the text's agenda printed for its number."""
    if not given.items:
        return items
    read = {_plain(item.number): item for item in items}
    return [replace(read[_plain(number)], number=number, title=title) if _plain(number) in read
            else AgendaItem(number, title) for number, title in given.items]


def documents_given(documents: list[Document], items: list[AgendaItem], given: Given) -> None:
    """Documents filed under the site's item, titled as the site titles a file that holds one, exempt when the site
    restricts it. A pack's documents keep the items the text assigned them, where the site lists those items."""
    numbers = {item.number for item in items}
    by_plain = {_plain(number): number for number in numbers}
    for document in documents:
        if given.item:
            document.item = given.item
        elif given.items and document.item is not None:
            document.item = by_plain.get(_plain(document.item))
        if given.restricted:
            document.visibility = EXEMPT
    main = [document for document in documents if document.kind not in ("front_sheet", "agenda")]
    if given.title and len(main) == 1 and not main[0].appendix:
        main[0].title = given.title


def _plain(number: str) -> str:
    """An item number compared as printed and as listed: "6(a)", "6a" and "6 a." are one item."""
    return "".join(character for character in number.casefold() if character.isalnum())
