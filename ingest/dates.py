"""Find the dates papers print ("Tuesday, 3 May 2022", "19th September 2024", "17.04.2024") as ISO dates, and the
months they name ("March 2025", "Mar-25", "in May"): the one parser of each that ingest and retrieval share."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))  # any month name or abbreviation, for a regex
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_PATTERN})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b")
FULL_DATE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC)),
                       re.IGNORECASE)  # any dated day, written or numeric
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# A month, then perhaps its year: "March 2025", "Mar-25", "March '25", "March, 2025", "May".
_MONTH_YEAR = re.compile(rf"\b({MONTH_PATTERN})\b\.?(?:,?[\s'-]*(\d{{4}}|\d{{2}})\b)?", re.IGNORECASE)


def find_date(text: str) -> str | None:
    """The first date written out in `text`, as YYYY-MM-DD; numeric dates are read day first, as UK papers do."""
    found = _written(text)
    if not found:
        found = _numeric(text)
    valid = sorted((start, iso) for start, iso in found if iso)
    return valid[0][1] if valid else None


def find_dates(text: str) -> list[str]:
    """Every date written out in `text`, written or numeric, as YYYY-MM-DD, in order."""
    return [iso for _, iso in sorted(_written(text) + _numeric(text)) if iso]


def _written(text: str) -> list[tuple[int, str | None]]:
    found = [
        (match.start(), _iso(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))))
        for match in _DAY_MONTH_YEAR.finditer(text)
    ]
    found += [
        (match.start(), _iso(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2))))
        for match in _MONTH_DAY_YEAR.finditer(text)
    ]
    return found


def _numeric(text: str) -> list[tuple[int, str | None]]:
    return [(match.start(), _iso(full_year(match.group(3)), int(match.group(2)), int(match.group(1))))
            for match in _NUMERIC.finditer(text)]


def full_year(text: str) -> int:
    """"2024" or "24" as 2024 (papers of this century write two-digit years)."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def human_date(iso: str | None, month: str = "%b") -> str:
    """"2022-05-03" -> "3 May 2022", as the papers write dates (`month="%B"` for the month in full); "" for none."""
    if not iso:
        return ""
    value = date.fromisoformat(iso)
    return f"{value.day} {value.strftime(f'{month} %Y')}"


@dataclass(frozen=True)
class MonthYear:
    """A month a text names: where, as written, and its year when the text gives one."""

    text: str
    start: int
    end: int
    month: int
    year: int | None


def month_years(text: str, bare: bool = False) -> list[MonthYear]:
    """The months a text names with their year ("March 2025", "Mar-25", "june 2025"); with `bare`, capitalised
    months with no year too ("in May"). A month in lower case counts only before a four-digit year, so "may" the
    verb ("officers may 25 placements") names no month. Dated days are not looked for here (`find_dates`)."""
    found = []
    for match in _MONTH_YEAR.finditer(text):
        name, year = match.group(1), match.group(2)
        proper = name[0].isupper()
        if year and (proper or len(year) == 4):
            found.append(MonthYear(match.group(0), match.start(), match.end(), MONTHS[name.lower()], full_year(year)))
        elif bare and proper:
            found.append(MonthYear(name, match.start(1), match.end(1), MONTHS[name.lower()], None))
    return found


def without_month_years(text: str, bare: bool = False) -> str:
    """The text with the months `month_years` finds blanked out."""
    for found in reversed(month_years(text, bare)):
        text = f"{text[:found.start]} {text[found.end:]}"
    return text


def months_named(text: str, default_year: int | None = None) -> list[str]:
    """Every month a text names, as "YYYY-MM": its dated days' months, then months with a year, then, given a
    `default_year`, capitalised months without one."""
    found = [day[:7] for day in find_dates(text)]
    for named in month_years(FULL_DATE.sub(" ", text), bare=default_year is not None):
        year = named.year if named.year is not None else default_year
        found.append(f"{year:04d}-{named.month:02d}")
    return found
