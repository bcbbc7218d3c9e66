"""Find where each document glued into a pack starts, and what it is (corpus-structure §2.2).

Markers, most reliable first: an "Agenda Item N" stamp, a report cover (the row its template's profile says opens
one, "Report subject" on ModernGov's), a minutes header, an action-sheet or forward-plan title, the titles a report's
Appendices list announces, and the first line after a "This page is intentionally left blank" page. Each start
opens a document that ends where the next one starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.dates import find_date, human_date
from ingest.meeting import tidy_body
from ingest.model import Document, Line
from ingest.normalise import is_blank_page_marker
from ingest.profiles import Profile, pick

_STAMP = re.compile(r"^\s*Agenda Item (\d{1,2}[a-z]?)\s*$")
_MINUTES = re.compile(
    r"^\s*(?:Minutes of (?:the|a) (?:\w+ )?Meeting|MINUTES of (?:the|a) (?:\w+ )?meeting|MINUTES\s*$)", re.IGNORECASE
)
_ACTION_SHEET = re.compile(r"^\s*ACTION SHEET\b")
_FORWARD_PLAN = re.compile(r"^\s*(CABINET )?FORWARD PLAN\b\s*[-–]|^\s*Forward Plan [-–]", re.IGNORECASE)
_APPENDICES_HEADING = re.compile(r"^\s*Appendices\s*:?\s*$", re.IGNORECASE)
_APPENDIX_ENTRY = re.compile(r"^\s*(?:-\s*)?(?:Appendix\s+)?([A-Z]|\d{1,2})\s*[.)]?\s*[-–:.]?\s+(\S.*?)\s*$", re.I)
_LINK = re.compile(r"https?://|\(\S+\.(?:gov|org|com|co)\.?\S*\)|\.gov\.uk|\.aspx", re.IGNORECASE)
_NO_APPENDICES = re.compile(r"there are no appendices|^\s*none\.?\s*$", re.IGNORECASE)
_COVER_FIELD = re.compile(r"^\s*([A-Z][A-Za-z()' ]{2,40}?)\s*:?\s*\t\s*(.*?)\s*$")
_STOP = frozenset(
    ["a", "an", "and", "the", "of", "for", "to", "in", "on", "re", "with", "from", "by", "update", "report", "dated"]
)


@dataclass
class AppendixEntry:
    label: str
    title: str
    link_only: bool = False


@dataclass
class Found:
    """A document start before its end is known."""

    index: int
    kind: str
    title: str
    stamp: str | None = None
    body: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


def find_documents(lines: list[Line], begin: int, end: int, profile: Profile | None = None) -> list[Document]:
    """Split lines[begin:end] into documents; blank-page markers belong to none. Covers are the profile's."""
    profile = profile or pick(lines)
    found = _merge(_markers(lines, begin, end, profile))
    if not found or found[0].index > begin:
        found.insert(0, Found(begin, "document", _first_title(lines, begin, end)))
    documents = []
    for position, start in enumerate(found):
        stop = found[position + 1].index if position + 1 < len(found) else end
        if any(line.text.strip() and not is_blank_page_marker(line.text) for line in lines[start.index : stop]):
            documents.append(_document(lines, start, stop, profile))
    return _split_announced_appendices(lines, documents)


def _markers(lines: list[Line], begin: int, end: int, profile: Profile) -> list[Found]:
    found: list[Found] = []
    after_blank = False
    for index in range(begin, end):
        text = lines[index].text
        if not text.strip():
            continue
        if is_blank_page_marker(text):
            after_blank = True
            continue
        if stamp := _STAMP.match(text):
            found.append(Found(index, "document", "", stamp=stamp.group(1)))
        elif title := profile.cover_title(text):
            start, body = _body_above(lines, index, begin)
            fields = cover_fields(lines, index, end)
            found.append(Found(start, "report", title.strip(), body=body, fields=fields))
        elif _MINUTES.match(text):
            start, body = _minutes_header(lines, index, begin)
            title = f"Minutes of {body}" if body else "Minutes"
            date = find_date(text)
            minutes = Found(start, "minutes", f"{title}, {human_date(date)}" if date else title, body=body)
            minutes.fields = {"Meeting date": date} if date else {}
            found.append(minutes)
        elif _ACTION_SHEET.match(text):
            found.append(Found(index, "action_sheet", _short(text)))
        elif _FORWARD_PLAN.match(text):
            kind = "cabinet_forward_plan" if text.strip().upper().startswith("CABINET") else "forward_plan"
            found.append(Found(index, kind, _short(text)))
        elif after_blank:
            found.append(Found(index, "document", _short(text)))
        after_blank = False
    return found


