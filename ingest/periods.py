"""The periods a figure is for, as papers print them ("Mar-24", "March '23", "Quarter 3, 2024/25", "HT3 23/24",
"Autumn 23", "2022/23", "the 12 months to December 2024"), each with a normalised form that sorts.

A KPI table heads its columns with periods and a report's sentences name them; a series of one measure is ordered
by them. Normalised forms: a month "2024-03"; a day "2024-12-31" (a snapshot "as at" a date); a quarter of a
financial year "2024/25 Q3" (of a calendar year "2024 Q3"); a half term "2023/24 HT3"; a school term "2023 Autumn";
a financial or academic year "2022/23"; a calendar year "2023". A period with no year ("Quarter 3", "March") is
kept as printed with no normalised form. Days in general are not periods (a meeting's date, a deadline): only a
day written after "as at", "as of" or "on" is read as one, and only where sentences are read (`days=True`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.dates import FULL_DATE, find_date, full_year, month_years

_QUARTER = re.compile(r"\b(?:Q|Quarter\s?)([1-4])\b(?:,?\s*((?:19|20)\d\d(?:/\d\d)?|\d\d/\d\d)\b)?", re.IGNORECASE)
_HALF_TERM = re.compile(r"\bHT\s?([1-6])\b\s*((?:19|20)?\d\d/\d\d)?")
_TERM = re.compile(r"\b(Spring|Summer|Autumn)(?:\s+[Tt]erm)?\s+'?((?:19|20)\d\d|\d\d)\b")
_YEARS = re.compile(r"(?<![\d/-])(?<!\d[.,])((?:19|20)\d\d|\d\d)[/-](\d\d)(?![\d/%-]|[.,]\d)")
_YEAR = re.compile(r"(?<![\d/£$-])(?<!\d[.,])((?:19|20)\d\d)(?![\d/%-]|[.,]\d)")
_YEAR_AFTER = re.compile(r"\b(?:in|during|for|since|of|from|to)\s+$", re.IGNORECASE)
# "the 12 months to", "rolling 12-month average to", "quarter to", "year ending": the span that ends at a month.
_SPAN_TO = re.compile(r"(?:\bthe\s+)?(?:\b(?:rolling\s+)?(?:12|twelve)[- ]?(?:months?|mths?|m)\b"
                      r"(?:\s+(?:average|period|figure))?|\bquarter|\byear)\s+(?:to|ending)\s+$", re.IGNORECASE)
_DAY_AFTER = re.compile(r"\b(?:as\s+at|as\s+of|on)\s+(?:the\s+)?$", re.IGNORECASE)
_SEASON_MONTH = {"spring": 4, "summer": 7, "autumn": 12}
# The month a part of a financial or academic year ends, counted from the January of the year it starts in.
_QUARTER_MONTH = {1: 6, 2: 9, 3: 12, 4: 15}
_HALF_TERM_MONTH = {1: 10, 2: 12, 3: 14, 4: 16, 5: 17, 6: 19}
_AGE_BEFORE = re.compile(r"\bage[ds]?\s*$", re.IGNORECASE)  # "aged 16-17" is no year
_YEAR_GROUP_BEFORE = re.compile(r"\b(?:years?|yrs?)\s*$", re.IGNORECASE)  # "Years 12/13" is none, "Yr 22/23" is
_NOT_YEARS_AFTER = re.compile(r"^[\s-]*(?:years?|yrs?|year-olds?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A period named in a text: as printed, where, and normalised (None when the text gives no year)."""

    text: str
    start: int
    end: int
    normalised: str | None


