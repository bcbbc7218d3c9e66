"""The same action across meetings, as one timeline of the statuses each meeting's papers printed for it.

An action sheet keeps an action until it is done, so the action raised on 22 March 2022 about the Corporate
Parenting Board's HMO report is flagged in that meeting's minutes ("ACTION add to action sheet"), printed with
"Action – Officers aware" in the pack for 3 May 2022 and with "Actioned." in the pack for 24 July 2024. Linking
uses only what the records print, never a list of known actions: two records are the same action when they were
raised by the same meeting, under the same item when both name one, with words that overlap enough
(`SAME_WORDS`), printed at different meetings. A tracker's row names no raising meeting: nothing anchors it but its
wording, so it continues only a row printed nearly word for word (`SAME_ROW`). A record that could continue two
timelines, or that another record of its meeting could continue just as well, is kept apart and flagged
`ambiguous` rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.records import ACTION, Record

# Two texts of one raising meeting and item are of one action when more than this share of the shorter's content
# words are in the other (their overlap coefficient), and at least `SHARED` of them. The share is measured against
# the shorter text because a sentence of minutes says more than the sheet's row written from it. On the BCP papers
# (every pair of actions raised by one meeting, printed at two meetings), a sheet's row carried into a later pack
# overlaps itself at 1.0; a flagged sentence of minutes overlaps the row written from it at 0.56 to 1.0 ("Two
# Committee Members … the Virtual Headteacher advised she would make contact to discuss further" and "The Virtual
# Headteacher to contact Councillors Gabriel and Lawton to discuss apprenticeships further" share 5 of 9 words);
# two different actions under one item overlap at 0.50 at most (a request for an update after the Ofsted visit and
# "To share the financial overview report from the SEND Improvement Board", sharing only "SEND Improvement Board"
# and "Committee"). So a match needs more than half.
SAME_WORDS = 0.5
SHARED = 3
# A tracker's row with no raising meeting continues a row only when their words are nearly the same (Jaccard):
# trackers are reprinted with their wording carried over and only status and progress changed, while two plans'
# rows on one theme share a good part of their words ("Create a co-production charter with families …" of 2022 and
# a 2024 plan's charter row).
SAME_ROW = 0.8
# Two item headings are of one item when this share of the shorter's words is in the other ("82. Full ILACS …
# report" in the minutes, "Full ILACS (Inspecting …) Report" on the sheet); different items share few words.
SAME_ITEM = 0.5

_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "being", "by", "can", "could", "for", "from", "had", "has",
    "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the",
    "their", "them", "there", "these", "they", "this", "those", "to", "was", "we", "were", "which", "who", "will",
    "with", "would",
})


@dataclass(frozen=True)
class Entry:
    """An action as one meeting's papers printed it."""

    date: str | None  # the meeting as of which it is printed (`ingest.actions.printed_at`); None if unknown
    record: Record

    @property
    def status(self) -> str | None:
        value = self.record.fields.get("status")
        return str(value) if value is not None else None


@dataclass
class Timeline:
    """One action's printings in date order. `ambiguous` when its first printing could have continued another
    timeline (`candidates`, positions in the list `link` returns) and was kept apart instead."""

    entries: list[Entry]
    ambiguous: bool = False
    candidates: list[int] = field(default_factory=list)

    @property
    def raised(self) -> str | None:
        value = self.entries[0].record.fields.get("raised")
        return str(value) if value is not None else None

    @property
    def statuses(self) -> list[tuple[str | None, str | None]]:
        """(meeting, status as printed) at each meeting, oldest first."""
        return [(entry.date, entry.status) for entry in self.entries]

    @property
    def status(self) -> str | None:
        """The latest status printed, None when no printing gives one."""
        return next((status for _, status in reversed(self.statuses) if status), None)

    def done(self, words: tuple[str, ...]) -> bool:
        """Whether the latest status says the action needs nothing more: it holds one of `words` (the profiles'
        `done_words`), and not after "not" ("not completed" is open)."""
        return bool(self.status) and any(
            re.search(rf"(?<!\bnot )\b{re.escape(word)}\b", self.status, re.I) for word in words)


def link(actions: list[tuple[str | None, Record]]) -> list[Timeline]:
    """The actions (each with the meeting as of which it is printed) grouped into timelines, oldest meeting first.

    Meeting by meeting, each record is compared with the timelines built so far; it joins the one it matches when
    it matches only that one and no other record of its meeting matches it too. Records of one meeting never join
    each other: one paper printing two similar actions prints two actions. A record printed at no known meeting
    (web minutes with no date) cannot be placed in time: it is a timeline of its own, after the others. Records of
    other kinds are left out.
    """
    timelines: list[Timeline] = []
    dates = sorted({date for date, record in actions if record.kind == ACTION and date})
    for date in dates:
        records = [record for day, record in actions if day == date and record.kind == ACTION]
        matches = {id(record): [n for n, timeline in enumerate(timelines) if _continues(timeline, record, date)]
                   for record in records}
        claims: dict[int, int] = {}
        for found in matches.values():
            for number in found:
                claims[number] = claims.get(number, 0) + 1
        new: list[Timeline] = []
        for record in records:
            found = matches[id(record)]
            entry = Entry(date, record)
            if len(found) == 1 and claims[found[0]] == 1:
                timelines[found[0]].entries.append(entry)
            else:
                new.append(Timeline([entry], ambiguous=bool(found), candidates=found))
        timelines += new
    timelines += [Timeline([Entry(None, record)]) for date, record in actions if record.kind == ACTION and not date]
    return timelines


def _continues(timeline: Timeline, record: Record, date: str) -> bool:
    last = timeline.entries[-1]
    if (last.date or "") >= date or last.record.fields.get("raised") != record.fields.get("raised"):
        return False
    return any(same_action(entry.record, record) for entry in timeline.entries)


def same_action(one: Record, other: Record) -> bool:
    """Whether two printings (of one raising meeting) read as one action: the module's rule, for one pair."""
    if one.fields.get("raised") is None:
        first, second = _words(one.text), _words(other.text)
        return bool(first | second) and len(first & second) / len(first | second) >= SAME_ROW
    shared = _words(one.text) & _words(other.text)
    return same_item(one, other) and len(shared) >= SHARED and similarity(one.text, other.text) > SAME_WORDS


def same_item(one: Record, other: Record) -> bool:
    """The same item when both name one and their headings share most words; no heading is no objection."""
    first, second = _words(str(one.fields.get("minute") or "")), _words(str(other.fields.get("minute") or ""))
    return not first or not second or _overlap(first, second) >= SAME_ITEM


def similarity(one: str, other: str) -> float:
    """The share of the shorter text's content words found in the other (words folded to a rough stem)."""
    return _overlap(_words(one), _words(other))


def _overlap(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _words(text: str) -> set[str]:
    return {_stem(word) for word in re.findall(r"[a-z0-9]+", text.casefold()) if word not in _STOP and len(word) > 1}


def _stem(word: str) -> str:
    """"sharing", "shared", "shares" and "share" alike: a crude suffix cut, enough to compare two wordings."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") if len(word) > 3 else word
