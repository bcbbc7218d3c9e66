"""Figures as papers print them: a number with its unit and bracketed note, a measure's name, and the record
made of them; the pieces that tables, KPI boxes and sentences (`figures.py`, `figure_sentences.py`) share."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.profiles import figure_columns
from ingest.records import FIGURE, Record

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_UNIT = r"%|pp\b|wks?\b|weeks?\b|days?\b|mths?\b|months?\b|m\b|k\b|bn\b|million\b|billion\b"
FIGURE_TEXT = re.compile(rf"(?P<currency>[£$€])?(?P<number>{NUMBER})(?:\s?(?P<unit>{_UNIT}))?", re.IGNORECASE)
_CELL = re.compile(rf"\s*(?P<figure>{FIGURE_TEXT.pattern})\s*(?:\((?P<note>[^()]*)\))?\s*", re.IGNORECASE)
UNITS = {"%": "%", "pp": "percentage points", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
         "day": "days", "days": "days", "mth": "months", "mths": "months", "month": "months", "months": "months",
         "m": "million", "million": "million", "k": "thousand", "bn": "billion", "billion": "billion"}
_SCALES = ("million", "thousand", "billion")
_RATE = re.compile(r"\brate\b|\bper\s+[\d,]+", re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^[^\w%£$€(]+")
_DETERMINERS = re.compile(r"^(?:the|our|current|overall|a|an)\s+", re.IGNORECASE)


def read_cell(cell: str) -> tuple[str, str] | None:
    """A cell holding one figure, as (the figure as printed, its bracketed note or ""); None for anything else."""
    match = _CELL.fullmatch(cell)
    if not match or re.match(r"0\d", match.group("number")):
        return None  # "010": a misread glyph, no figure
    return match.group("figure").strip(), (match.group("note") or "").strip()


def clean_measure(text: str) -> str:
    """A measure's name as printed, tidied: leading stray glyphs and determiners off, spaces one; empty when what
    is left has no word of three letters."""
    text = _LEADING_JUNK.sub("", " ".join(text.split()))
    text = _DETERMINERS.sub("", text).strip(" ,;:-–.")
    text = re.sub(r"\s*[•▼▲►↔⇔÷]+\s*$", "", text)
    text = re.sub(r"(?:\s+(?:of|in|for|during|to|at|by|from|with|and|or|the))+$", "", text)  # a period's words cut
    return text if re.search(r"[A-Za-z]{3}", text) else ""


@lru_cache
def comparator_words() -> str:
    """The comparators' labels ("National", "Statistical neighbours"…) as one regular expression alternation."""
    return "|".join(re.escape(word) for word in figure_columns()["comparator"])


def figure_record(position: int, text: str, measure: str, value: str, period: str | None,
                  normalised: str | None, target: str | None, comparator: str | None, rag: str | None,
                  hint: str = "") -> Record:
    """A figure as records.py shapes it; its unit read from the value, else from the measure and the `hint` (the
    column's header and the cell's note)."""
    return Record(FIGURE, position, text, {
        "measure": measure, "value": value, "unit": unit_of(value, f"{measure} {hint}"), "period": period,
        "period_normalised": normalised, "target": target, "comparator": comparator, "rag": rag,
    })


def unit_of(value: str, about: str = "") -> str:
    """The unit of a figure: the one it prints ("%", "£", "weeks", "days", "months"); else what the words `about`
    it say: "% of …" a percentage, "No. of …" a count, "(£ amount)" pounds, "per 100,000" or "rate" a rate; else
    a scale it prints ("million"), "count" for a whole number and "number" for any other."""
    match = FIGURE_TEXT.match(value)
    currency = match.group("currency") if match else None
    unit = UNITS.get((match.group("unit") or "").lower(), "") if match else ""
    if currency:
        return currency
    if unit and unit not in _SCALES:
        return unit
    if re.match(r"\s*(?:%|percentage|proportion)\b", about, re.IGNORECASE):
        return "%"
    if not re.match(r"\s*(?:no\.?|number|count)\b", about, re.IGNORECASE):
        if "£" in about:
            return "£"
        if _RATE.search(about):
            return "rate"
    return unit or ("number" if "." in value else "count")
