"""Ruled tables on PDF pages read as TAB-separated rows, so `tables.py` chunks them as rows under their headers.

pypdf reads a table as prose: the cells of a row come out one after another, a wrapped cell spills over several
lines and a landscape register interleaves its columns, so "the RAG rating of KPI X" falls apart into loose cells.
Here a page whose drawing has ruling lines is read again with pdfplumber: its ruled tables become one line per
row (cells joined by TABs, a cell's lines joined by spaces, an empty cell left empty so the columns stay in
place), and only the lines pypdf read inside a table's box are replaced (`pdf_placement.py`); every other line
stays as pypdf read it, in its order. A page without a table reads exactly as before.

How it was chosen, measured on Kent's papers (the Q3 performance report, the budget risk register, the family hubs
decision report), the tables checked by eye against the pages rendered as images:

- **pdfplumber's `lines` strategy** (the ruling lines make the grid) finds every ruled table there with its cells
  whole and merged header cells as spans: 154 "tables" on 54 of the report's 71 pages, of which 62 are tables
  (38 KPI boxes, 24 grids; the rest frames around charts, boxes of text, tables of two columns), the register's
  11 pages one table each, 6 tables in the decision report. Its `text` strategy (columns guessed from aligned
  words) makes one page-wide "table" of 64 of the report's pages and all 24 of the decision report's, its columns
  cutting words ("ercentage of ph"), so it is not used.
- **pypdfium2** has no table finder, and building a grid from its path objects would repeat pdfplumber's work. It
  does what it is fast at: counting a page's rulings (about 500 pages a second), so that pdfplumber, which reads
  about 5 pages a second here against pypdf's 35, reads only pages that may hold a table: 65 of the corpus's 241
  PDF pages, all 53 with a table among them.
- What the lines strategy gets wrong is put right around it: the bands of a gradient fill (dozens of stacked
  rectangles in a shaded cell, each of which would make a row) are left out of the grid, and so is text printed
  under a row and painted over (the register's "Significant Risks (over £10m)" under each page's first row); a box
  of text whose underlines make a grid cutting words in half, a table inside another, one with no row of two
  cells, and one whose first row holds values rather than names stay as pypdf read them, as do tables of two
  columns (`tables.py` needs three named columns for a header). On a rotated page the sides of a cell drawn as
  a rectangle are off by a hair, so pdfminer calls it a curve: such curves are given back to the grid as boxes.

What a table becomes:

- **Headers.** A header cell spanning columns ("RAG rating" over "Latest" and "Previous") heads the row under it
  too, and a row of units under the names ("£m") joins them: the header is one line, each column named by the
  cells above it ("RAG rating Latest"). A first row of one cell across the table is its title, a line of its own.
- **Cells.** A cell's lines are joined by spaces; an empty cell stays empty, and so do the columns a merged cell
  covers; text just under a table that one of its cells already holds (clipped from sight) is not read twice.
- **Continued tables.** A table that opens a page where the last page's table ended, with the same columns, and
  whose first row is not a header, has the last page's header line written over it, so its rows keep their
  column names (`tables.py` drops the copy of the header).
- **Direction arrows** drawn as shapes (no text) are read by their shape as ↑ → ↓ ←.
- **KPI boxes.** A box with a measure's name and its RAG word (and arrow) over a chart, and cells of
  `Label: value` pairs under it ("Latest: 97%", "Target: 97%, Floor: 90%", "Previous: 97% (Green)"), is one
  row: the name under `KPI`, the word under `RAG rating`, the arrow under `DoT` (the names the report's own
  summary tables use), then each pair's value under its label.
- **Rotated pages.** A page with `/Rotate` is read as it is shown; a table whose text is not upright that way
  is left as pypdf read it.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfplumber.utils import extract_text
from pypdf import PdfReader

from ingest.pdf_placement import replace_tables

_LABELLED = re.compile(r"([A-Z][A-Za-z]*(?: [a-z]+)*)\s*:?\s*(?=[-£$]?\d)")
_VALUE = re.compile(r"^[£$€]?-?[\d.,]+\s*(?:%|[kmb]n?)?$", re.IGNORECASE)
_RULING = 3.0  # a path at most this thick is a ruling line
_EDGE = 1.0  # positions closer than this are the same grid line
_FURNITURE = 30  # characters: more than a running header or footer holds is the page's own text


@dataclass
class _Cell:
    top: int
    left: int
    bottom: int  # exclusive
    right: int  # exclusive
    text: str = ""
    arrow: str = ""

    @property
    def shown(self) -> str:
        return " ".join(part for part in (self.text, self.arrow) if part)


@dataclass
class _Table:
    """A table found on a page: its box (as the page is shown), its lines, and what the next page may carry on."""

    bbox: tuple[float, float, float, float]
    lines: list[str]
    columns: list[float] = field(default_factory=list)
    header: str = ""
    ends_page: bool = False  # nothing but the page's furniture under it: the next page may carry it on
    printed: str = ""  # its cells' text as printed, one space apart


def read_tables(data: bytes, reader: PdfReader, pages: list[str], password: str = "") -> list[str]:
    """Each page's text with its ruled tables as TAB-separated rows; pages without tables as they were. Whatever
    goes wrong here leaves the text pypdf read: a table reader never costs a paper its text."""
    passwords = list(dict.fromkeys(["", password]))
    ruled = ruled_pages(data, passwords)
    plumber = _open(data, passwords) if ruled else None
    if plumber is None:
        return pages
    out = list(pages)
    with plumber:
        carried: _Table | None = None
        for index in range(len(pages)):
            if index not in ruled:
                carried = None
                continue
            page = plumber.pages[index]
            try:
                tables = _page_tables(page, carried)
                text = replace_tables(reader.pages[index], pages[index], tables) if tables else None
            except Exception:  # a page the table reader trips on keeps pypdf's text
                tables, text = [], None
            finally:
                page.close()  # pdfplumber keeps every page's objects until told
            if text is not None:
                out[index] = text
            carried = tables[-1] if tables and tables[-1].ends_page and tables[-1].header else None
    return out


def _open(data: bytes, passwords: list[str]) -> pdfplumber.PDF | None:
    for password in passwords:
        try:
            plumber = pdfplumber.open(io.BytesIO(data), password=password)
            len(plumber.pages)  # an encrypted file fails here, not at open
            return plumber
        except Exception:  # pdfminer raises many kinds for a file it cannot open
            continue
    return None


def ruled_pages(data: bytes, passwords: list[str]) -> set[int]:
    """The pages whose drawing has the ruling lines of a table (`_ruled`)."""
    ruled: set[int] = set()
    for password in passwords:
        try:
            document = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError:
            continue
        try:
            for index in range(len(document)):
                if _ruled(document[index]):
                    ruled.add(index)
        except pdfium.PdfiumError:
            pass  # the pages read so far stand
        finally:
            document.close()
        break
    return ruled


def _ruled(page: pdfium.PdfPage) -> bool:
    """Two horizontal rulings or more, and vertical ones at four places or more (the sides of three columns, the
    fewest `tables.py` can name); a box's sides count. A path of many segments (a grid drawn as one) is let through,
    a frame around a chart or a box of text is not."""
    across, down = 0, set()
    for path in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = path.get_bounds()
        width, height = right - left, top - bottom
        if height <= _RULING and width >= 8:
            across += 1
        elif width <= _RULING and height >= 8:
            down.add(round((left + right) / 4))  # two points apart are one place
        elif width >= 8 and height >= 8:
            if pdfium_raw.FPDFPath_CountSegments(path.raw) > 6:
                return True
            across += 2
            down |= {round(left / 2), round(right / 2)}
    return across >= 2 and len(down) >= 4


# --- finding the tables -------------------------------------------------------------------------------------------


def _page_tables(page: pdfplumber.page.Page, carried: _Table | None) -> list[_Table]:
    bands = _gradient_bands(page.rects)
    page = page.filter(lambda obj: obj.get("object_type") != "rect" or _rect_key(obj) not in bands)
    boxes = [dict(curve, object_type="rect") for curve in page.curves if _is_box(curve["pts"])]
    settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                "explicit_vertical_lines": boxes, "explicit_horizontal_lines": boxes}
    found = sorted(page.find_tables(settings), key=lambda table: table.bbox[1])
    tables = []
    for table in found:
        if any(other is not table and _inside(table.bbox, other.bbox) for other in found):
            continue  # a "table" inside another: justified text or a frame within a cell
        read = _read_table(page, table, carried if not tables else None)
        if read is not None:
            tables.append(read)
    return tables


def _gradient_bands(rects: list[dict]) -> set[tuple]:
    """Rectangles of one width stacked edge to edge, four or more: the bands that paint a gradient fill."""
    columns: dict[tuple[float, float], list[dict]] = {}
    for rect in rects:
        if rect["height"] < 8:
            columns.setdefault((round(rect["x0"]), round(rect["x1"])), []).append(rect)
    bands: set[tuple] = set()
    for stack in columns.values():
        stack.sort(key=lambda rect: rect["top"])
        run = [stack[0]]
        for rect in [*stack[1:], None]:
            if rect is not None and abs(rect["top"] - run[-1]["bottom"]) < 0.6:
                run.append(rect)
                continue
            if len(run) >= 4:
                bands.update(_rect_key(band) for band in run)
            run = [rect]
    return bands


def _is_box(points: list[tuple[float, float]]) -> bool:
    """A path drawn as a rectangle that pdfminer left a curve (on a rotated page its corners are off by a hair, so
    pdfplumber would take none of its sides for a ruling)."""
    return len(points) >= 4 and len(_positions([x for x, _ in points], 0.1)) <= 2 \
        and len(_positions([y for _, y in points], 0.1)) <= 2


def _rect_key(rect: dict) -> tuple:
    return round(rect["x0"], 2), round(rect["top"], 2), round(rect["x1"], 2), round(rect["bottom"], 2)


def _inside(inner: tuple, outer: tuple) -> bool:
    return (inner[0] >= outer[0] - 1 and inner[1] >= outer[1] - 1 and inner[2] <= outer[2] + 1
            and inner[3] <= outer[3] + 1)


def _read_table(page: pdfplumber.page.Page, table, carried: _Table | None) -> _Table | None:
    xs, ys = _positions([b[0] for b in table.cells] + [b[2] for b in table.cells]), _positions(
        [b[1] for b in table.cells] + [b[3] for b in table.cells])
    if len(xs) < 3 or len(ys) < 2:
        return None
    cells = [_Cell(_at(ys, b[1]), _at(xs, b[0]), _at(ys, b[3]), _at(xs, b[2])) for b in table.cells]
    grid = _grid(cells, len(ys) - 1, len(xs) - 1)
    chars = _unique([c for c in page.chars if _centre_in(c, table.bbox)])
    if chars and sum(c["upright"] for c in chars) < 0.8 * len(chars):
        return None  # text running sideways as the page is shown: left as pypdf read it
    number = {id(cell): index for index, cell in enumerate(cells)}
    owner = {id(char): number[id(cell)] for char in chars if (cell := _cell_at(grid, xs, ys, char)) is not None}
    hidden = _overprinted(chars, owner)
    chars = [char for char in chars if id(char) not in hidden]
    if _cuts_words(chars, owner, cells):
        return None
    inside: dict[int, list[dict]] = {}
    for char in chars:
        if id(char) in owner:
            inside.setdefault(owner[id(char)], []).append(char)
    for curve in page.curves:
        cell = _cell_at(grid, xs, ys, curve) if curve["width"] <= 20 and curve["height"] <= 20 else None
        if cell is not None and not cell.arrow:
            cell.arrow = _arrow(curve["pts"])
    for index, cell in enumerate(cells):
        cell.text = " ".join(extract_text(inside[index]).split()) if index in inside else ""
    printed = " ".join(" ".join(cell.text for cell in cells).split())
    box_lines = _kpi_box(cells, len(ys) - 1)
    if box_lines:
        return _Table(table.bbox, box_lines, printed=printed)
    above, below = _furniture(page, table.bbox)
    continued = carried is not None and above and _same_columns(carried.columns, xs)
    read = _lines(grid, cells, table.bbox, xs, carried if continued else None)
    if read is not None:
        read.ends_page, read.printed = below, printed
    return read


def _furniture(page: pdfplumber.page.Page, bbox: tuple) -> tuple[bool, bool]:
    """Whether only a running header or footer (a page number, "Appendix 1", "DRAFT") stands above the table, and
    whether only one stands below it."""
    letters = [char for char in page.chars if char["text"].strip()]
    above = sum(char["bottom"] <= bbox[1] for char in letters)
    below = sum(char["top"] >= bbox[3] for char in letters)
    return above <= _FURNITURE, below <= _FURNITURE


def _positions(values: list[float], apart: float = _EDGE) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > apart:
            out.append(value)
    return out


def _at(positions: list[float], value: float) -> int:
    return min(range(len(positions)), key=lambda index: abs(positions[index] - value))


def _cell_at(grid: list[list[_Cell | None]], xs: list[float], ys: list[float], obj: dict) -> _Cell | None:
    """The cell an object's centre falls in."""
    column = bisect.bisect(xs, (obj["x0"] + obj["x1"]) / 2) - 1
    row = bisect.bisect(ys, (obj["top"] + obj["bottom"]) / 2) - 1
    return grid[row][column] if 0 <= row < len(grid) and 0 <= column < len(grid[row]) else None


