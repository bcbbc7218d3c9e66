"""What a committee site says: its committees, their meetings, each meeting's agenda items and documents.

Connectors (`sync/moderngov.py`, `sync/legistar.py`) turn a service's XML or JSON into these shapes; everything
after them (downloading, ingesting, the report) is the same for every service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

CANCELLED = "cancelled"


@dataclass(frozen=True)
class Committee:
    """A committee (Legistar: a body) as the site names it; `id` is the site's own."""

    id: str
    name: str


@dataclass(frozen=True)
class RemoteItem:
    """An agenda item: its number as the site prints it ("6", "6a", "2025-0123"), title and restriction."""

    number: str
    title: str
    restricted: bool = False


@dataclass(frozen=True)
class RemoteDocument:
    """A document the site links to a meeting (`item` None: the agenda pack, the minutes) or to one of its items.

    `id` is the site's attachment id, stable across runs; `restricted` is the site's flag, its item's included."""

    id: str
    title: str
    url: str
    item: str | None = None
    restricted: bool = False
    published: str | None = None  # ISO date, when the site gives one


@dataclass(frozen=True)
class RemoteMeeting:
    """A meeting as the site lists it; a cancelled one has no papers."""

    id: str
    committee: Committee
    date: date
    time: str | None = None
    venue: str | None = None
    status: str = "confirmed"  # lower case, as the site words it; CANCELLED when called off
    url: str | None = None  # the meeting's page on the site, for people
    items: list[RemoteItem] = field(default_factory=list)
    documents: list[RemoteDocument] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


class Connector(Protocol):
    """One committee site: what it publishes, read through a `Fetcher` (`sync/http.py`)."""

    kind: str  # "moderngov", "legistar"
    base: str  # the site's address as given by the user, normalised

    def committees(self) -> list[Committee]:
        """Every committee the site lists, deleted and expired ones left out."""
        ...

    def meetings(self, committee: Committee, start: date, end: date) -> list[RemoteMeeting]:
        """The committee's meetings from `start` to `end` (both included), each with its items and documents."""
        ...
