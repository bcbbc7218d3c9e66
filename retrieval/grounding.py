"""Whether an answer's checkable claims are in the passages it cites: every figure, date and status word.

The sources are the passage as printed and its rows as written out, never the quotes the answer took from it, so
the check shows an extractive answer really quotes its passages (the tests run it on every development answer);
it is also the gate a generated answer must pass before it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from index.tokens import fold
from ingest.dates import human_date, month_years
from ingest.profiles import status_words
from retrieval.contract import Citation

MARKER = re.compile(r"\[(\d+)\]")  # a numbered marker, [1]
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_FIGURE = re.compile(r"(?<![\w.])[£$€]?\w*\d[\w.,/:%-]*")  # "67.1%", "£59m", "31/03/24", "17th", "c350"


def normalise(text: str) -> str:
    """Folded, without thousands separators, one space between words: "1,030" and "1030" are one claim."""
    return " ".join(_THOUSANDS.sub("", fold(text)).split())


def sources(citation: Citation) -> list[str]:
    """What a citation vouches for: its passage as printed and its table rows written out, its paper, the date of
    the meeting whose pack holds it and its own (the meeting a set of minutes records)."""
    document = citation.document
    return [citation.text, citation.rows, document.title, human_date(document.meeting_date, "%B"),
            human_date(document.original_date, "%B")]


def claims(text: str, statuses: Iterable[str] | None = None) -> set[str]:
    """The figures, month-and-year dates and status words (the one vocabulary, `ingest.profiles.status_words`,
    unless others are given) in a text, normalised as the gold rules do."""
    unmarked = MARKER.sub(" ", text)
    text = normalise(unmarked)
    found = {match.group().rstrip(".,:-") for match in _FIGURE.finditer(text)}
    found |= {normalise(named.text) for named in month_years(unmarked) if named.year is not None}
    found |= {word for word, bounded in _statuses(tuple(status_words() if statuses is None else statuses))
              if bounded.search(text)}
    return found


@lru_cache
def _statuses(words: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each status word normalised, with the pattern that finds it as a whole word."""
    normalised = dict.fromkeys(normalise(word) for word in words)
    return tuple((word, re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")) for word in normalised)


def unsupported(answer: str, citations: Iterable[Citation]) -> set[str]:
    """The answer's claims that none of its citations contains."""
    cited = [normalise(text) for citation in citations for text in sources(citation)]
    return {claim for claim in claims(answer)
            if not any(re.search(_bounded(claim), text) for text in cited)}


def _bounded(claim: str) -> str:
    """The claim as a whole: "14" is not in "2014" or "14.5"; a month and year may run on ("jan 23-aug 23")."""
    end = r"(?!\d)" if " " in claim else r"(?![\w%]|[.,/:-]\w)"
    return rf"(?<![\w.]){re.escape(claim)}{end}"
