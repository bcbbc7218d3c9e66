"""What a question asks for: its key terms (with the glossary's other names for them), the kind of answer it
wants, whether it wants the current state, the dates it names and the committee it means.

Questions are asked in chat, not in the papers' words ("HMOs", "20-week timeliness", "last March"), so the terms
are matched in either form, and a date named or implied becomes a preference the reranker weighs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

from index.tokens import fold, tokenize
from ingest.dates import MONTH_PATTERN, MONTHS, YEAR, find_date, months_named

GLOSSARY_FILE = Path(__file__).with_name("glossary.tsv")

# Words that say what kind of answer is wanted, or nothing at all, not what it is about.
FILLER = frozenset(tokenize(
    "what whats where when who whom which why how many much latest current currently now figure figures number "
    "status progress happen happened actually ever yet still tell say says said papers paper pack report "
    "committee council our ours we us rating doing going did do does done about have has get got were was is are "
    "it its out just came come give gave given one didn don t s"
))

# Each kind of answer a question can want, in the order they take precedence when a question wants several.
WANTS = (
    ("reason", re.compile(r"^\s*why\b|\bwhy (?:did|does|do|is|was|were|has|have|didn)\b|\breasons?\b")),
    ("person", re.compile(r"^\s*who\b|\bwho (?:is|was|are|chairs|leads|owns|asked|made)\b|"
                          r"\bwhich (?:officer|councillor|member|council)\b")),
    ("amount", re.compile(r"\bhow much\b|\b(?:over|under)spend\b|\bcost\b|\bsavings?\b")),
    ("count", re.compile(r"\bhow many\b|\bwhat (?:is|was|are|were) the number of\b|\bcount\b|\bhow often\b")),
    ("percent", re.compile(r"\bwhat (?:%|percent|percentage|proportion|share)\b|%|\bproportion\b")),
    ("number", re.compile(r"\bfigures?\b|\bcompare\b|\btarget\b|\btotal\b")),
    ("vote", re.compile(r"\bwhat was the vote\b|\bhow did .* vote\b|\bvoting\b")),
    ("date", re.compile(r"\bwhen\b|\bwhat date\b|\bdeadline\b")),
    ("status", re.compile(r"\bstatus\b|\brag\b|\bwhere are we\b|\bprogress\b|\bon track\b|"
                          r"\bhow (?:are|is) [\w\s-]+ (?:doing|going)\b|\byet\b")),
    ("decision", re.compile(r"\bdecide|\bdecision|\bresolve|\brecommend|\bagree|\bvote|\bapprove")),
)
# Asks for several things: "which schools are…", "what risks did…" (a plural right after which/what, not
# "status" or "process", nor a verb: "what happens"), "what were the judgements", "who are the members"
SEVERAL = re.compile(r"^\s*(?:which|what)\s+(?!(?:was|is|has|does|this|its|happens|remains|needs|means|makes|"
                     r"goes|comes|seems|looks|takes|gets|says|shows|counts|applies|matters|stands)\b)\w{2,}(?<![su])s\b|"
                     r"\b(?:what|who) (?:are|were) (?:the|its|our|\w+'s)\b")
AT_MEETING = re.compile(r"\b(?:at|during)\s+(?:the|its|their|that)\b[^?]{0,40}?\bmeeting\b")
PAPERS = re.compile(r"\b(?:agenda|pack|papers?|report)\b")
FUTURE = re.compile(r"\bnext\b|\bdue\b|\bwill\b|\bcoming\b|\bupcoming\b")
LATEST = re.compile(r"\b(?:latest|now|current(?:ly)?|most recent|at the moment|still|yet|today|so far|these days)\b")
_LAST_MONTH = re.compile(rf"\blast ({MONTH_PATTERN})\b", re.I)
_RELATIVE_YEAR = re.compile(r"\b(this|last) year\b", re.I)
WORDS = re.compile(r"\w+(?:[.,]\d+)*")  # words and figures ("67.1", "1,030") as written


@dataclass(frozen=True)
class TermGroup:
    """One thing the question is about, in any of its forms: each form is a sequence of terms."""

    forms: tuple[tuple[str, ...], ...]

    def found_in(self, terms: frozenset[str]) -> bool:
        return any(all(term in terms for term in form) for form in self.forms)


@dataclass(frozen=True)
class Query:
    text: str
    groups: tuple[TermGroup, ...]
    wants: tuple[str, ...]  # the kinds of answer asked for, the main one first
    latest: bool
    future: bool  # asks what comes next: its answer is dated after the paper
    months: tuple[str, ...] = ()  # "2024-03" named or implied
    years: tuple[str, ...] = ()
    committee: str | None = None
    day: str | None = None  # a meeting's date, when the question names one in full
    at_meeting: bool = False  # asks what happened at that meeting, not what its papers say
    several: bool = False  # asks for several things, which papers list one after another

    @cached_property
    def asked(self) -> frozenset[str]:
        """The question's own words and figures, lower-cased, as they are written."""
        return frozenset(word.lower() for word in WORDS.findall(self.text))


