"""Where a page's tables go in the text pypdf read of it: what pypdf read inside a table's box gives way, where the
first of it stood, to the table's rows, and every other piece of text stays where it was (`pdf_tables.py` finds
the tables). pypdf's pieces are placed by its text matrix, turned into the space the page is shown in (pdfplumber's,
origin top left, `/Rotate` applied), so a rotated page's table is found where it is seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pypdf import PageObject


class Placed(Protocol):
    """A table as placed on its page: its box (as the page is shown), its lines, and its cells' text as printed."""

    bbox: tuple[float, float, float, float]
    lines: list[str]
    printed: str


def replace_tables(page: PageObject, text: str, tables: Sequence[Placed]) -> str | None:
    """The page's text with what pypdf read inside each table's box replaced, where the first of it stood, by
    the table's lines; None when pypdf's pieces cannot be placed (the text is then left as it was)."""
    pieces: list[tuple[str, float, float]] = []

    def visit(part: str, cm: list[float], tm: list[float], *_: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces.append((part, x, y))

    if page.extract_text(visitor_text=visit) != text or "".join(piece for piece, _, _ in pieces) != text:
        return None
    shown = _shown(page)
    out: list[str] = []
    written: set[int] = set()
    in_table = False
    for part, x, y in pieces:
        if not part.strip():
            if not in_table:  # the blank pieces between a table's cells are left out with them
                out.append(part)
            continue
        where = shown(x, y)
        table = next((index for index, t in enumerate(tables) if _within(where, t.bbox)), None)
        if table is None and any(_echoes(part, where, t) for t in tables):
            continue  # a cell's text printed again just outside its box, clipped from sight ("Floor: 90%")
        if table is None:
            if in_table and out and not out[-1].endswith("\n"):
                out.append("\n")
            in_table = False
            out.append(part)
            continue
        in_table = True
        if table not in written:
            written.add(table)
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            out.append("\n".join(tables[table].lines) + "\n")
    if len(written) < len(tables):
        return None  # pypdf read none of a table's text where pdfplumber found it: the two do not agree
    return "".join(out)


def _shown(page: PageObject):
    """Turns a point in the page's own space into the space the page is shown in (pdfplumber's: origin top left)."""
    box = page.mediabox
    left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
    rotation = (page.get("/Rotate") or 0) % 360

    def shown(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return y - bottom, x - left
        if rotation == 180:
            return right - x, y - bottom
        if rotation == 270:
            return top - y, right - x
        return x - left, top - y

    return shown


def _within(point: tuple[float, float], bbox: tuple, below: float = 2) -> bool:
    x, y = point
    return bbox[0] - 2 <= x <= bbox[2] + 2 and bbox[1] - 2 <= y <= bbox[3] + below


def _echoes(part: str, where: tuple[float, float], table: Placed) -> bool:
    """Text just under a table's box that one of its cells already holds."""
    words = " ".join(part.split())
    return len(words) >= 4 and _within(where, table.bbox, below=14) and words in table.printed
