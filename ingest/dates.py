"""Find the dates papers print ("Tuesday, 3 May 2022", "19th September 2024", "17.04.2024") as ISO dates."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b")


def find_date(text: str) -> str | None:
    """The first date written out in `text`, as YYYY-MM-DD; numeric dates are read day first, as UK papers do."""
    found = [
        (match.start(), _iso(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))))
        for match in _DAY_MONTH_YEAR.finditer(text)
    ]
    found += [
        (match.start(), _iso(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2))))
        for match in _MONTH_DAY_YEAR.finditer(text)
    ]
    if not found:
        found = [
            (match.start(), _iso(_year(match.group(3)), int(match.group(2)), int(match.group(1))))
            for match in _NUMERIC.finditer(text)
        ]
    valid = sorted((start, iso) for start, iso in found if iso)
    return valid[0][1] if valid else None


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def human_date(iso: str | None) -> str:
    """"2022-05-03" -> "3 May 2022", as the papers write dates."""
    if not iso:
        return ""
    value = date.fromisoformat(iso)
    return f"{value.day} {value.strftime('%b %Y')}"