def _centre_in(obj: dict, box: tuple) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _unique(chars: list[dict]) -> list[dict]:
    """Each character once: a word printed twice on the spot (a bold effect) is read once."""
    seen: set[tuple] = set()
    out = []
    for char in chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key not in seen:
            seen.add(key)
            out.append(char)
    return out


def _runs(chars: list[dict], owner: dict[int, int]) -> list[list[dict]]:
    """Runs of text as it was drawn: characters on one line, of one size, each within an em of the one before, and
    in the same cell unless nothing parts them (the cells of a row are often drawn as one line of text)."""
    runs: list[list[dict]] = []
    for char in chars:
        last = runs[-1][-1] if runs else None
        if last is not None and abs(char["top"] - last["top"]) < 0.5 and char["size"] == last["size"] \
                and last["x0"] - 1 <= char["x0"] <= last["x1"] + char["size"] \
                and (owner.get(id(char)) == owner.get(id(last)) or char["x0"] - last["x1"] < 0.15 * char["size"]):
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def _overprinted(chars: list[dict], owner: dict[int, int]) -> set[int]:
    """Characters of a run that crosses from one cell into another and lies on other text: printed, then painted
    over (no cell's text crosses its border)."""
    hidden: set[int] = set()
    runs = _runs(chars, owner)
    for run in runs:
        if len({owner.get(id(char)) for char in run}) < 2:
            continue
        mine = {id(char) for char in run}
        box = {"x0": min(c["x0"] for c in run), "x1": max(c["x1"] for c in run), "width": 0,
               "top": min(c["top"] for c in run), "bottom": max(c["bottom"] for c in run), "height": 0}
        near = [other for other in chars if id(other) not in mine and _overlap(box, other)]
        if any(_overlap(char, other) for char in run for other in near):
            hidden |= mine
    return hidden


