"""Actions out of a paper's chunks: the rows of action sheets and trackers, and the sentences minutes flag.

An action sheet prints its actions as text that the PDF-to-text layout cuts into lines and cells: a cell of its
action column may hold several actions, each opened by the template's words ("Decision Made:") and followed by
the line saying where it stands ("Action – Officers aware", "Actioned."); the heading of the item that raised them
wraps over lines beside them; the date of the meeting that raised them stands in a row of its own, cut across
cells ("21 Novem", "nber 2023"). So a sheet is read as one stream, line by line across its chunks, rather than row
by row. A tracker (an improvement plan, an action log) is a table whose headings name a column of actions and
another of owner, deadline, status or progress: each row is an action. Minutes flag a sentence as an action
("… shared for information. ACTION – add to the action sheet"). What a template prints comes from the profile the
paper matches (`[actions]` in ingest/profiles/*.toml); statuses are kept as printed.

An action's `minute` is the minute that raised it as the paper names it: in minutes, the minute's number and title
("82. Full ILACS … report"); on a sheet, the heading of the item in whose row it stands (the sheet's "Minute number"
column is left empty). `ingest/timelines.py` compares these headings to tell one action from another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ingest.dates import MONTHS, find_date, full_year, month_years
from ingest.model import Chunk, Line, Paper
from ingest.profiles import Actions, Profiles, pick
from ingest.records import ACTION, Record
from ingest.sentences import sentences
from ingest.tables import cells_of, parse_table

_MINUTES = ("minutes", "web_minutes")
_WORD = re.compile(r"[^\W\d_]{2}")  # a cell with no two letters running is a glyph or a page number
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]{3,})\.?,?\s*(\d{4}|\d{2})?\b")
_DATE_CELL = re.compile(rf"\s*{_DAY_MONTH.pattern}\s*")
_MONTH_NAMES = [name for name in MONTHS if len(name) > 3 or name == "may"]
_SUBJECT = re.compile(r"^(?:For |The )?((?:[A-Z][\w'’]*|of|and)(?: (?:[A-Z][\w'’]*|of|and)){0,4}) (?:to|would) \w")
_NUMERIC_DAY = re.compile(r"\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b")  # "31/06/24": printed as a date, if none
_NAME = re.compile(r"^[A-Z][\w'’.]*(?: (?:[A-Z(][\w'’.()]*|and))*$")


def extract(paper: Paper, profiles: Profiles | None = None) -> list[Record]:
    """Every action the paper prints, each with the position of the chunk that prints it, in the paper's order.
    The words its template prints come from the profile its text matches (of the shipped ones unless given)."""
    words = pick((Line(chunk.text, number) for number, chunk in enumerate(paper.chunks)), profiles).actions
    records: list[Record] = []
    for number, document in enumerate(paper.documents):
        positions = [position for position, chunk in enumerate(paper.chunks) if chunk.document == number]
        trackers = [position for position in positions if _tracker_header(paper.chunks[position], words)]
        records += [record for position in trackers for record in _tracker_rows(paper.chunks[position], position,
                                                                                  words)]
        if document.kind == "action_sheet":
            sheet = _Sheet(words)
            sheet.read([(position, paper.chunks[position]) for position in positions if position not in trackers])
            records += sheet.records()
        elif document.kind in _MINUTES:
            raised = document.original_date or paper.meeting.date
            records += _flagged(paper.chunks, positions, words, raised)
    return sorted(records, key=lambda record: record.chunk)


def printed_at(paper: Paper, record: Record) -> str | None:
    """The meeting as of which the record says where its action stands: for a flag in minutes the meeting minuted
    (the minutes of 22 March 2022 in the pack for 3 May 2022 say what 22 March 2022 asked), else the meeting whose
    papers print it. This is the date `ingest.timelines.link` orders an action's statuses by."""
    document = paper.documents[paper.chunks[record.chunk].document]
    if document.kind in _MINUTES:
        return document.original_date or paper.meeting.date
    return paper.meeting.date


# Action sheets


@dataclass
class _Action:
    item: list[str]  # the heading of the item that raised it, shared with its neighbours while the heading wraps
    raised: str | None
    chunk: int
    text: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)

    def add(self, text: str, position: int) -> None:
        """More of its text; it is cited from the chunk its text starts in (an opener may end the chunk before)."""
        if not "".join(self.text).strip():
            self.chunk = position
        self.text.append(text)