def _merge(found: list[Found], reach: int = 8) -> list[Found]:
    """A stamp or a line after a blank page names the document whose own marker follows within a few lines."""
    found.sort(key=lambda f: f.index)
    merged: list[Found] = []
    for start in found:
        previous = merged[-1] if merged else None
        if previous and previous.kind == "document" and start.index - previous.index <= reach:
            start.index = previous.index
            start.stamp = start.stamp or previous.stamp
            if start.kind == "document" and not start.title:
                start.title = previous.title
            merged[-1] = start
        elif previous and start.kind == "document" and not start.stamp and start.index - previous.index <= 1:
            continue
        else:
            merged.append(start)
    return merged


def _document(lines: list[Line], start: Found, stop: int, profile: Profile) -> Document:
    title = start.title or _first_title(lines, start.index, stop)
    document = Document(kind=start.kind, title=title, start=start.index, end=stop, item=start.stamp,
                        body=start.body, fields=start.fields)
    if start.kind == "minutes":
        document.original_date = start.fields.get("Meeting date")
    if start.kind == "report":
        status = start.fields.get(profile.cover.status, "")
        if re.search(r"\bexempt\b", status, re.I) and not re.search(r"\bpublic\b", status, re.I):
            document.visibility = "exempt"
        document.original_date = find_date(start.fields.get(profile.cover.meeting_date, ""))
    return document


def cover_fields(lines: list[Line], index: int, end: int) -> dict[str, str]:
    """A cover's `Field<TAB>value` rows; a row starting with a tab continues the field above it."""
    fields: dict[str, str] = {}
    name = None
    for line in lines[index:min(end, index + 60)]:
        text = line.text
        if not text.strip():
            continue
        if match := _COVER_FIELD.match(text):
            name = match.group(1).strip().rstrip(":")
            fields[name] = match.group(2).replace("\t", " ").strip()
        elif text.startswith("\t") and name:
            fields[name] = f"{fields[name]} {text.strip()}".strip()
        else:
            break
    return fields


def _body_above(lines: list[Line], index: int, begin: int) -> tuple[int, str | None]:
    """The body a cover is written for ("Cabinet", the committee) sits on the line above it, if anywhere."""
    for back in range(index - 1, max(begin, index - 5) - 1, -1):
        text = lines[back].text.strip()
        if not text:
            continue
        if len(text.split()) <= 10 and "\t" not in text and not is_blank_page_marker(text) and not text.endswith("."):
            if _STAMP.match(text):
                return back, None
            return back, tidy_body(text)
        break
    return index, None


def _minutes_header(lines: list[Line], index: int, begin: int) -> tuple[int, str | None]:
    """Minutes open with the council and the body in capitals above "Minutes of the Meeting held on"."""
    start, names = index, []
    for back in range(index - 1, max(begin, index - 6) - 1, -1):
        text = lines[back].text.strip()
        if not text:
            continue
        if text.isupper() and len(text.split()) <= 14:
            start = back
            names.insert(0, text)
        else:
            break
    body = None
    for name in reversed(names):
        if not name.endswith("COUNCIL") or len(names) == 1:
            body = name
            break
    if body and " COUNCIL " in body:
        body = body.split(" COUNCIL ", 1)[1]
    return start, tidy_body(body) if body else None


