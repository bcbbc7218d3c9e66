"""Tables flattened to tab-separated lines, turned into rows that still say what their cells mean (§3 of the recipe).

A region is a run of lines with two or more tabs. Its header is its first wordy line and every copy of it the
next pages repeat (a line of new column names starts a second table in the region); copies are dropped,
leaked page numbers are taken out of unlabelled cells, continuation lines are merged into their row, and short
date rows become the group label carried down to the rows under them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.dates import find_date
from ingest.model import Line
from ingest.profiles import rag_words

_NUMBER = re.compile(r"^[\d.,%£$€()\s/-]+$")
_INTEGER = re.compile(r"^\d{1,3}$")
_FUSED_ID = re.compile(r"^\d+ \d+$")
_WORD = re.compile(r"[^\W\d_]{2}")  # two letters running: a word, not a glyph, page number or lone initial


@dataclass
class Row:
    cells: list[str]
    lines: list[Line]
    header: list[str]
    group: str = ""
    header_line: Line | None = None
    quality: str = "ok"

    @property
    def raw(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def written(self) -> str:
        """`label — Header: value; ...`, leaving out empty cells and cells with no header."""
        label, pairs = [], []
        for index, cell in enumerate(self.cells):
            if not cell:
                continue
            name = self.header[index] if index < len(self.header) else ""
            if name:
                pairs.append(f"{name}: {cell}")
            elif not _NUMBER.match(cell):
                label.append(cell)
        head = " ".join(label)
        body = "; ".join(pairs)
        return f"{head} — {body}" if head and body else head or body


@dataclass
class Table:
    header_line: Line | None
    header: list[str]
    rows: list[Row] = field(default_factory=list)


def is_table_line(text: str) -> bool:
    return text.count("\t") >= 2 and len([c for c in text.split("\t") if c.strip()]) >= 2


def cells_of(text: str) -> list[str]:
    return [" ".join(cell.replace("*", " ").split()) for cell in text.split("\t")]


def parse_table(lines: list[Line]) -> Table:
    """Rows of one table region (lines with blank and stray single-cell lines in between)."""
    table = Table(None, [])
    header_key: tuple[str, ...] = ()
    group = ""
    for line in lines:
        if not line.text.strip():
            continue
        cells = cells_of(line.text)
        filled = [c for c in cells if c]
        key = tuple(c.lower() for c in filled)
        if header_key and _same_header(key, header_key):
            table.header = _header_cells(cells)
            continue
        if (not table.header and len(filled) >= 3 and _wordy(filled)) or (table.rows and _new_header(filled)):
            # The first wordy line, or a line of column names under which a second table starts.
            table.header_line, table.header, header_key = line, _header_cells(cells), key
            continue
        if table.header_line is not None and not table.rows and _header_continues(cells, table.header):
            # A header printed over two lines: "March" / "'23" is one column, "March '23".
            padded = cells + [""] * (len(table.header) - len(cells))
            table.header = [f"{name} {cell}".strip() for name, cell in zip(table.header, padded, strict=True)]
            table.header_line = Line(f"{table.header_line.text}\n{line.text}", table.header_line.number)
            continue
        label = _group_label(filled)
        if label:
            group = label
            continue
        if len(filled) <= 1 and table.rows and _stray(" ".join(filled)):
            continue
        row = Row(_drop_page_numbers(cells, table.header), [line], table.header, group, table.header_line)
        if _FUSED_ID.match(row.cells[0] if row.cells else "") or _FUSED_ID.match(_id(row) or ""):
            row.quality = "low"
        if table.rows and _continues(row, table.rows[-1]):
            _merge(table.rows[-1], row)
        else:
            table.rows.append(row)
    return table


def _stray(text: str) -> bool:
    """A glyph or page number alone between rows; a short cell of words ("Actioned.", "Decision Made:") is not."""
    return len(text.split()) <= 3 and not _WORD.search(text)


def _new_header(filled: list[str]) -> bool:
    """Column names: four or more short cells of words, none a figure, a date or a rating (a KPI's short name with
    its ratings is a row: "Number of foster households | RED | RED | ↓")."""
    return (
        len(filled) >= 4
        and all(len(c.split()) <= 4 and not _NUMBER.match(c) and not find_date(c) for c in filled)
        and not any(c.lower() in rag_words() for c in filled)
        and not any(re.search(r"\d/\d", c) for c in filled)
    )


def _header_continues(cells: list[str], header: list[str]) -> bool:
    filled = [c for c in cells if c]
    return (
        not cells[0]
        and len(filled) >= 2
        and len(cells) <= len(header)
        and all(len(c.split()) <= 4 for c in filled)
        and all(header[i] for i, c in enumerate(cells) if c)
    )


def _header_cells(cells: list[str]) -> list[str]:
    return ["" if _INTEGER.match(c) else c for c in cells]


def _same_header(key: tuple[str, ...], header: tuple[str, ...]) -> bool:
    if not key:
        return False
    shared = len(set(key) & set(header))
    return shared >= 0.8 * max(len(key), len(header)) or (len(key) >= 3 and shared >= len(key) - 1 >= 2)


def _wordy(cells: list[str]) -> bool:
    return sum(not _NUMBER.match(c) for c in cells) >= 0.75 * len(cells)


def _group_label(filled: list[str]) -> str:
    """A row of a few short cells holding a date ("22 March 20" + "22"): the meeting the rows below belong to."""
    if not 1 <= len(filled) <= 3 or len(" ".join(filled).split()) > 10:
        return ""
    for joined in ("".join(filled), " ".join(filled)):
        if find_date(joined):
            return " ".join(joined.split())
    return ""


def _drop_page_numbers(cells: list[str], header: list[str]) -> list[str]:
    """A bare number in a column with no header name is a pack page number leaked into the table (trap 8)."""
    out = list(cells)
    for index, cell in enumerate(out):
        if _INTEGER.match(cell) and (index >= len(header) or not header[index]) and index < 2:
            out[index] = ""
    return out


def _id(row: Row) -> str | None:
    named = [i for i, name in enumerate(row.header) if name]
    return row.cells[named[0]] if named and named[0] < len(row.cells) else None


def _continues(row: Row, previous: Row) -> bool:
    """A line with nothing in its leading cells carries on the row above (a cell that wrapped onto a new page)."""
    lead = row.cells[: max(2, _first_named(row.header) + 1)]
    filled = [c for c in row.cells if c]
    return not any(lead) and 0 < len(filled) <= max(2, len([c for c in previous.cells if c]) // 2)


def _first_named(header: list[str]) -> int:
    return next((i for i, name in enumerate(header) if name), 0)


def _merge(previous: Row, row: Row) -> None:
    width = max(len(previous.cells), len(row.cells))
    previous.cells += [""] * (width - len(previous.cells))
    for index, cell in enumerate(row.cells):
        if cell:
            previous.cells[index] = f"{previous.cells[index]} {cell}".strip()
    previous.lines.append(row.lines[0])
