"""Split one document into chunks by its own structure (recipe step 5); a chunk never crosses a document.

Reports: the cover is one chunk, the body is cut at its headings and packed by numbered paragraphs. Minutes:
one chunk per minute item (split at bullets when long, the lead repeated), one per public question with its
answer. Tables: row chunks under their header and group label. Everything else: headings, then paragraphs packed
to the prose size; sections too small to stand alone join the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Chunk, Document, Line
from ingest.normalise import is_blank_page_marker
from ingest.profiles import Profile, pick
from ingest.sentences import sentences
from ingest.tables import is_table_line, parse_table

_STAMP = re.compile(r"^\s*Agenda Item \d{1,2}[a-z]?\s*$")
_REPORT_HEADINGS = re.compile(
    r"^(Background|Background papers|Appendices|Options Appraisal|Recommendations?|Introduction|Conclusions?|"
    r"Summary of [a-z ,/]+|Executive summary|Purpose|Key Performance Indicators\s*[-–]?|Glossary|Contents|"
    r"Reasons? for (the )?(decision|recommendations?)|Financial implications|Legal implications|"
    r"Risk assessment|Equality impact|Next steps)\s*:?\s*$",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Z][^.;:]*)$")
_MINUTE_ITEM = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")
_ITEM_REFERENCE = re.compile(r"^\s*\(Item\s+(\d{1,2}[a-z]?)\)\s*$", re.IGNORECASE)
_QUESTION = re.compile(r"^\s*(Question|Statement|Petition)\s*\d*\s*(?:[-–:]|$)", re.IGNORECASE)
_PUBLIC_ISSUES = re.compile(r"public (issues|questions|statements|participation)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•●▪]|\(?[a-z]\)|\(?[ivx]+\)|\d+\.\d+)\s")


@dataclass
class Sizes:
    """Prose chunk sizes in words; the defaults live in the settings table."""

    target: int
    maximum: int
    minimum: int


@dataclass
class Section:
    path: list[str]
    kind: str
    lines: list[Line] = field(default_factory=list)
    item: str | None = None


def chunk_document(number: int, document: Document, lines: list[Line], sizes: Sizes,
                   profile: Profile | None = None) -> list[Chunk]:
    """The document's chunks; inside minutes, the lines the profile calls page headers are left out."""
    profile = profile or pick(lines)
    body = [line for line in lines[document.start : document.end] if _keep(line, document, profile)]
    if document.kind == "minutes":
        sections = _minute_sections(body)
    elif document.kind == "web_minutes":
        sections = [Section([], "minute", body)]
    else:
        sections = _heading_sections(body, document)
    chunks: list[Chunk] = []
    carried: Section | None = None
    for section in sections:
        if carried is not None and section.kind == "prose":
            section = Section(carried.path or section.path, "prose", carried.lines + section.lines, carried.item)
            carried = None
        words = sum(len(line.text.split()) for line in section.lines)
        if words < sizes.minimum and section.kind == "prose" and section is not sections[-1]:
            carried = section
            continue
        chunks.extend(_chunk_section(number, section, sizes))
        if carried is not None:
            chunks.extend(_chunk_section(number, carried, sizes))
            carried = None
    if carried is not None:
        chunks.extend(_chunk_section(number, carried, sizes))
    return chunks


def _keep(line: Line, document: Document, profile: Profile) -> bool:
    text = line.text.strip()
    if not text or is_blank_page_marker(text) or _STAMP.match(text):
        return False
    return not (document.kind == "minutes" and profile.is_minutes_header(text))


def _heading_sections(body: list[Line], document: Document) -> list[Section]:
    sections = [Section([], "prose")]
    start = 0
    if document.kind == "report" and document.fields:
        # The body the cover is written for is metadata; the cover opens at its first field ("Report subject").
        opening = next(iter(document.fields))
        while start < len(body) and not body[start].text.startswith(opening):
            start += 1
        cover = Section(["Cover"], "cover")
        while start < len(body) and _is_cover_line(body[start], cover):
            cover.lines.append(body[start])
            start += 1
        if cover.lines:
            sections = [cover, Section([], "prose")]
    top = ""
    for line in body[start:]:
        text = line.text.strip()
        if "\t" not in text and _is_heading(text):
            level_one = bool(_NUMBERED_HEADING.match(text) or text.isupper())
            top = text if level_one else top
            path = [top] if level_one else [p for p in (top, text) if p]
            sections.append(Section(path, "prose", [line]))
        else:
            sections[-1].lines.append(line)
    return [section for section in sections if section.lines]


def _is_cover_line(line: Line, cover: Section) -> bool:
    text = line.text
    return not cover.lines or "\t" in text


def _is_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or text.endswith((".", ",", ";")):
        return False
    if _REPORT_HEADINGS.match(text):
        return True
    numbered = _NUMBERED_HEADING.match(text)
    if numbered and len(words) <= 9:
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return len(words) >= 2 and len(letters) >= 6 and text.isupper()


