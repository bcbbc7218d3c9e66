"""From a file's bytes to a Paper: read, normalise, find the meeting, the agenda and the documents, then chunk.

The order is the recipe's: front matter, then the AGENDA (the master list of items), then document starts,
then documents assigned to items, then each document split by its own structure, then the records (decisions,
actions, figures) each registered extractor takes out of the chunks. What the file's template prints (running
headers, its conduct notice, its cover's labels) comes from the profile it matches (ingest/profiles.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from ingest import actions, decisions, figures
from ingest.agenda import Agenda, find_agenda
from ingest.assign import assign_items
from ingest.chunking import Sizes, chunk_document
from ingest.dates import human_date
from ingest.documents import find_documents
from ingest.errors import IngestError
from ingest.given import Given, documents_given, items_given, meeting_given
from ingest.meeting import find_meeting
from ingest.model import AgendaItem, Chunk, Document, Line, Meeting, Paper, short_hash
from ingest.normalise import clean_lines
from ingest.ocr import Ocr, Progress
from ingest.profiles import Profile, Profiles, shipped_profiles
from ingest.reader import read
from ingest.records import ACTION, DECISION, FIGURE, Record

_WEB_MINUTES = re.compile(r"^\s*Agenda item\s*$", re.IGNORECASE)
_MINUTES_LABEL = re.compile(r"^\s*Minutes:\s*$", re.IGNORECASE)

# The record extractors, by the kind of record each finds: pure functions of a paper's chunks.
EXTRACTORS: dict[str, Callable[[Paper], list[Record]]] = {
    DECISION: decisions.extract,
    FIGURE: figures.extract,
    ACTION: actions.extract,
}


def understand(path: str, data: bytes, sizes: Sizes, pdf_password: str = "", profiles: Profiles | None = None,
               given: Given | None = None, ocr: Ocr | None = None, progress: Progress | None = None) -> Paper:
    """Everything ingest learns from one file; raises IngestError when there is nothing to learn. The file's
    template profile is picked from `profiles` (the shipped ones unless given); what the site it came from says
    (`given`) wins over what its text suggests. Scanned pages are read by OCR as `ocr` says (`progress` counts
    them), else not at all."""
    reading = read(path, data, pdf_password, ocr, progress)
    profile = (profiles or shipped_profiles()).pick(reading.lines)
    lines = clean_lines(reading.lines, profile)
    if not any(line.text.strip() for line in lines):
        raise IngestError(path, "no text in the file")
    meeting = find_meeting(lines, profile=profile)
    warnings = list(reading.warnings)
    agenda = find_agenda(lines, profile=profile)
    items = agenda.items if agenda else []
    documents = _web_minutes(lines) or _documents(lines, agenda, profile)
    if agenda:
        warnings += assign_items(documents[2:], items, lines, reading.pages)
    _date_standalone_report(meeting, documents)
    if given:
        meeting_given(meeting, given)
        items = items_given(items, given)
        documents_given(documents, items, given)
    chunks = _chunks(documents, items, lines, sizes, profile)
    recognised = {line.number: line for line in reading.lines if line.confidence is not None}
    for chunk in chunks:
        chunk.context = context_line(meeting, documents[chunk.document], items, chunk)
        chunk.ocr_confidence = ocr_confidence(chunk, recognised) if recognised else None
    paper = Paper(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        format="web_minutes" if documents[0].kind == "web_minutes" else reading.format,
        pages=reading.pages,
        meeting=meeting,
        items=items,
        documents=documents,
        chunks=chunks,
        warnings=warnings,
    )
    paper.records = [record for extract in EXTRACTORS.values() for record in extract(paper)]
    return paper


def ocr_confidence(chunk: Chunk, recognised: dict[int, Line]) -> float | None:
    """The mean confidence, over characters, of the lines OCR read among those the chunk spans (by their numbers
    in the file, which cleaning and chunking keep); None when none of them was read by OCR."""
    spanned = [recognised[n] for n in range(chunk.lines[0], chunk.lines[1] + 1) if n in recognised]
    characters = sum(len(line.text) for line in spanned)
    if not characters:
        return None
    return round(sum(line.confidence * len(line.text) for line in spanned) / characters, 4)


def _documents(lines: list[Line], agenda: Agenda | None, profile: Profile) -> list[Document]:
    if agenda is None:
        return find_documents(lines, 0, len(lines), profile)
    # Standing text the template prints between the front sheet and the agenda (a conduct notice) is left out.
    standing = next((i for i in range(agenda.start) if profile.opens_boilerplate(lines[i].text)), agenda.start)
    front = Document("front_sheet", "Front sheet", 0, standing)
    listing = Document("agenda", "Agenda", agenda.start, agenda.end)
    return [front, listing, *find_documents(lines, agenda.end, len(lines), profile)]


def _web_minutes(lines: list[Line]) -> list[Document]:
    """A council web page holding the minute of one item: "Agenda item", title, description, "Minutes:"."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(filled) < 4 or not _WEB_MINUTES.match(lines[filled[0]].text):
        return []
    if not any(_MINUTES_LABEL.match(lines[i].text) for i in filled[:6]):
        return []
    title = lines[filled[1]].text.strip()
    description = lines[filled[2]].text.strip()
    return [Document("web_minutes", title, 0, len(lines), fields={"Description": description})]