def find_periods(text: str, days: bool = False) -> list[Period]:
    """Every period `text` names, in order, the longest reading of each place first (a quarter with its year, not
    the year alone). Dated days are left out (and blank what they cover) unless `days` and an "as at" leads them."""
    found: list[Period] = []
    blanked = text
    for match in FULL_DATE.finditer(text):
        if days and _DAY_AFTER.search(text[: match.start()]):
            found.append(Period(match.group(0), match.start(), match.end(), find_date(match.group(0))))
        blanked = blanked[: match.start()] + " " * (match.end() - match.start()) + blanked[match.end():]
    for match in _QUARTER.finditer(blanked):
        found.append(Period(match.group(0), match.start(), match.end(), _quarter(match.group(1), match.group(2))))
    for match in _HALF_TERM.finditer(blanked):
        years = _academic(match.group(2)) if match.group(2) else None
        found.append(Period(match.group(0), match.start(), match.end(), years and f"{years} HT{match.group(1)}"))
    for match in _TERM.finditer(blanked):
        found.append(Period(match.group(0), match.start(), match.end(),
                            f"{full_year(match.group(2))} {match.group(1).capitalize()}"))
    for named in month_years(blanked):
        span = _SPAN_TO.search(blanked[: named.start])
        start = span.start() if span else named.start
        found.append(Period(text[start: named.end].strip(), start, named.end, f"{named.year:04d}-{named.month:02d}"))
    for match in _YEARS.finditer(blanked):
        years = _academic(match.group(0).replace("-", "/"))
        if years and not _age_or_year_group(blanked, match):
            found.append(Period(match.group(0), match.start(), match.end(), years))
    for match in _YEAR.finditer(blanked):
        if match.group(0) == text.strip() or _YEAR_AFTER.search(blanked[: match.start()]):
            found.append(Period(match.group(0), match.start(), match.end(), match.group(0)))
    return _outermost(found)


def _age_or_year_group(text: str, match: re.Match[str]) -> bool:
    """"aged 16-17", "16-17 year olds", "Years 12/13": two numbers that follow each other but are no years."""
    before = text[: match.start()]
    return bool(_AGE_BEFORE.search(before) or _NOT_YEARS_AFTER.match(text[match.end():])
                or (_YEAR_GROUP_BEFORE.search(before) and int(match.group(1)) <= 13))


def _outermost(found: list[Period]) -> list[Period]:
    """The periods that no longer one contains, in order."""
    kept: list[Period] = []
    for period in sorted(found, key=lambda p: (p.start, -(p.end - p.start))):
        if kept and period.start < kept[-1].end:
            continue
        kept.append(period)
    return kept


def _quarter(number: str, year: str | None) -> str | None:
    if not year:
        return None
    if "/" in year:
        years = _academic(year)
        return years and f"{years} Q{number}"
    return f"{year} Q{number}"


def _academic(text: str) -> str | None:
    """"2022/23", "22/23" or "2022-23" as "2022/23"; None unless the second year follows the first."""
    first, second = text.split("/")
    start = full_year(first)
    return f"{start}/{second}" if (start + 1) % 100 == int(second) else None


def sort_key(normalised: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) at which a normalised period ends, roughly, so periods of any kind sort together: a
    financial year ends in March, its quarters in June, September, December and March; an academic year's half
    terms end in October, December, February, April, May and July; its terms in April, July and December."""
    if not normalised:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d\d)(?:-(\d\d))?", normalised):
        return int(match.group(1)), int(match.group(2)), int(match.group(3) or 31)
    if match := re.fullmatch(r"(\d{4})/\d\d(?: (Q|HT)(\d))?", normalised):
        year, kind, number = int(match.group(1)), match.group(2), int(match.group(3) or 0)
        months = 15 if not kind else (_QUARTER_MONTH if kind == "Q" else _HALF_TERM_MONTH)[number]
        return year + (months - 1) // 12, (months - 1) % 12 + 1, 31
    if match := re.fullmatch(r"(\d{4}) Q(\d)", normalised):
        return int(match.group(1)), 3 * int(match.group(2)), 31
    if match := re.fullmatch(r"(\d{4}) (Spring|Summer|Autumn)", normalised):
        return int(match.group(1)), _SEASON_MONTH[match.group(2).lower()], 31
    if re.fullmatch(r"\d{4}", normalised):
        return int(normalised), 12, 31
    return None


def previous(normalised: str | None) -> str | None:
    """The period before a month or a quarter ("2024/25 Q3" -> "2024/25 Q2"); None for any other."""
    if not normalised:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d\d)", normalised):
        year, month = int(match.group(1)), int(match.group(2))
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    if match := re.fullmatch(r"(\d{4})/(\d\d) Q([1-4])", normalised):
        year, number = int(match.group(1)), int(match.group(3))
        if number > 1:
            return f"{year}/{match.group(2)} Q{number - 1}"
        return f"{year - 1}/{year % 100:02d} Q4"
    return None