def _minute_sections(body: list[Line]) -> list[Section]:
    """One section per minute item, numbered in sequence; public questions each get their own."""
    sections = [Section(["Attendance"], "minute")]
    expected: int | None = None
    for line in body:
        match = _MINUTE_ITEM.match(line.text)
        number = int(match.group(1)) if match else None
        if number is not None and (expected is None or number in (expected, expected + 1)) and number > 0:
            expected = number + 1
            title = _minute_title(match.group(2))
            sections.append(Section([f"{number}. {title}"], "minute", [line]))
            continue
        current = sections[-1]
        reference = _ITEM_REFERENCE.match(line.text)
        if reference and len(current.lines) <= 2:
            current.item = reference.group(1)
        if _QUESTION.match(line.text) and current.path and _PUBLIC_ISSUES.search(current.path[0]):
            lead = current.lines.pop() if _is_name_line(current.lines) else None
            question = Section([current.path[0], line.text.strip()], "question", [lead] if lead else [], current.item)
            question.lines.append(line)
            sections.append(question)
            continue
        current.lines.append(line)
    return [section for section in sections if section.lines]


def _minute_title(text: str) -> str:
    return " ".join(text.split())[:120]


def _is_name_line(lines: list[Line]) -> bool:
    """A questioner's name stands alone on the line before "Question 1"."""
    if not lines:
        return False
    text = lines[-1].text.strip()
    return 1 <= len(text.split()) <= 5 and not text.endswith((".", ":")) and "\t" not in text


def _chunk_section(number: int, section: Section, sizes: Sizes) -> list[Chunk]:
    """Prose packed to size, tables as row groups, in the order they stand in the section."""
    chunks: list[Chunk] = []
    run: list[Line] = []
    table: list[Line] = []

    def flush_prose() -> None:
        if run:
            chunks.extend(_pack(number, section, list(run), sizes))
            run.clear()

    def flush_table() -> None:
        if table:
            chunks.extend(_table_chunks(number, section, list(table), sizes))
            table.clear()

    for line in section.lines:
        tabular = is_table_line(line.text)
        if tabular or (table and ("\t" in line.text or len(line.text.split()) <= 3)):
            if not table:
                flush_prose()
            table.append(line)
        else:
            flush_table()
            run.append(line)
    flush_table()
    flush_prose()
    return chunks


def _pack(number: int, section: Section, lines: list[Line], sizes: Sizes) -> list[Chunk]:
    """Pack whole lines (paragraphs) up to the target; a minute item split in parts repeats its lead line."""
    pieces: list[list[Line]] = [[]]
    count = 0
    lead = lines[0] if section.kind in ("minute", "question") else None
    for line in _split_long(lines, sizes.maximum):
        words = len(line.text.split())
        if pieces[-1] and count + words > sizes.target and (count >= sizes.minimum or count + words > sizes.maximum):
            if section.kind == "minute" and not _BULLET.match(line.text) and count + words <= sizes.maximum:
                pieces[-1].append(line)
                count += words
                continue
            pieces.append([])
            count = 0
        pieces[-1].append(line)
        count += words
    chunks = []
    for index, piece in enumerate(pieces):
        if not piece:
            continue
        shown = piece if index == 0 or lead is None else [lead, *piece]
        text = "\n".join(line.text.strip() for line in shown)
        chunks.append(_chunk(number, section, section.kind, text, piece))
    return chunks


def _split_long(lines: list[Line], maximum: int) -> list[Line]:
    """A paragraph longer than the maximum is cut at sentence ends (it keeps its line number)."""
    out: list[Line] = []
    for line in lines:
        words = line.text.split()
        if len(words) <= maximum:
            out.append(line)
            continue
        part: list[str] = []
        for sentence in sentences(line.text):
            if part and len(" ".join(part).split()) + len(sentence.split()) > maximum:
                out.append(Line(" ".join(part), line.number, line.page, line.last, line.last_page))
                part = []
            part.append(sentence)
        if part:
            out.append(Line(" ".join(part), line.number, line.page, line.last, line.last_page))
    return out


def _table_chunks(number: int, section: Section, lines: list[Line], sizes: Sizes) -> list[Chunk]:
    """Wordy tracker rows stand alone; short numeric rows are grouped (same group label) up to ~12 rows."""
    table = parse_table(lines)
    if not table.rows:
        return _pack(number, Section(section.path, "prose", lines, section.item), lines, sizes)
    groups: list[list] = []
    for row in table.rows:
        words = len(row.written().split())
        current = groups[-1] if groups else None
        fits = (
            current
            and current[-1].group == row.group
            and current[-1].header_line is row.header_line
            and words <= 60
            and len(current) < 12
            and sum(len(r.written().split()) for r in current) + words <= sizes.target
        )
        if fits:
            current.append(row)
        else:
            groups.append([row])
    chunks = []
    for rows in groups:
        label, header = rows[0].group, rows[0].header_line
        shown = [text for text in (label, header.text if header else "") if text] + [row.raw for row in rows]
        written = [f"{label}: {row.written()}" if label else row.written() for row in rows]
        chunk = _chunk(number, section, "table_rows", "\n".join(shown), [line for r in rows for line in r.lines])
        chunk.fields_text = "\n".join(written)
        chunk.quality = "low" if any(row.quality == "low" for row in rows) else "ok"
        chunks.append(chunk)
    return chunks


def _chunk(number: int, section: Section, kind: str, text: str, lines: list[Line]) -> Chunk:
    first, last = lines[0], lines[-1]
    pages = (first.page, last.end_page) if first.page is not None else None
    return Chunk(
        document=number,
        kind=kind,
        section=" › ".join(section.path),
        text=text,
        lines=(first.number, max(line.end for line in lines)),
        pages=pages,  # type: ignore[arg-type]
        item=section.item,
    )