class _Sheet:
    """An action sheet read as one stream of lines: meeting dates, item headings, actions and their statuses."""

    def __init__(self, words: Actions):
        self.words = words
        self.header: tuple[str, ...] | None = None
        self.raised: str | None = None  # the meeting that raised the item being read
        self.pending: str | None = None  # a meeting date read, for the next item
        self.item: list[str] | None = None
        self.item_on_last_line = False
        self.action_column: int | None = None  # where the last line printed the action column
        self.current: _Action | None = None
        self.actions: list[_Action] = []

    def read(self, chunks: list[tuple[int, Chunk]]) -> None:
        """The chunks in order. Each table chunk repeats its group label and header line (the reader's context for
        a row read alone); those repeats are skipped, as are prose chunks before the first table (the title)."""
        heads: list[str] = []
        for position, chunk in chunks:
            if chunk.kind != "table_rows" and self.header is None:
                continue
            lines = [line for line in chunk.text.split("\n") if line.strip()]
            for index, line in enumerate(lines):
                if index < 2 and line in heads and (self._label(line) or len(_filled(line)) >= 3):
                    continue
                self.line(line, position)
            if chunk.kind == "table_rows":
                heads = lines[:2]

    def records(self) -> list[Record]:
        out = []
        for action in self.actions:
            text, status = _joined(action.text), _joined(action.status)
            if not text:
                continue
            fields = {"owner": _owner(status, text), "deadline": None, "status": status, "progress": None,
                      "raised": action.raised, "minute": _joined(action.item)}
            out.append(Record(ACTION, action.chunk, text, fields))
        return out

    def line(self, text: str, position: int) -> None:
        """One line: the header, a meeting date, or cells. Of the cells, the action column is the first holding an
        opener or a status; with neither, the one where the line above had it (columns shift as the layout drops
        empty leading cells, so a position holds only from one line to the next); cells before it are the item's
        heading, cells after it (benefit, outcome) are left. A lone cell is the action's text wrapping, unless it
        stands in the first column: then it is a heading."""
        filled = [(column, cell) for column, cell in enumerate(cells_of(text)) if cell]
        key = tuple(cell.casefold() for _, cell in filled)
        if self.header is None and self._is_header(filled):
            self.header = key
            return
        if key == self.header:
            return
        if self._label(text):
            self.pending = self._date(text)
            self.item_on_last_line = False
            return
        dated = False
        for _, cell in filled:
            if _DATE_CELL.fullmatch(cell) and (day := self._date(cell)):
                self.pending, dated = day, True
        content = [(column, cell) for column, cell in filled if _WORD.search(cell) and not _DATE_CELL.fullmatch(cell)]
        if not content:
            return
        marked = next((index for index, (_, cell) in enumerate(content) if self._marked(cell)), None)
        if marked is not None:
            at: int | None = marked
        elif len(content) == 1:
            at = None if content[0][0] == 0 else 0
        else:
            at = next((index for index, (column, _) in enumerate(content) if column == self.action_column), 1)
        headings = [cell for _, cell in (content[:at] if at is not None else content)]
        cell = content[at][1] if at is not None else ""
        if headings:
            opens = bool(cell) and self._opens_with_marker(cell)
            self._heading(headings, new=dated or opens or not self.item_on_last_line or self.item is None)
        self.item_on_last_line = bool(headings)
        if at is not None:
            self.action_column = content[at][0]
            self._read(cell, position)

    def _heading(self, cells: list[str], new: bool) -> None:
        if new:
            self.item = []
            if self.pending:
                self.raised, self.pending = self.pending, None
        assert self.item is not None
        self.item.extend(cells)

    def _read(self, cell: str, position: int) -> None:
        """An action cell: text carries on what the line above left open; each opener starts an action and each
        status line closes the one being read (or, when none is open, is an action of its own)."""
        markers = sorted([(m.start(), m.end(), "open") for p in self.words.opens for m in p.finditer(cell)]
                         + [(m.start(), m.end(), "status") for p in self.words.status for m in p.finditer(cell)])
        self._carry_on(cell[: markers[0][0]] if markers else cell, position)
        for index, (start, end, kind) in enumerate(markers):
            stop = markers[index + 1][0] if index + 1 < len(markers) else len(cell)
            if kind == "open":
                self._new(position).add(cell[end:stop], position)
            elif self.current is not None and self.current.text and not self.current.status:
                self.current.status.append(cell[start:stop])
            else:
                action = self._new(position)
                action.add(cell[start:stop], position)
                action.status.append(cell[start:stop])

    def _carry_on(self, text: str, position: int) -> None:
        """Text before any marker: the action's own text wrapping, or its status cut mid-sentence; after a status
        that ended its sentence, an action printed without an opener."""
        if not text.strip():
            return
        current = self.current
        if current is None or _ends_sentence(_joined(current.status) or ""):
            current = self._new(position)
        if current.status:
            current.status.append(text)
        else:
            current.add(text, position)

    def _new(self, position: int) -> _Action:
        if self.item is None:
            self._heading([], new=True)
        assert self.item is not None
        self.current = _Action(self.item, self.raised, position)
        self.actions.append(self.current)
        return self.current

    def _is_header(self, filled: list[tuple[int, str]]) -> bool:
        cells = [cell for _, cell in filled]
        return len(cells) >= 3 and "action" in _roles(cells, self.words) and not any(map(self._marked, cells))

    def _label(self, text: str) -> bool:
        """A row of its own giving the meeting that raised the rows under it ("Actions arising from Committee
        meeting: 28 July 2020", "22 March / 2022")."""
        cells = _filled(text)
        joined = " ".join(cells)
        return (1 <= len(cells) <= 3 and len(joined.split()) <= 10 and not self._marked(joined)
                and self._date(text) is not None)

    def _date(self, text: str) -> str | None:
        """The date a group row prints, read through the cuts of its cells ("8 June 20|21" is 8 June 2021, "21
        Novem|nber 2023" 21 November 2023); a year cut short ("26 July 20") is the first that keeps the sheet's
        meetings in order after the one before."""
        for joined in ("".join(text.split("\t")), text):
            day = find_date(joined) or self._cut_date(joined)
            if day:
                return day
        return None

    def _cut_date(self, text: str) -> str | None:
        match = _DAY_MONTH.search(text)
        month = _month(match.group(2)) if match else None
        if match is None or month is None:
            return None
        day, printed = int(match.group(1)), match.group(3) or ""
        if len(printed) == 4:
            return _iso(int(printed), month, day)
        after = self.pending or self.raised
        years = [full_year(printed)] if printed else []
        if after:
            years += [int(after[:4]), int(after[:4]) + 1]
        return next((iso for year in years if (iso := _iso(year, month, day)) and (not after or iso >= after)), None)

    def _marked(self, text: str) -> bool:
        return any(p.search(text) for p in (*self.words.opens, *self.words.status))

    def _opens_with_marker(self, text: str) -> bool:
        return any(p.match(text.strip()) for p in (*self.words.opens, *self.words.status))


