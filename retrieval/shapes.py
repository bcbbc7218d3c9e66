"""What an answer must hold to be the kind of answer asked for: a figure, an amount, a date, a name, a vote.

A question that asks "how many" is not answered by a sentence with no figure in it, however close its meaning;
these checks are what lets the assistant say the papers do not answer rather than quote something near. They
look only at what a unit adds to the question (its own words and figures taken out).
"""

from __future__ import annotations

import re
from datetime import date

from ingest.dates import MONTHS
from retrieval.query import Query

MONTH_NAME = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
              r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = re.compile(rf"\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|\b{MONTH_NAME}\b[\s'-]*\d{{2,4}}\b|"
                   rf"\b\d{{1,2}}(?:st|nd|rd|th)? {MONTH_NAME}\b|\b(?:19|20)\d\d\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({MONTH_NAME})\b(?:[\s'-]*(\d{{4}}|\d{{2}})\b)?", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_WORDS = re.compile(r"\w+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"hundred)\b", re.I)


_FUTURE_CUE = re.compile(r"\b(?:will|due|expected|planned|scheduled|anticipated|next|come back|coming back|"
                         r"to be|forward plan)\b", re.I)
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|per ?cent\b)", re.I)
_MONEY = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s?(?:m|bn|k|million|billion)\b)?", re.I)


def _has_number(text: str) -> bool:
    """A figure that is not part of a date ("six", "87%", "1030"; not "31/03/24" or "March 2024")."""
    return bool(_NUMBER.search(_DATE.sub(" ", text)))


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
    family families school schools send special support service's hub hubs annual review action actions item
    monitoring visit inspection ofsted national south west east north total target current previous latest
    january february march april may june july august september october november december
"""
NOT_NAMES = frozenset(_TITLE_WORDS.split())  # words of titles and bodies, never half of a person's name


def _names(text: str) -> bool:
    """A person's or a council's name: two capitalised words that are not the words of titles and bodies."""
    if any(match.group(1).lower() not in NOT_NAMES for match in _BODY.finditer(text)):
        return True
    return any(match.group(1).lower() not in NOT_NAMES and match.group(2).lower() not in NOT_NAMES
               for match in _NAME.finditer(text))


SHAPES = {  # what a unit must hold to be the kind of answer asked for
    "amount": re.compile(r"[£$€]\s?\d|\d(?:\.\d+)?\s?(?:m|bn|k|million|billion)\b", re.I).search,
    "count": _has_count,
    "percent": re.compile(r"\d\s?%|\bper ?cent\b", re.I).search,
    "number": _has_number,
    "date": _DATE.search,
    "person": _names,
    "vote": re.compile(r"\bunanimous|\bvoting\b|\bvotes?\b.{0,20}\d|\b(?:for|against)\s*[–:-]\s*\d|\bayes\b|\bnays\b|"
                       r"\byeas\b", re.I).search,
    "status": re.compile(r"\b(?:on track|high risk|significant risk|complete[d]?|actioned|officers aware|red|amber|"
                         r"green|achieved|not started|in progress|delayed|chasing|outstanding|ongoing|closed|open)\b",
                         re.I).search,
    "decision": re.compile(r"\b(?:resol|agree|decid|decision|recommend|approv|endors|vot|unanimous|noted|"
                           r"request|refer|ask)\w*", re.I).search,
    "reason": re.compile(r"\b(?:because|due to|as a result|in order to|therefore|so that|not meet|would not|reason|"
                         r"concern|risk|afford)\w*", re.I).search,
}
MINUTES = frozenset({"minutes", "web_minutes"})

# The kinds an answer cannot do without: a decision question answered with no decision in it is not answered.
STRICT = frozenset({"amount", "count", "percent", "number", "date", "person", "vote", "decision"})



def news(query: Query, text: str) -> str:
    """The text without the question's own words and figures: what it can add ("20-week" in a question about
    20-week timeliness is no answer to "what is the latest figure")."""
    asked = {word.lower() for word in _WORDS.findall(query.text)}
    return _WORDS.sub(lambda match: " " if match.group().lower() in asked else match.group(), text)


def shaped(query: Query, text: str, meeting_date: str) -> bool:
    """The text holds the main kind of thing asked for, when that kind is one an answer cannot do without; a
    question about what comes next needs a date after the paper's meeting."""
    main = next((kind for kind in query.wants if kind in SHAPES), None)
    text = news(query, text)
    if main == "date" and query.future and meeting_date:
        year = int(meeting_date[:4])
        months = months_in(text, year if _FUTURE_CUE.search(text) else year - 1)  # a bare month: tense decides
        return any(month > meeting_date[:7] for month in months)
    return main not in STRICT or bool(SHAPES[main](text))


def months_in(text: str, default_year: int) -> list[str]:
    """Every month a text names, as "YYYY-MM" ("YYYY-12" for a bare year: the latest it can mean)."""
    found = []
    for match in _MONTH_YEAR.finditer(text):
        if match.group(1)[0].islower():  # "may" the verb, not May the month
            continue
        month, year = match.group(1).lower()[:3], match.group(2)
        year_number = default_year if not year else int(year) if len(year) == 4 else 2000 + int(year)
        found.append(f"{year_number:04d}-{MONTHS[month]:02d}")
    for _day, month, year in _NUMERIC_DATE.findall(text):
        if 1 <= int(month) <= 12:
            found.append(f"{int(year) if len(year) == 4 else 2000 + int(year):04d}-{int(month):02d}")
    found += [f"{year}-12" for year in _YEAR.findall(_MONTH_YEAR.sub(" ", text))]
    return found


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
    day = date.fromisoformat(iso)
    month = f"{day:%B}"
    written = (rf"\b0?{day.day}(?:st|nd|rd|th)?\s+(?:{month}|{month[:3]})\.?,?\s+{day.year}\b|"
               rf"\b(?:{month}|{month[:3]})\.?\s+0?{day.day}(?:st|nd|rd|th)?,?\s+{day.year}\b|"
               rf"\b0?{day.day}[./]0?{day.month}[./](?:{day.year}|{day.year % 100:02d})\b")
    return bool(re.search(written, text, re.I))