def _overlap(a: dict, b: dict) -> bool:
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > 0.3 * min(a["width"], b["width"]) and height > 0.3 * min(a["height"], b["height"])


def _cuts_words(chars: list[dict], owner: dict[int, int], cells: list[_Cell]) -> bool:
    """Whether the grid cuts a word in two: letters run on across a cell border with no space between them."""
    for run in _runs(chars, owner):
        for a, b in itertools.pairwise(run):
            left, right = owner.get(id(a)), owner.get(id(b))
            if left is None or right is None or left == right or not a["text"].strip() or not b["text"].strip():
                continue
            if b["x0"] - a["x1"] < 0.15 * a["size"] and cells[left].right <= cells[right].left:
                return True
    return False


def _arrow(points: list[tuple[float, float]]) -> str:
    """The way a drawn arrow points: along the axis where one end is a point (its tip) and the other an edge (the
    end of its shaft); nothing for a shape that is no arrow."""
    if len(points) < 5:
        return ""
    for axis, (low, high) in ((0, ("←", "→")), (1, ("↑", "↓"))):
        ends = []
        for extreme in (min, max):
            edge = extreme(point[axis] for point in points)
            across = [point[1 - axis] for point in points if abs(point[axis] - edge) < 0.6]
            ends.append(max(across) - min(across))
        if ends[0] < 0.5 <= 1.0 <= ends[1]:
            return low
        if ends[1] < 0.5 <= 1.0 <= ends[0]:
            return high
    return ""