def _month(word: str) -> int | None:
    """A month however a cut cell spells it: its first letters (up to five) are the month's ("Novemnber", "Sept")."""
    head = word.lower()[:5]
    return next((MONTHS[name] for name in _MONTH_NAMES if name.startswith(head)), None) if len(head) >= 3 else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _filled(text: str) -> list[str]:
    return [cell for cell in cells_of(text) if cell]


def _joined(parts: list[str]) -> str | None:
    text = " ".join(" ".join(parts).split())
    return text or None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))


def _owner(status: str | None, text: str) -> str | None:
    """Who the status line names ("Action – Officers aware – Tanya Smith", "Action – Chair to progress."), else
    who the action's own words give it to ("The Virtual Headteacher to contact …")."""
    parts = [part.strip(" .") for part in re.split(r"\s[–-]\s?|\s?[–-]\s", status or "")[1:]]
    for part in reversed(parts):
        if _NAME.match(part) and len(part.split()) <= 6:
            return part
    for phrase in (*parts, text):
        subject = _SUBJECT.match(phrase)
        if subject and not subject.group(1).split()[0].endswith("ed"):  # "Emailed Jane White to …" says what was done
            return subject.group(1)
    return None


# Trackers


def _roles(cells: list[str], words: Actions) -> dict[str, int]:
    """Which column holds what, from the first words of its heading; a role goes to its first column."""
    found: dict[str, int] = {}
    for column, cell in enumerate(cells):
        head = re.findall(r"[^\W\d_]+", cell.casefold())[:3]
        lead = " ".join(head)
        for role, names in words.columns.items():
            if role not in found and any(lead == n or lead.startswith(f"{n} ") or n in head for n in names):
                found[role] = column
                break
    return found


def _is_tracker(roles: dict[str, int]) -> bool:
    """A column of actions beside one saying who, when or where it stands (a minute or item column alone does
    not make a tracker: an action sheet has those too)."""
    return "action" in roles and bool(roles.keys() & {"owner", "deadline", "status", "progress"})


def _tracker_header(chunk: Chunk, words: Actions) -> bool:
    return chunk.kind == "table_rows" and any(
        _is_tracker(_roles(cells_of(line), words)) for line in chunk.text.split("\n")[:2])


