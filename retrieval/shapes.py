"""What an answer must hold to be the kind of answer asked for: a figure, an amount, a date, a name, a vote.

A question that asks "how many" is not answered by a sentence with no figure in it, however close its meaning;
these checks are what lets the assistant say the papers do not answer rather than quote something near. They
look only at what a unit adds to the question (its own words and figures taken out).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ingest.dates import FULL_DATE, YEAR, find_dates, months_named, without_month_years
from ingest.profiles import status_words
from retrieval.query import WORDS, Query

_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"hundred)\b", re.I)


def _without_months(text: str) -> str:
    return without_month_years(FULL_DATE.sub(" ", text), bare=True)


def _without_dates(text: str) -> str:
    return YEAR.sub(" ", _without_months(text))


def _has_date(text: str) -> bool:
    return _without_dates(text) != text


_FUTURE_CUE = re.compile(r"\b(?:will|due|expected|planned|scheduled|anticipated|next|come back|coming back|"
                         r"to be|forward plan)\b", re.I)
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|per ?cent\b)", re.I)
_MONEY = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion)\b)?", re.I)


def _has_number(text: str) -> bool:
    """A figure that is not part of a date ("six", "87%", "1030"; not "31/03/24" or "March 2024")."""
    return bool(_NUMBER.search(_without_dates(text)))


def _has_count(text: str) -> bool:
    """A number of things: a figure that is not a date, a percentage or a sum of money."""
    return _has_number(_MONEY.sub(" ", _PERCENT.sub(" ", text)))


_NAME = re.compile(r"\b(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.? )?([A-Z][a-z]+)(?: [A-Z]\.)? ([A-Z][a-z'-]+)\b")
_BODY = re.compile(r"\b([A-Z][a-z]+) (?:County |City |Borough |District )?Council\b")
_TITLE_WORDS = """
    the a an and of for to in on at by with this that these our their its council committee county city borough
    services service children children's childrens overview scrutiny board panel plan report director directorate
    manager head team group care social improvement education health adult adults young people cabinet chair vice
    member members
    officer officers local authority department government chief executive interim corporate strategic public
    family families school schools special support service's hub hubs annual review action actions item
    monitoring visit inspection national south west east north total target current previous latest
    january february march april may june july august september october november december
"""
NOT_NAMES = frozenset(_TITLE_WORDS.split())  # words of titles and bodies, never half of a person's name


def _names(text: str) -> bool:
    """A person's or a council's name: two capitalised words that are not the words of titles and bodies."""
    if any(match.group(1).lower() not in NOT_NAMES for match in _BODY.finditer(text)):
        return True
    return any(match.group(1).lower() not in NOT_NAMES and match.group(2).lower() not in NOT_NAMES
               for match in _NAME.finditer(text))


def status_check(words: Iterable[str]) -> Callable[[str], re.Match[str] | None]:
    """Whether a text says where something stands, in any of the status `words` (the one vocabulary)."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(word) for word in ordered)})(?!\w)", re.I).search


SHAPES = {  # what a unit must hold to be the kind of answer asked for
    "amount": re.compile(r"[£$€]\s?\d|\d(?:\.\d+)?\s?(?:m|bn|k|million|billion)\b", re.I).search,
    "count": _has_count,
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I).search,
    "number": _has_number,
    "date": _has_date,
    "person": _names,
    "vote": re.compile(r"\bunanimous|\bvoting\b|\bvotes?\b.{0,20}\d|\b(?:for|against)\s*[–:-]\s*\d|\bayes\b|\bnays\b|"
                       r"\byeas\b", re.I).search,
    "status": status_check(status_words()),
    "decision": re.compile(r"\b(?:resol\w*|agreed|agree to|decid\w*|decision\w*|recommend\w*|approv\w*|endors\w*|"
                           r"vot(?:e|ed|ing)|unanimous\w*|noted|requested|referred)\b", re.I).search,
    "reason": re.compile(r"\b(?:because|due to|as a result|in order to|therefore|so that|not meet|would not|reason|"
                         r"concern|risk)\w*", re.I).search,
}
MINUTES = frozenset({"minutes", "web_minutes"})

# The kinds an answer cannot do without: a decision question answered with no decision in it is not answered.
STRICT = frozenset({"amount", "count", "percent", "number", "date", "person", "vote", "decision"})



def news(query: Query, text: str) -> str:
    """The text without the question's own words and figures: what it can add ("20-week" in a question about
    20-week timeliness is no answer to "what is the latest figure")."""
    return WORDS.sub(lambda match: " " if match.group().lower() in query.asked else match.group(), text)


def shaped(query: Query, added: str, meeting_date: str) -> bool:
    """What a unit adds to the question (`news`) holds the main kind of thing asked for, when that kind is one an
    answer cannot do without; a question about what comes next needs a date after the paper's meeting."""
    main = next((kind for kind in query.wants if kind in SHAPES), None)
    if main == "date" and query.future and meeting_date:
        year = int(meeting_date[:4])
        months = months_in(added, year if _FUTURE_CUE.search(added) else year - 1)  # a bare month: tense decides
        return any(month > meeting_date[:7] for month in months)
    return main not in STRICT or bool(SHAPES[main](added))


def months_in(text: str, default_year: int) -> list[str]:
    """Every month a text names, as "YYYY-MM": dated days, months with or without a year (a bare month is in
    `default_year`), and bare years as their December (the latest they can mean)."""
    return months_named(text, default_year) + [f"{year}-12" for year in YEAR.findall(_without_months(text))]


def on_the_day(query: Query, text: str, pack_date: str, document_date: str, kind: str) -> bool:
    """A question naming one day's meeting is answered from that meeting's papers or a passage naming the day.
    What happened at a meeting ("what did it resolve at its 19 March 2024 meeting?") only its minutes, or a later
    paper that names the day, can say: the meeting's own pack was published before it."""
    if not query.day:
        return True
    if query.at_meeting:
        if kind in MINUTES and document_date == query.day:
            return True
        return document_date > query.day and names_day(text, query.day)
    return query.day in (pack_date, document_date) or names_day(text, query.day)


def names_day(text: str, iso: str) -> bool:
    """The text writes that day out: "19 March 2024", "19th Mar 2024", "March 19, 2024", "19/03/24"."""
    return iso in find_dates(text)
