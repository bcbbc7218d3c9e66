"""The shapes ingest produces: lines read from a file, the meeting, its agenda, the documents found, their chunks and
the records taken out of them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ingest.records import Record


def short_hash(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


@dataclass(frozen=True)
class Line:
    """One line of a paper: its text, its 1-based line number in the file read, and its PDF page (None for text).

    `last` is the number of the last source line it holds, when a paragraph split by a page break was joined.
    `confidence` is the OCR recogniser's, for a line read off a scanned page (None for a text layer or file).
    """

    text: str
    number: int
    page: int | None = None
    last: int = 0
    last_page: int | None = None
    confidence: float | None = None

    @property
    def end(self) -> int:
        return self.last or self.number

    @property
    def end_page(self) -> int | None:
        return self.last_page or self.page


@dataclass
class Meeting:
    """The meeting whose papers these are, as the front sheet (or a cover, or a minutes header) states it."""

    council: str | None = None
    committee: str | None = None
    date: str | None = None
    time: str | None = None
    venue: str | None = None
    published: str | None = None
    reference: str | None = None

    @property
    def id(self) -> str | None:
        if not (self.committee and self.date):
            return None
        return f"{slug(self.committee)[:60]}-{self.date}"


@dataclass
class AgendaItem:
    """An item of the AGENDA: `6a`, its title, the agenda's description, and its pack page range when printed."""

    number: str
    title: str
    description: str = ""
    pages: tuple[int, int] | None = None
    bullets: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list, repr=False)


@dataclass
class Document:
    """A document glued into a pack (report, minutes, action sheet, appendix...), as a span of the file's lines."""

    kind: str
    title: str
    start: int
    end: int
    item: str | None = None
    body: str | None = None
    original_date: str | None = None
    visibility: str = "public"
    appendix: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Chunk:
    """A passage to search and cite; never crosses an agenda item or document boundary.

    `text` is what is shown and cited (for table rows: the header and the raw rows as printed);
    `fields_text` writes table rows out as `Header: value` pairs so a row read alone still says what its cells mean.
    `item` is set where a chunk's own agenda item differs from its document's (an agenda entry, a minute
    marked "(Item 5)"). `ocr_confidence` is set when its lines were read by OCR off a scanned page: the
    recogniser's confidence, their mean over characters.
    """

    document: int
    kind: str
    section: str
    text: str
    lines: tuple[int, int]
    pages: tuple[int, int] | None = None
    fields_text: str = ""
    quality: str = "ok"
    item: str | None = None
    position: int = 0
    context: str = ""
    ocr_confidence: float | None = None

    @property
    def text_hash(self) -> str:
        return short_hash(" ".join(self.text.split()).casefold())

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Paper:
    """Everything understood from one file."""

    path: str
    sha256: str
    format: str
    pages: int | None
    meeting: Meeting
    items: list[AgendaItem]
    documents: list[Document]
    chunks: list[Chunk]
    warnings: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)  # decisions, actions, figures (ingest/records.py)
