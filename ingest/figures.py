"""Figures: a measure's value for a period, read from the KPI tables, KPI boxes and sentences that print one.

What counts as a figure (precision first: a number that is not a figure is worse than a figure missed):

- **Table rows.** A table is a KPI table when its headers (`figure_columns` in the profiles: general words in
  `default`, a template's own in its file) name a column of values for a period ("Mar-24", "Quarter 3, 2024/25",
  "Current Month Performance - Mar 24"; `periods.py`) or for the paper's period ("Latest"), and the row's measure
  comes from a column named as the measure ("KPI", "Indicator") or from the row's own label in a table that also
  states a target, a comparator, a RAG rating or a direction of travel (a table of budgets by year states none).
  Each figure-valued cell under such a column is one figure, with the row's target, comparators and RAG. A column
  headed by a dated day (a meeting date leaking into a header) is no period. When the text layer broke a table's
  header, a line of it that reads as a KPI header heads the rows under it and the rows of the table's next chunks.
- **KPI boxes.** Lines of `Label: figure` pairs with a value label ("Latest: 34% Target: 60%, Floor: 55% Previous:
  26% (Red)"), under the lines naming the measure and its RAG word; "Latest" is for the period the paper's
  opening names ("Quarter 3 2024/25"), "Previous" for the one before.
- **Sentences** (prose, minutes, and the text cells of other tables) that state a percentage, or after "is", "was",
  "rose to"… a number a measure noun leads ("the number of…", "the rate of…"), for a period the sentence names
  next to the value or before it: "Current assessment timeliness is 54.2% (March 2025)", "In Quarter 3, 4% of
  contacts were…", "rising from 70% in September 2023 to 86% in March 2024". Not figures: changes ("a 6%
  decrease", "increased by 4%"), targets, floors and comparators (kept as the figure's own `target` and
  `comparator`), values compared against ("compared to 23.4%"), sums of money (a budget line is no measure of
  performance), a measure that is a pronoun ("this measure"), and a sentence naming no period.

A figure is a single number with an optional unit and bracketed note ("1.2% (From Jan 23-Aug 23 = 0%)", "278 (Dec
23)", whose bracketed period is its own): "TBC", "n/a", "6-7mths" and cells where the text layer fused two values
("3949 4.4%") are not. Page numbers, paragraph numbers, dates, phone numbers and references are never read: a
table's figure sits under a period or value header, a sentence's after a measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.figure_sentences import sentence_figures
from ingest.figure_text import FIGURE_TEXT, NUMBER, clean_measure, comparator_words, figure_record, read_cell
from ingest.model import Chunk, Line, Paper
from ingest.periods import Period, find_periods, previous, sort_key
from ingest.profiles import figure_columns, rag_words
from ingest.records import Record
from ingest.sentences import paragraphs
from ingest.tables import cells_of, is_table_line, parse_table

_SEVERAL_NUMBERS = re.compile(r"^\d{1,3}(?:\s+\d{1,3})+$")
_NO_DATA = re.compile(r"^(?:n/?a|tbc|tbd|-|–|none|nil|not avail\w*|awaiting data)?$", re.IGNORECASE)
# The name of a second measure inside one cell: the text layer joined a wrapped cell to the row above.
_SECOND_MEASURE = re.compile(r"(?<=[\w)])\s+(?=(?:%|No\.?|Number|Percentage|Proportion) of\b)")
_MEASURE_OPENING = re.compile(r"(?:%|No\.?|Number|Percentage|Proportion|Rate|Average|Total)\s+of\b")


@dataclass(frozen=True)
class Series:
    """One measure across meetings and papers: the name its newest figure prints, and its figures with the date of
    the meeting each was printed for, ordered by period (figures with no period read, by meeting)."""

    measure: str
    points: tuple[tuple[str, Record], ...]


@dataclass(frozen=True)
class _Column:
    """What a table's column holds, by its header: a role from `figure_columns`, or `period` with the period."""

    name: str
    role: str
    period: Period | None = None
    over: str = ""  # a comparator's first header line, when its second line headed this column


@dataclass
class _Context:
    """What every figure of a paper may need: the column roles' words, the RAG words, each document's reporting
    period, and the role of each header already read."""

    roles: dict[str, tuple[str, ...]]
    rag_words: frozenset[str]
    periods: dict[int, Period | None] = field(default_factory=dict)
    columns: dict[str, _Column] = field(default_factory=dict)

    def words(self, role: str) -> re.Pattern[str]:
        """A role's header words and phrases, each whole, as one pattern."""
        return _role_pattern(self.roles[role])