@lru_cache
def shipped_glossary() -> dict[str, tuple[str, ...]]:
    """The terms kept as data in `glossary.tsv`: abbreviation to long forms."""
    terms: dict[str, tuple[str, ...]] = {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, forms = line.split("\t")
            terms[short] = tuple(form.strip() for form in forms.split(";"))
    return terms


@dataclass(frozen=True)
class Term:
    """A glossary entry as query analysis matches it: the abbreviation and each long form as terms."""

    short: re.Pattern[str]
    short_terms: tuple[str, ...]
    forms: tuple[tuple[str, ...], ...]


def glossary_terms(found: dict[str, list[str]]) -> tuple[Term, ...]:
    """The shipped terms with the definitions the papers carry added, tokenised once for every question."""
    merged = dict(shipped_glossary())
    for short, forms in found.items():
        merged[short] = tuple(dict.fromkeys((*merged.get(short, ()), *forms)))
    terms = []
    for short, forms in merged.items():
        short_terms = tuple(tokenize(short))
        if short_terms:
            terms.append(Term(re.compile(rf"\b{re.escape(short)}s?\b"), short_terms,
                              tuple(form for form in (tuple(tokenize(f)) for f in forms) if form)))
    return tuple(terms)


def _groups(text: str, glossary: tuple[Term, ...]) -> tuple[TermGroup, ...]:
    terms = [term for term in tokenize(text) if term not in FILLER]
    present = set(terms)
    groups: list[TermGroup] = []
    used: set[str] = set()
    joined = f" {' '.join(terms)} "
    for entry in glossary:
        said_short = set(entry.short_terms) <= present and entry.short.search(text)
        said_long = [form for form in entry.forms if f" {' '.join(form)} " in joined]
        if said_short or said_long:
            groups.append(TermGroup((entry.short_terms, *entry.forms)))
            used.update(entry.short_terms, *said_long)
    groups += [TermGroup(((term,),)) for term in dict.fromkeys(terms) if term not in used]
    return tuple(groups)


def _dates(text: str, today: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    months = months_named(text)
    for (month,) in (match.groups() for match in _LAST_MONTH.finditer(text)):
        number = MONTHS[month.lower()]
        year = today.year if number < today.month else today.year - 1
        months.append(f"{year:04d}-{number:02d}")
    years = YEAR.findall(text) + [month[:4] for month in months]
    for which in _RELATIVE_YEAR.findall(text):
        years.append(str(today.year - (which.lower() == "last")))
    return tuple(dict.fromkeys(months)), tuple(dict.fromkeys(years))


def _committee(text: str, committees: list[str]) -> str | None:
    """The committee the question names: all the distinctive words of its name appear in the question."""
    words = set(re.findall(r"[a-z]+", fold(text)))
    generic = {"committee", "council", "and", "of", "the", "services", "s"}
    named = []
    for committee in committees:
        distinctive = set(re.findall(r"[a-z]+", fold(committee))) - generic
        if distinctive and distinctive <= words:
            named.append((len(distinctive), committee))
    return max(named)[1] if named else None


def analyse(question: str, glossary: tuple[Term, ...], committees: list[str], today: date | None = None) -> Query:
    lowered = fold(question)
    wants = tuple(name for name, pattern in WANTS if pattern.search(lowered))
    groups = _groups(question, glossary)
    months, years = _dates(question, today or date.today())
    return Query(question, groups, wants, bool(LATEST.search(lowered)), bool(FUTURE.search(lowered)), months, years,
                 _committee(question, committees), find_date(question),
                 bool(AT_MEETING.search(lowered)) and not PAPERS.search(lowered), bool(SEVERAL.search(lowered)))
