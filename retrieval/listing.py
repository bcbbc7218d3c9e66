"""Questions that ask for a list of records ("which actions are still outstanding?", "what decisions about SEND?",
"what did the committee decide in 2024?") answered from the records themselves, a short line each, each cited.

Only a question that names the records it wants in the plural (or asks what was decided in a year) is one; the
records are those the caller may see, narrowed to the years the question names, to the actions still open or done
when it asks, and, when it is about something, to records holding at least half of its key terms. An empty list
is no answer: the question then goes the extractive way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from index.tokens import tokenize
from ingest.records import ACTION, DECISION
from retrieval.query import Query
from retrieval.rerank import coverage

LISTED = 10  # lines an answer lists; the rest are counted
MIN_COVERAGE = 0.5
_ASKS = (
    (ACTION, re.compile(r"\b(?:which|what|list|any)\b[^?]*?\bactions\b", re.I)),
    (DECISION, re.compile(r"\b(?:which|what|list|any)\b[^?]*?\b(?:decisions|resolutions|recommendations)\b|"
                          r"\bwhat (?:did|has|have) [^?]*?\b(?:decide|resolve|agree)d?\b[^?]*\b(?:19|20)\d\d\b",
                          re.I)),
)
_OPEN = re.compile(r"\b(?:outstanding|open|still|not yet|remain\w*|pending|ongoing)\b", re.I)
_MEETING = re.compile(r"\b(?:from|at|of|in) (?:the |our )?(?:previous|earlier|past|last|recent)? ?meetings?\b", re.I)
_DONE = re.compile(r"\b(?:completed?|done|finished|closed|actioned)\b", re.I)
# The words that say what is asked for, not what about, and the words that say nothing: left out of the coverage a
# record must have.
_ASKING = frozenset(tokenize("action actions decision decisions resolution resolutions recommendation "
                             "recommendations decide decided resolve resolved agree agreed outstanding open still "
                             "remain remaining pending ongoing complete completed done previous meetings meeting "
                             "committee committees been be being has have had is are was were from of for to in on at "
                             "by with any all which what that this these those there their our we yet so far"))


def list_asked(query: Query) -> str | None:
    """The kind of record the question asks for a list of, or None."""
    return next((kind for kind, asks in _ASKS if asks.search(query.text)), None)


def state_asked(query: Query) -> str | None:
    """For actions: `open` or `done` when the question asks for one, else None."""
    if _OPEN.search(query.text):
        return "open"
    return "done" if _DONE.search(query.text) else None


def about(query: Query, text: str, rarity: Mapping[str, float], share: float = MIN_COVERAGE) -> bool:
    """Whether a record is about what the question is about: it holds `share` of the question's topic terms (by
    rarity; the words that ask for records, function words and years aside). Every record is, when the question
    names nothing else."""
    return topic_coverage(query, text, rarity) >= share


def topic_coverage(query: Query, text: str, rarity: Mapping[str, float]) -> float:
    """The share of the question's topic terms (`about`) the text holds; 1 when it has none."""
    topic = tuple(group for group in query.groups if not any(term in _ASKING or term in query.years
                                                              for form in group.forms for term in form))
    if not topic:
        return 1.0
    return coverage(Query(query.text, topic, query.wants, query.latest, query.future), text, frozenset(), rarity)[0]


def raised_asked(query: Query) -> bool:
    """The question asks for actions raised at meetings ("actions from previous meetings"), not tracker rows."""
    return bool(_MEETING.search(query.text))


def in_years(query: Query, date: str | None) -> bool:
    return not query.years or (bool(date) and date[:4] in query.years)