@lru_cache
def _role_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b") if words else re.compile("(?!)")


def extract(paper: Paper) -> list[Record]:
    """The figures a paper prints, in the order of its chunks; `chunk` is the position in `paper.chunks`."""
    context = _Context(figure_columns(), rag_words())
    for chunk in paper.chunks:
        if chunk.document not in context.periods:
            context.periods[chunk.document] = _opening_period(chunk)
    records: list[Record] = []
    records += _table_figures(paper.chunks, context)
    for position, chunk in enumerate(paper.chunks):
        if chunk.fields_text or chunk.kind == "agenda":
            continue
        lines = chunk.text.split("\n")
        boxes, used = _boxes(position, chunk, lines, context)
        records += boxes
        prose = ["" if index in used or is_table_line(line) else line for index, line in enumerate(lines)]
        for paragraph in paragraphs(prose):
            records += sentence_figures(position, paragraph)
    return _unique(sorted(records, key=lambda record: record.chunk))


def series(figures: list[tuple[str, Record]], threshold: float = 0.85) -> list[Series]:
    """Figures of the same measure as one series each: two measures are the same when the Jaccard overlap of their
    key words (`measure_words`: case, punctuation, stop words, plurals and the usual abbreviations aside) is at
    least `threshold`. 0.85 joins "No. of EHC plans … (excl. …)" to "Number of EHC plans … (exc. …)" but keeps
    "… - Primary age" and "… – Secondary age" apart (8 of 10 words shared). A figure joins the series it
    overlaps most; a series prints its newest figure's measure."""
    groups: list[tuple[frozenset[str], list[tuple[str, Record]]]] = []
    for meeting, record in sorted(figures, key=lambda item: item[0] or "", reverse=True):
        words = measure_words(str(record.fields.get("measure") or ""))
        if not words:
            continue
        scored = [(_jaccard(words, key), index) for index, (key, _) in enumerate(groups)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= threshold:
            groups[best[1]][1].append((meeting, record))
        else:
            groups.append((words, [(meeting, record)]))
    return [Series(str(points[0][1].fields["measure"]), tuple(_ordered(points))) for _, points in groups]


def measure_words(measure: str) -> frozenset[str]:
    """A measure's key words: lower case, "%" and "percentage" one word, "No." and "number" one, "excl."/"exc."
    and "excluding" one, "inc."/"incl." and "including" one, plurals singular, stop words left out."""
    text = measure.lower().replace("%", " percentage ").replace("per cent", " percentage ")
    words = re.findall(r"[a-z0-9]+", re.sub(r"\bno\.|\bno\b(?= of)", " number ", text))
    out = set()
    for word in words:
        word = _SYNONYMS.get(word, word)
        if word in _STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


_SYNONYMS = {"exc": "excluding", "excl": "excluding", "inc": "including", "incl": "including", "wks": "weeks",
             "wk": "weeks", "yp": "young", "percent": "percentage"}
_STOP_WORDS = frozenset(["a", "an", "and", "are", "as", "at", "be", "been", "being", "by", "for", "from", "has",
                        "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "to",
                        "was", "were", "which", "who", "with", "within"])


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    return len(left & right) / len(left | right) if left | right else 0.0


def _ordered(points: list[tuple[str, Record]]) -> list[tuple[str, Record]]:
    """By period then meeting; the same value for the same period printed again (a table reprinted in a later
    pack) is kept once, from the newest meeting."""
    seen, kept = set(), []
    for meeting, record in points:  # newest meeting first
        key = (record.fields.get("period_normalised"), record.fields.get("value"))
        if key[0] and key in seen:
            continue
        seen.add(key)
        kept.append((meeting, record))
    return sorted(kept, key=lambda item: (sort_key(item[1].fields.get("period_normalised")) or (9999, 99, 99),
                                          item[0] or ""))


# --- tables -------------------------------------------------------------------------------------------------------


def _table_figures(chunks: list[Chunk], context: _Context) -> list[Record]:
    """Figures of every KPI table: from the rows the chunker wrote out, or, where the text layer broke the header,
    from the chunk's lines under a line that reads as a KPI header (carried to the table's next chunks)."""
    records: list[Record] = []
    carried: dict[tuple[int, str], str] = {}  # (document, a table chunk's first line) -> the KPI header under it
    for position, chunk in enumerate(chunks):
        if not chunk.fields_text:
            continue
        lines = chunk.text.split("\n")
        group = lines[0] if all(row.startswith(f"{lines[0]}: ") for row in chunk.fields_text.split("\n")) else ""
        written = [row[len(group) + 2:] if group else row for row in chunk.fields_text.split("\n")]
        found = _rows_figures(position, written, chunk, context)
        if found is not None:
            records += found
            continue
        key = (chunk.document, lines[0])
        header, segment = carried.get(key), []
        for line in lines[1:]:
            if _is_kpi_header(line, context):
                records += _segment_figures(position, header, segment, chunk, context)
                header, segment, carried[key] = line, [], line
            else:
                segment.append(line)
        records += _segment_figures(position, header, segment, chunk, context)
        if header is None:  # no KPI table: its text cells may state figures ("… is 54.2% (March 2025)")
            for _, pairs in map(_split_row, written):
                for name, value in pairs:
                    own = value[len(name):] if name and value.lower().startswith(name.lower()) else value
                    records += sentence_figures(position, own)
    return records


def _segment_figures(position: int, header: str | None, lines: list[str], chunk: Chunk,
                     context: _Context) -> list[Record]:
    if not header or not lines:
        return []
    table = parse_table([Line(text, number) for number, text in enumerate([header, *lines], 1)])
    return _rows_figures(position, [row.written() for row in table.rows], chunk, context) or []


def _is_kpi_header(line: str, context: _Context) -> bool:
    """A tab line of names, one of them the measure's and one a period's or a value's."""
    cells = [cell for cell in cells_of(line) if cell]
    if len(cells) < 3 or any(read_cell(cell) for cell in cells):
        return False
    roles = {_column(cell, context).role for cell in cells}
    return "measure" in roles and bool(roles & {"period", "value"})


def _rows_figures(position: int, written: list[str], chunk: Chunk, context: _Context) -> list[Record] | None:
    """The figures of rows written out as `label — Header: value; …`, or None when they are no KPI table."""
    rows = [_split_row(row) for row in written]
    columns = {name: _column(name, context) for _, pairs in rows for name, _ in pairs}
    roles = {column.role for column in columns.values()}
    if not roles & {"period", "value", "previous"}:
        return None
    labelled = any(label for label, _ in rows)
    if "measure" not in roles and not (labelled and roles & {"target", "comparator", "rag", "trend"}):
        return None
    _two_line_comparators(rows, columns)
    records: list[Record] = []
    for index, (label, pairs) in enumerate(rows):
        if _renames_periods(pairs, columns):
            for name, value in pairs:
                if (period := _first_period(value)) is None:
                    continue
                if columns[name].role == "period":
                    columns[name] = _Column(value, "period", period)
                elif columns[name].over:
                    columns[name] = _Column(f"{columns[name].over} {value}", "comparator", over=columns[name].over)
            continue
        records += _row_figures(position, written[index], label, pairs, columns, chunk, context)
    return records


def _two_line_comparators(rows: list[tuple[str, list[tuple[str, str]]]], columns: dict[str, _Column]) -> None:
    """A comparator header printed over two lines ("National" over "Autumn 22 (Rate)") leaves its first line over
    an empty column and its second over the values: a comparator column empty in every row gives its name to the
    period column printed right after it."""
    following = {pairs[i][0]: pairs[i + 1][0] for _, pairs in rows for i in range(len(pairs) - 1)}
    for name, column in list(columns.items()):
        values = [value for _, pairs in rows for key, value in pairs if key == name and value != name]
        after = following.get(name)
        if column.role == "comparator" and not any(map(_meaningful, values)) and after \
                and columns[after].role == "period":
            columns[after] = _Column(f"{name} {after}", "comparator", over=name)


def _split_row(row: str) -> tuple[str, list[tuple[str, str]]]:
    """`label — Header: value; Header: value` as the label and the (header, value) pairs."""
    label, dash, body = row.partition(" — ")
    if not dash:
        label, body = "", row
    pieces = re.split(r"; (?=[^;]{1,160}?: )", body)
    pairs = [(name.strip(), value.strip()) for name, colon, value in (p.partition(": ") for p in pieces) if colon]
    return label.strip(), pairs


def _renames_periods(pairs: list[tuple[str, str]], columns: dict[str, _Column]) -> bool:
    """A row whose cells under period headers are periods themselves is a second header ("HT1 23/24" under
    "Spring 23"): the columns take its periods for the rows below."""
    under = [value for name, value in pairs if columns[name].role == "period"]
    return len(under) >= 2 and all(_first_period(value) and not read_cell(value) for value in under)


def _row_figures(position: int, text: str, label: str, pairs: list[tuple[str, str]], columns: dict[str, _Column],
                 chunk: Chunk, context: _Context) -> list[Record]:
    cells = dict(pairs)
    named = [value for name, value in pairs if columns[name].role == "measure"]
    measure = _row_measure(named[0] if named else label)
    if not measure or any(_SEVERAL_NUMBERS.match(value) for _, value in pairs):
        return []  # no measure, or a cell of several row numbers ("37 38 39"): the text layer fused the rows
    target = next((value for name, value in pairs if columns[name].role == "target" and _meaningful(value)), None)
    comparators = [f"{columns[name].name} {value}" for name, value in pairs
                   if columns[name].role == "comparator" and FIGURE_TEXT.search(value) and _meaningful(value)]
    comparators += [value for name, value in pairs if columns[name].role == "other" and _states_comparator(value)]
    rag = next((value for name, value in pairs if columns[name].role == "rag" and value.lower() in context.rag_words),
               None)
    records = []
    for name, value in cells.items():
        column = columns[name]
        if column.role not in ("period", "value", "previous"):
            continue
        figure = read_cell(value)
        if figure is None:
            continue
        shown, note = figure
        period = _whole_period(note) or column.period or _reporting_period(column.role, chunk, context)
        normalised = period.normalised if period else None
        printed, own_rag = period.text if period else None, rag
        if column.role == "previous" and period is _reporting_period(column.role, chunk, context):
            # The period before the paper's, printed as the column names it ("Previous"); the row's RAG rates the
            # latest value, a previous one has only the rating in its own note ("89% (Amber)").
            normalised, printed = previous(normalised), name
            word = note.strip("()").strip()
            own_rag = word if word.lower() in context.rag_words else None
        records.append(figure_record(position, text, measure, shown, printed, normalised,
                                     target, "; ".join(comparators) or None, own_rag, f"{name} {note}"))
    return records


def _row_measure(text: str) -> str:
    """A table row's measure: where the text layer joined the next row's wrapped name to the cell ("% of new EHCPs
    … % of requests for …"), the first name that opens as a measure does ("% of", "No. of", "Number of"); a
    fragment that starts in lower case ("from the LA", the end of a wrapped cell) names none."""
    names = [name for name in _SECOND_MEASURE.split(" ".join(text.split())) if name]
    opening = [name for name in names if _MEASURE_OPENING.match(name)]
    measure = clean_measure(opening[0] if opening else names[0] if names else "")
    return "" if measure[:1].islower() else measure


def _column(name: str, context: _Context) -> _Column:
    """The role a header gives its column: the measure's name when it is one of `measure`'s names; else the first
    role whose word or phrase it holds (trend before value, so "Actual Direction of Travel" is a trend); a header
    naming a period, and no target or comparator, holds values for that period."""
    if name not in context.columns:
        context.columns[name] = _read_column(name, context)
    return context.columns[name]


def _read_column(name: str, context: _Context) -> _Column:
    key = " ".join(name.lower().replace("(s)", "s").split()).strip(" :")
    if key in context.roles["measure"]:
        return _Column(name, "measure")
    for role in ("trend", "target", "comparator", "rag"):
        if context.words(role).search(key):
            return _Column(name, role)
    period = _first_period(name)
    if period is not None:
        return _Column(name, "period", period)
    for role in ("previous", "value"):
        if context.words(role).match(key):  # "Latest", "Actual 2023": the header opens with it, not "Contract value"
            return _Column(name, role)
    return _Column(name, "other")


def _first_period(text: str) -> Period | None:
    found = find_periods(text)
    return found[0] if found else None


def _whole_period(text: str) -> Period | None:
    """The period a cell's bracketed note is ("278 (Dec 23)": the figure is for December), when that is all it is."""
    found = _first_period(text)
    return found if found and found.text == text.strip() else None


def _reporting_period(role: str, chunk: Chunk, context: _Context) -> Period | None:
    return context.periods.get(chunk.document) if role in ("value", "previous") else None


def _opening_period(chunk: Chunk) -> Period | None:
    """The period a document reports on: the first its opening chunk names, with its year ("Quarter 3 2024/25")."""
    found = [period for period in find_periods(" ".join(chunk.text.split())) if period.normalised]
    return found[0] if found else None


def _meaningful(value: str) -> bool:
    """A cell that says something: a figure or a word of four letters, not "n/a" or "TBC"."""
    return not _NO_DATA.match(value.strip()) and bool(re.search(r"\d|[^\W\d_]{4}", value))


def _states_comparator(value: str) -> bool:
    """A cell under no comparator header that opens with one's label and a figure: "National 44.47% (…)"."""
    return bool(re.match(rf"(?:{comparator_words()})\b[^\d]{{0,40}}{NUMBER}", value, re.IGNORECASE))


# --- KPI boxes ----------------------------------------------------------------------------------------------------

_PAIR = re.compile(rf"(?P<label>[A-Za-z][A-Za-z ]{{0,30}}?)\s*:?\s*(?P<figure>{FIGURE_TEXT.pattern})"
                   r"(?:\s*\((?P<note>[A-Za-z]+)\))?[\s,;]*", re.IGNORECASE)


def _box_pairs(line: str) -> list[tuple[str, str, str]] | None:
    """A line made only of `Label: figure` pairs, as (label, figure, bracketed word); None for any other line."""
    pairs, at = [], 0
    text = line.strip()
    while at < len(text):
        match = _PAIR.match(text, at)
        if not match or match.end() == at or find_periods(text[match.start(): match.end()]):
            return None
        pairs.append((match.group("label").strip(), match.group("figure").strip(), match.group("note") or ""))
        at = match.end()
    return pairs or None


def _boxes(position: int, chunk: Chunk, lines: list[str], context: _Context) -> tuple[list[Record], set[int]]:
    """KPI boxes: a line of pairs one of whose labels is a value's ("Latest"), the lines of pairs right under it,
    and above it the measure's name (up to four short lines that end no sentence) and its RAG word."""
    records: list[Record] = []
    used: set[int] = set()
    index = 0
    while index < len(lines):
        pairs = _box_pairs(lines[index])
        if not pairs or not any(_column(label, context).role == "value" and f"{label}:" in lines[index]
                                for label, _, _ in pairs):
            index += 1
            continue
        first = index
        while index + 1 < len(lines) and (more := _box_pairs(lines[index + 1])):
            pairs += more
            index += 1
        measure, rag, top = _box_measure(lines, first, used, chunk, context)
        used.update(range(top, index + 1))
        index += 1
        if measure:
            text = "\n".join(lines[top: index])
            records += _box_figures(position, text, measure, rag, pairs, chunk, context)
    return records, used


def _box_measure(lines: list[str], first: int, used: set[int], chunk: Chunk,
                 context: _Context) -> tuple[str, str | None, int]:
    """The measure's name and RAG word printed above a box: its RAG word alone on a line or in capitals at the end
    of the name; the name's first line is the nearest above that opens as a measure ("Percentage of", "Number
    of"…), or else the lines go up while each carries on the one above it (it starts in lower case or with a
    bracket or dash, or the one above filled a printed line and ended no sentence)."""
    heading = chunk.section.split(" › ")[-1].strip().lower()
    names: list[str] = []
    rag = None
    top = first
    for index in range(first - 1, max(first - 5, -1), -1):
        line = lines[index].strip()
        if index in used or not line or line.lower() == heading or _box_pairs(line) or len(line.split()) > 30 \
                or line.endswith("."):
            break
        words = line.split()
        if line.lower() in context.rag_words:
            rag, top = rag or line, index
            continue
        if words[-1].isupper() and words[-1].lower() in context.rag_words:  # "… within 12 months GREEN"
            rag = rag or words[-1]
            line = " ".join(words[:-1])
        if names and not _carries_on(names[0], line):
            break
        names.insert(0, line)
        top = index
        if _MEASURE_OPENING.match(line):
            break
    return clean_measure(" ".join(names)), rag, top


def _carries_on(line: str, above: str) -> bool:
    """Whether a printed line goes on from the one above it rather than starting a new name."""
    return bool(re.match(r"[a-z(–-]", line)) or (len(above) >= 60 and not re.search(r"[.:;!?]$", above))


def _box_figures(position: int, text: str, measure: str, rag: str | None, pairs: list[tuple[str, str, str]],
                 chunk: Chunk, context: _Context) -> list[Record]:
    roles = [(_column(label, context).role, label, figure, note) for label, figure, note in pairs]
    target = next((figure for role, _, figure, _ in roles if role == "target"), None)
    comparators = [f"{label} {figure}" for role, label, figure, _ in roles if role == "comparator"]
    reporting = context.periods.get(chunk.document)
    records = []
    for role, label, figure, note in roles:
        if role == "value":
            period, normalised, own_rag = (reporting.text if reporting else None,
                                           reporting.normalised if reporting else None, rag)
        elif role == "previous":
            period, normalised = label, previous(reporting.normalised if reporting else None)
            own_rag = note if note.lower() in context.rag_words else None
        else:
            continue
        records.append(figure_record(position, text, measure, figure, period, normalised, target,
                                     "; ".join(comparators) or None, own_rag))
    return records


def _unique(records: list[Record]) -> list[Record]:
    seen, out = set(), []
    for record in records:
        key = (record.chunk, record.fields["measure"], record.fields["value"], record.fields["period"])
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out