def parse_appendices(lines: list[Line], document: Document) -> tuple[list[AppendixEntry], int]:
    """The report's own "Appendices" list, the only catalogue of what follows it, and the line after the list."""
    heading = next(
        (i for i in range(document.start, document.end) if _APPENDICES_HEADING.match(lines[i].text)), None
    )
    if heading is None:
        return [], document.end
    entries: list[AppendixEntry] = []
    after = heading + 1
    wrapped = False
    for index in range(heading + 1, document.end):
        text = lines[index].text.strip()
        if not text or is_blank_page_marker(text):
            continue
        if _NO_APPENDICES.search(text):
            return [], index + 1
        match = _APPENDIX_ENTRY.match(text)
        if match and (text.lower().startswith(("appendix", "-")) or entries):
            entries.append(AppendixEntry(f"Appendix {match.group(1)}", match.group(2).strip(" -–:")))
            wrapped = text.endswith(":")
        elif entries and (wrapped or _LINK.search(text)):
            # An entry ending "...:" goes on with the link that stands in for a document not in the pack.
            entries[-1].link_only = entries[-1].link_only or bool(_LINK.search(text))
        else:
            break
        after = index + 1
    return entries, after


def _split_announced_appendices(lines: list[Line], documents: list[Document]) -> list[Document]:
    """Label the documents after a report with its Appendices list, in order, skipping link-only entries.

    Each entry is looked for first as a short title line inside the document before it (appendices often
    follow one another with no blank page between), then as the next document. An entry whose start cannot be
    seen while a later entry's title can is left inside the document before it, so the rest stay aligned.
    """
    out = list(documents)
    index = 0
    while index < len(out):
        report = out[index]
        index += 1
        if report.kind != "report":
            continue
        listed, after = parse_appendices(lines, report)
        entries = [entry for entry in listed if not entry.link_only]
        stop = index
        while stop < len(out) and not _opens_item(out[stop]):
            stop += 1
        current = index - 1
        for number, entry in enumerate(entries):
            if split := _find_title(lines, out[current], entry, after):
                out.insert(current + 1, split)
                stop += 1
            elif current + 1 >= stop or any(
                _find_title(lines, out[current], later, after, cut=False) for later in entries[number + 1 :]
            ):
                continue
            current += 1
            after = out[current].start + 1
            out[current].appendix = entry.label
            if out[current].kind == "document":
                out[current].kind = "appendix"
    return out


def _opens_item(document: Document) -> bool:
    return document.kind in ("report", "minutes", "action_sheet") or document.item is not None


def _find_title(
    lines: list[Line], within: Document, entry: AppendixEntry, after: int, cut: bool = True
) -> Document | None:
    """Cut `within` (past line `after`) where a short line carries most words of an announced appendix title."""
    wanted = _tokens(entry.title)
    if len(wanted) < 2:
        return None
    for index in range(max(within.start + 1, after), within.end):
        text = lines[index].text.strip()
        if text and "\t" not in text and len(text.split()) <= 14 and _covers(_tokens(text), wanted):
            tail = Document("appendix", _short(text), index, within.end)
            if cut:
                within.end = index
            return tail
    return None


def _tokens(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    return {w.removesuffix("s") if len(w) > 3 else w for w in words if w not in _STOP}


def _covers(found: set[str], wanted: set[str], share: float = 0.7) -> bool:
    return len(found & wanted) >= share * len(wanted)


def _short(text: str, words: int = 16) -> str:
    parts = text.replace("\t", " ").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _first_title(lines: list[Line], begin: int, end: int) -> str:
    for index in range(begin, end):
        text = lines[index].text.strip()
        if text and not is_blank_page_marker(text) and not _STAMP.match(text):
            return _short(text)
    return ""


def similar_titles(a: str, b: str) -> bool:
    """Fuzzy title match: "Childrens Services Improvement Plan" is "Children's Services Improvement Plan"."""
    first, second = _tokens(a), _tokens(b)
    if not first or not second:
        return False
    return _covers(first, second) if len(second) <= len(first) else _covers(second, first)
