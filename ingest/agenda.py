"""Parse the AGENDA, the master list of items, with its pack page ranges in any of the three layouts papers use.

A range sits on the title line ("7. Forward Plan 55 - 64", "(Pages 1 - 10)"), on its own line after the title
("4. Confirmation of Minutes" / "5 - 14"), or displaced after a later item's text; displaced ranges go, in order,
to the items before them that carry documents but have no range (corpus-structure §2.1). The list ends at a blank
page, a letter's close, or where the template's profile says it closes ("No other items of business…") or is over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import AgendaItem, Line
from ingest.profiles import Profile, pick

_START = re.compile(r"^\s*AGENDA\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*(Yours (sincerely|faithfully)|This page is intentionally left blank)", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(\d{1,2})\.\s+(.+?)\s*$")
_SUB_ITEM = re.compile(r"^\s*([a-z])\)\s+(.+?)\s*$")
_RANGE_AT_END = re.compile(r"(?:\(\s*Pages?\s+(\d+)\s*-\s*(\d+)\s*\)|(?<![\d/])(\d{1,4})\s*-\s*(\d{1,4}))\s*$")
_RANGE_ONLY = re.compile(r"^\s*(?:\(\s*Pages?\s+)?(\d{1,4})\s*-\s*(\d{1,4})\s*\)?\s*$")
_PAGES_OPEN = re.compile(r"\(\s*Pages?\s*$|\(\s*Pages?\s+\d+\s*-?\s*$", re.IGNORECASE)
_PROCEDURAL = re.compile(
    r"apolog|substitut|declaration|election of|public (issues|questions|participation)|urgent business|"
    r"exclusion of|dates? of (future|next)|portfolio holder update|announcements|cabinet member updates|"
    r"roll call|pledge|invocation",
    re.IGNORECASE,
)


@dataclass
class Agenda:
    items: list[AgendaItem]
    start: int
    end: int


def find_agenda(lines: list[Line], limit: int = 400, profile: Profile | None = None) -> Agenda | None:
    """The agenda block near the front of a pack, parsed into items; None when the file has no agenda."""
    start = next((i for i, line in enumerate(lines[:limit]) if _START.match(line.text)), None)
    if start is None:
        return None
    profile = profile or pick(lines)
    end = next((i for i in range(start + 1, len(lines))
                if _END.match(lines[i].text) or profile.ends_agenda(lines[i].text)), len(lines))
    items = parse_items(lines[start + 1 : end])
    if len(items) < 2:
        return None
    if end < len(lines) and profile.closes_agenda(lines[end].text):
        end += 1
    return Agenda(items, start, end)


def parse_items(lines: list[Line]) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    loose: list[tuple[int, tuple[int, int]]] = []
    expect_range_for: AgendaItem | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        item = _next_item(text, items)
        if item is not None:
            item.lines.append(line)
            items.append(item)
            expect_range_for = item if item.pages is None else None
            continue
        only = _RANGE_ONLY.match(text)
        if only:
            pages = (int(only.group(1)), int(only.group(2)))
            if expect_range_for is not None:
                expect_range_for.pages = pages
            else:
                loose.append((len(items), pages))
            expect_range_for = None
            continue
        if not items:
            continue
        current = items[-1]
        current.lines.append(line)
        if expect_range_for is current and not current.description and _title_continues(current, text):
            continue
        expect_range_for = None
        if text.startswith("- "):
            current.bullets.append(text[2:].strip())
        current.description = f"{current.description}\n{text}".strip()
    _place_loose_ranges(items, loose)
    return items


def _next_item(text: str, items: list[AgendaItem]) -> AgendaItem | None:
    """An item line, accepted only in sequence, so numbered lists inside descriptions are not taken for items."""
    previous = next((int(item.number) for item in reversed(items) if item.number.isdigit()), 0)
    match = _ITEM.match(text)
    if match and int(match.group(1)) == previous + 1:
        return _item(match.group(1), match.group(2))
    sub = _SUB_ITEM.match(text)
    if sub and items:
        last = items[-1].number
        parent = re.match(r"\d+", last)
        letter = last[len(parent.group(0)) :] if parent else ""
        if parent and ord(sub.group(1)) == (ord(letter) + 1 if letter else ord("a")):
            return _item(parent.group(0) + sub.group(1), sub.group(2))
    return None


def _item(number: str, title: str) -> AgendaItem:
    title = title.replace("\t", " ").strip()
    ranged = _RANGE_AT_END.search(title)
    pages = None
    if ranged:
        first, last = (ranged.group(1), ranged.group(2)) if ranged.group(1) else (ranged.group(3), ranged.group(4))
        if int(first) <= int(last):
            pages = (int(first), int(last))
            title = title[: ranged.start()].strip()
    return AgendaItem(number=number, title=_tidy(title), pages=pages)


def _title_continues(item: AgendaItem, text: str) -> bool:
    """A wrapped title line ends with its "(Pages a - b)", as Kent's front sheets print it."""
    ranged = _RANGE_AT_END.search(text)
    if ranged and ranged.group(1):
        item.title = _tidy(f"{item.title} {text[: ranged.start()]}")
        item.pages = (int(ranged.group(1)), int(ranged.group(2)))
        return True
    if _PAGES_OPEN.search(text):
        item.title = _tidy(f"{item.title} {_PAGES_OPEN.sub('', text)}")
        return True
    return False


def _tidy(title: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\(\s*Pages?\s*$", "", title)).strip(" -–")


def _place_loose_ranges(items: list[AgendaItem], loose: list[tuple[int, tuple[int, int]]]) -> None:
    """Give displaced ranges, in order, to earlier items that have documents but no range."""
    for position, pages in loose:
        candidates = [
            item for item in items[:position] if item.pages is None and not _PROCEDURAL.search(item.title)
        ]
        if candidates:
            candidates[0].pages = pages


def is_procedural(item: AgendaItem) -> bool:
    return bool(_PROCEDURAL.search(item.title))