def _date_standalone_report(meeting: Meeting, documents: list[Document]) -> None:
    """A report on its own (no pack around it) is dated by its cover and written for the body above the cover."""
    reports = [d for d in documents if d.kind == "report"]
    if len(reports) == 1 and not any(d.kind in ("front_sheet", "minutes") for d in documents):
        meeting.date = reports[0].original_date or meeting.date
        meeting.committee = reports[0].body or meeting.committee


def _chunks(documents: list[Document], items: list[AgendaItem], lines: list[Line], sizes: Sizes,
            profile: Profile) -> list[Chunk]:
    chunks: list[Chunk] = []
    for number, document in enumerate(documents):
        if document.kind == "agenda":
            chunks += [_agenda_chunk(number, item) for item in items if item.lines]
        else:
            chunks += chunk_document(number, document, lines, sizes, profile)
    for position, chunk in enumerate(chunks):
        chunk.position = position
    return chunks


def _agenda_chunk(number: int, item: AgendaItem) -> Chunk:
    text = "\n".join(line.text.strip() for line in item.lines if line.text.strip())
    first, last = item.lines[0], item.lines[-1]
    return Chunk(
        document=number, kind="agenda", section=f"Item {item.number}", text=text,
        lines=(first.number, last.end), pages=(first.page, last.end_page) if first.page else None,
        item=item.number,
    )


def context_line(meeting: Meeting, document: Document, items: list[AgendaItem], chunk: Chunk) -> str:
    """`committee | date | item | document | section`: embedded and indexed with the chunk's text."""
    number = chunk.item or document.item
    item = next((i for i in items if i.number == number), None)
    parts = [
        meeting.committee or "",
        human_date(meeting.date),
        f"Item {number} {item.title}" if item else (f"Item {number}" if number else ""),
        document_label(document),
        chunk.section,
    ]
    return " | ".join(part for part in parts if part)


def document_label(document: Document) -> str:
    label = f"{document.appendix} {document.title}" if document.appendix else document.title
    if document.body and document.kind == "report":
        label += f" ({document.body}, {human_date(document.original_date)})".replace(", )", ")")
    return label


def chunk_id(document_id: str, chunk: Chunk) -> str:
    """Stable: the same file chunked the same way gives the same ids."""
    return f"{document_id[:10]}-{chunk.position:04d}-{chunk.text_hash[:8]}"


def record_id(chunk_id: str, record: Record, number: int) -> str:
    """Stable like the chunk's: the chunk's id, the record's kind and its number among that chunk's records."""
    return f"{chunk_id}-{record.kind[:3]}{number}"


def document_id(path: str, sha256: str, number: int) -> str:
    """Stable for a file as long as it is unchanged; the same file saved at two paths gives two documents."""
    return short_hash(f"{path}:{sha256}:{number}")