# --- writing the rows -----------------------------------------------------------------------------------------------


def _grid(cells: list[_Cell], rows: int, columns: int) -> list[list[_Cell | None]]:
    grid: list[list[_Cell | None]] = [[None] * columns for _ in range(rows)]
    for cell in cells:
        for row in range(cell.top, max(cell.bottom, cell.top + 1)):
            for column in range(cell.left, max(cell.right, cell.left + 1)):
                grid[row][column] = cell
    return grid


def _kpi_box(cells: list[_Cell], rows: int) -> list[str]:
    """A KPI box as a header and one row; nothing when the cells are not one (see the module's docstring)."""
    filled = [cell for cell in cells if cell.text]
    first = sorted((cell for cell in filled if cell.top == 0), key=lambda cell: cell.left)
    last_row = max((cell.top for cell in filled), default=0)
    values = sorted((cell for cell in filled if cell.top == last_row), key=lambda cell: cell.left)
    if rows < 2 or last_row == 0 or not 1 <= len(first) <= 2 or len(values) < 2:
        return []
    if any(0 < cell.top < last_row for cell in filled):
        return []
    pairs = [pair for cell in values for pair in _pairs(cell.text)]
    if len(pairs) < 2 or any(not _pairs(cell.text) for cell in values):
        return []
    name = first[0]
    status = first[1] if len(first) == 2 else next((c for c in cells if c.top == 0 and c is not name), None)
    if len(name.text.split()) < 2 or (status is not None and len(status.text.split()) > 2):
        return []
    header = ["KPI", "RAG rating", "DoT", *(label for label, _ in pairs)]
    row = [name.text, status.text if status else "", status.arrow if status else "", *(value for _, value in pairs)]
    return ["\t".join(header), "\t".join(row)]