def _tracker_rows(chunk: Chunk, position: int, words: Actions) -> list[Record]:
    """Each row of a tracker chunk (the reader's own table parse of its text), its cells put under the headings
    (`_aligned`)."""
    table = parse_table([Line(text, number) for number, text in enumerate(chunk.text.split("\n"))])
    header = table.header
    roles = _roles(header, words)
    if not _is_tracker(roles):
        return []
    out = []
    for row in table.rows:
        row_roles = _roles(row.cells, words)
        if _is_tracker(row_roles):
            continue  # a copy of the header the reader took for a row
        cells = _aligned(row.cells, header, roles)
        action = _cell(cells, roles, "action")
        if action:
            fields = {role: _cell(cells, roles, role) for role in ("owner", "deadline", "status", "progress")}
            minute = " ".join(part for part in (_number(cells, roles),
                                                _cell(cells, roles, "item")) if part) or None
            out.append(Record(ACTION, position, action, {**fields, "raised": find_date(row.group), "minute": minute}))
    return out


def _number(cells: list[str], roles: dict[str, int]) -> str | None:
    """A minute number under the minute heading (`_cell` wants words; a number is what this column holds)."""
    column = roles.get("minute")
    value = cells[column].strip() if column is not None and column < len(cells) else ""
    return value or None


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str | None:
    """The cell under a role's heading as printed; None when empty or a glyph (a RAG colour the text lost)."""
    column = roles.get(role)
    value = cells[column] if column is not None and column < len(cells) else ""
    return value if _WORD.search(value) or (role == "deadline" and value) else None


def _aligned(cells: list[str], header: list[str], roles: dict[str, int]) -> list[str]:
    """The row's cells under the header's columns. The layout adds or drops cells on a row's left (a leaked page
    number, an empty first column, an "N | O" heading cut in two), so a row may sit a cell or two off its header:
    the offset is the one that puts a date under the deadline heading; with no date to go by, a row as long as the
    header sits under it, a shorter or longer one is lined up from the right."""
    width = len(_trimmed(header))
    deadline = roles.get("deadline")
    if deadline is not None:
        for offset in (0, 1, -1, 2, -2):
            if 0 <= deadline + offset < len(cells) and _dated(cells[deadline + offset]):
                return [cells[i + offset] if 0 <= i + offset < len(cells) else "" for i in range(width)]
    if len(cells) == len(header):
        return cells
    row = _trimmed(cells)
    return [""] * (width - len(row)) + row if width >= len(row) else row[len(row) - width:]


def _dated(cell: str) -> bool:
    """A deadline's cell: a few words holding a date ("1/10/22", "July 2022", "Review September 22")."""
    return len(cell.split()) <= 4 and bool(find_date(cell) or month_years(cell) or _NUMERIC_DAY.search(cell))


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# Flags in minutes


def _flagged(chunks: list[Chunk], positions: list[int], words: Actions, raised: str | None) -> list[Record]:
    """Each sentence of minutes followed by a flag: the flag is kept as its status, as printed. A minute split
    over chunks repeats its lead line in each part; the repeat is not read twice."""
    out = []
    lead = ""
    for position in positions:
        chunk = chunks[position]
        lines = chunk.text.split("\n")
        start = 1 if lines and lines[0] == lead and chunk.kind != "table_rows" else 0
        lead = lines[0] if lines else ""
        before = ""
        for line in lines[start:]:
            for sentence, flag in _flags_in(line, words):
                said = sentence or before
                if said:
                    fields = {"owner": None, "deadline": None, "status": flag, "progress": None, "raised": raised,
                              "minute": chunk.section or None}
                    out.append(Record(ACTION, position, said, fields))
            pieces = sentences(_plain(line))
            before = pieces[-1] if pieces else before
    return out


def _flags_in(line: str, words: Actions) -> list[tuple[str, str]]:
    """(the sentence flagged, the flag as printed) for each flag in the line; the sentence is "" when the flag
    opens the line (it flags the last sentence of the line above)."""
    out, done = [], 0
    for start in sorted({match.start() for pattern in words.flags for match in pattern.finditer(line)}):
        if start < done:
            continue
        printed = line[start:].split("**")[0]
        flag = sentences(_plain(printed))[0]
        said = sentences(_plain(line[done:start]))
        out.append((said[-1] if said else "", flag))
        done = start + len(printed)
    return out


def _plain(text: str) -> str:
    """Text without markdown emphasis and the bullet before it."""
    text = " ".join(text.replace("**", " ").split())
    return re.sub(r"^(?:[-–•●▪]\s*)+", "", text).strip()