def _pairs(text: str) -> list[tuple[str, str]]:
    """`Latest: 97%`, `Target: 97%, Floor: 90%`, `Target:180 Floor: 240` as (label, value) pairs."""
    found = list(_LABELLED.finditer(text))
    if not found or text[: found[0].start()].strip():
        return []
    pairs = []
    for match, following in zip(found, [*found[1:], None], strict=True):
        value = text[match.end(): following.start() if following else len(text)].strip(" ,;")
        pairs.append((match.group(1), value))
    return pairs


def _lines(grid: list[list[_Cell | None]], cells: list[_Cell], bbox: tuple, xs: list[float],
           carried: _Table | None) -> _Table | None:
    used = [column for column in range(len(xs) - 1) if any(row[column] and row[column].shown for row in grid)]
    if len(used) < 3:
        return None  # two columns or fewer: `tables.py` cannot name them, so the text stays prose
    titles, top = [], 0
    while top < len(grid) and _spans_all(grid[top], used):
        titles.append(grid[top][used[0]].shown)
        top += 1
    depth = 1
    while top + depth < len(grid) and any(cell.top == top + depth - 1 and cell.right - cell.left > 1 for cell in
                                          cells if cell.text):
        depth += 1
    while top + depth + 1 < len(grid) and _units(grid[top + depth], grid[top: top + depth], used, top + depth):
        depth += 1  # "£m" under "Estimated Annual Financial Exposure": one column, "… Exposure £m"
    body = [row for row in grid[top:] if any(cell and cell.shown for cell in row)]
    if not body:
        return None
    header_rows = grid[top: top + depth]
    header = [_column_name(header_rows, column) for column in used]
    if carried is not None and depth == 1 and not _looks_like(header, carried.header):
        rows = [[_own(row, column) for column in used] for row in grid[top:]]
        lines = [carried.header, *("\t".join(row) for row in rows if any(row))]
        return _Table(bbox, [*titles, *lines], xs, carried.header)
    if len(body) - depth < 1 or not _names(header):
        return None  # no header of names over the rows (the first row holds totals): left as pypdf read it
    rows = [[_own(row, column, top + depth) for column in used] for row in grid[top + depth:]]
    if not any(sum(map(bool, row)) >= 2 for row in rows):
        return None  # a box of text under a title whose words the grid split: no row of two cells
    header_line = "\t".join(header)
    lines = [*titles, header_line, *("\t".join(row) for row in rows if any(row))]
    return _Table(bbox, lines, xs, header_line)


def _units(row: list[_Cell | None], above: list[list[_Cell | None]], used: list[int], below: int) -> bool:
    """A row of short words, not figures, under named columns only and not in the first: the second line of a
    header (its units)."""
    cells = {column: _own(row, column, below) for column in used}
    filled = [column for column, text in cells.items() if text]
    return bool(filled) and not cells[used[0]] and all(
        len(cells[column].split()) <= 2 and not _VALUE.match(cells[column]) and _column_name(above, column)
        for column in filled)


def _names(header: list[str]) -> bool:
    """A header `tables.py` takes for one: three names or more, nearly all of them words rather than values."""
    named = [name for name in header if name]
    return len(named) >= 3 and sum(not _VALUE.match(name) for name in named) >= 0.75 * len(named)


def _spans_all(row: list[_Cell | None], used: list[int]) -> bool:
    cell = row[used[0]]
    return cell is not None and bool(cell.text) and all(row[column] is cell for column in used) and len(used) > 1


def _column_name(rows: list[list[_Cell | None]], column: int) -> str:
    names: list[str] = []
    for row in rows:
        cell = row[column]
        if cell is not None and cell.shown and (not names or names[-1] != cell.shown):
            names.append(cell.shown)
    return " ".join(names)


def _own(row: list[_Cell | None], column: int, below: int = 0) -> str:
    """A cell's text in the column it starts in; the columns a merged cell covers stay empty, and so do the rows a
    header cell reaches down into (rows from `below` on are the body): "KPI Summary" beside its row of counts."""
    cell = row[column]
    if cell is None or (cell.left != column and row[column - 1] is cell) or cell.top < below:
        return ""
    return cell.shown.replace("\t", " ")


def _same_columns(columns: list[float], xs: list[float]) -> bool:
    return len(columns) == len(xs) and all(abs(a - b) <= 3 for a, b in zip(columns, xs, strict=True))


def _looks_like(header: list[str], line: str) -> bool:
    named = [cell for cell in line.split("\t") if cell]
    return bool(named) and sum(cell in named for cell in header if cell) >= 0.8 * len(named)
