"""Figures stated in sentences: "Current assessment timeliness is 54.2% (March 2025)", "In Quarter 3, 4% of contacts
were …", "rising from 70% in September 2023 to 86% in March 2024" (the rules are in `figures.py`'s docstring)."""

from __future__ import annotations

import re

from ingest.figure_text import FIGURE_TEXT, UNITS, clean_measure, comparator_words, figure_record
from ingest.periods import Period, find_periods
from ingest.records import Record
from ingest.sentences import sentences

_COPULA = re.compile(r"\s+(?:is|was|were|are|stands at|stood at|remains|remained|at|reached|of|"
                     r"(?:has |have )?(?:rose|risen|fell|fallen|increased|decreased|improved|reduced|dropped|grown|"
                     r"grew|declined) to)\s+(?:now\s+|currently\s+|only\s+|just\s+)?$", re.IGNORECASE)
_MEASURE_NOUN = re.compile(r"\b(?:number|rate|average|total|proportion|percentage|level|count|caseload)\b",
                           re.IGNORECASE)
_CHANGE_AFTER = re.compile(r"^\s*(?:percentage points?|points?|pp\b|increase|decrease|rise|fall|reduction|drop|"
                           r"improvement|fewer|more|higher|lower|less|up\b|down\b|decline|growth|better|worse)",
                           re.IGNORECASE)
_CHANGE_BEFORE = re.compile(r"\b(?:by|increase of|decrease of|reduction of|rise of|fall of|drop of|improvement of|"
                            r"up|down)\s+$", re.IGNORECASE)
_COMPARED_BEFORE = re.compile(r"\b(?:compared (?:to|with)|than|against|versus|vs\.?)\s+(?:the\s+)?$", re.IGNORECASE)
_TARGET_BEFORE = re.compile(r"\b(?:target|floor(?: standard)?|threshold|aim|ambition)\b(?:\s+\w+){0,3}?"
                            r"\s+(?:of\s+|at\s+|is\s+|was\s+)?(?:no more than\s+|at least\s+)?$", re.IGNORECASE)
_TARGET_AFTER = re.compile(r"^\s*(?:target|floor)\b", re.IGNORECASE)
_RESTATED_BEFORE = re.compile(r"\b(?:equates to|equating to|equivalent to|representing|represents)\s+$",
                              re.IGNORECASE)  # another figure said again as a share: "102 pupils … equates to 0.04%"
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\bto\s+$", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:it|this|that|these|those|which|there|they|we|he|she|although|though|while|whilst|and|"
                      r"but|so|however)\b|\bthis (?:measure|indicator|kpi|figure)\b", re.IGNORECASE)
_CHANGE_NOUN = re.compile(r"\b(?:increase|decrease|reduction|rise|fall|growth|decline|change)\b", re.IGNORECASE)
_MONEY = re.compile(r"[£$€]|\b(?:budget|funding|funded|spend|spending|expenditure|overspend|underspend|grant|"
                    r"savings?|costs?|income|revenue|capital|price)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\s\((?=\s*\d)|,\s+(?=(?:a|an|the|with|compared|which|this|while|whilst|but|"
                         r"however|\w+ing)\b)|\s(?=(?:compared|against|which|whilst|while|"
                         r"but)\b)|\s[-–]\s")
_LEAD_CHANGE = re.compile(r"\b(?:increase|decrease|reduction|rise|fall|improvement|change|drop)\s+(?:in|of)\s+",
                          re.IGNORECASE)
_LEAD_VERB = re.compile(r"\b(?:we|they|it|the council|the service)\s+(?:have\s+|has\s+)?\w+ed\s+", re.IGNORECASE)
# What may stand between a value and its period: a unit word, then a bracket or a preposition ("21 children in").
_PERIOD_GAP = re.compile(r"(?:\s+[a-z]+)?\s*(?:\(\s*|(?:in|at|as at|as of|for|during|over|by|by the end of|"
                         r"at the end of|to|on)\s+)?(?:the\s+)?$", re.IGNORECASE)


def sentence_figures(position: int, paragraph: str) -> list[Record]:
    """The figures the sentences of a paragraph state; `position` is their chunk's."""
    records = []
    for sentence in sentences(paragraph):
        if not re.search(r"\d", sentence):
            continue
        periods = find_periods(sentence, days=True)
        if periods:
            records += _figures_in(position, sentence, periods)
    return records


def _figures_in(position: int, sentence: str, periods: list[Period]) -> list[Record]:
    """Each number that is a value (not a change, target, comparator or restatement), with a measure and a period;
    a percentage anywhere, another number only after "is", "was", "rose to"… with a measure noun before it. Numbers
    inside periods or words ("20-week", "Year 11") are not read."""
    figures = [match for match in FIGURE_TEXT.finditer(sentence) if not _inside(match, periods)
               and not re.match(r"[\w/.]", sentence[match.end(): match.end() + 1])
               and not re.search(r"[\w/.-]$", sentence[: match.start()])]
    target = next((m.group(0) for m in figures if _role(sentence, m) == "target" and m.group("unit") == "%"), None)
    comparators = [_comparator_text(sentence, m) for m in figures if _role(sentence, m) == "comparator"]
    records = []
    for match in figures:
        role = _role(sentence, match)
        if role not in ("value", "from", "to") or match.group("currency"):
            continue
        measure = _sentence_measure(sentence, match, role)
        if not measure or _MONEY.search(measure) or _PRONOUN.search(measure) or _CHANGE_NOUN.search(measure):
            continue
        if match.group("unit") != "%" and not (role == "value" and _COPULA.search(sentence[: match.start()])
                                               and _MEASURE_NOUN.search(measure)):
            continue
        period = _period_of(sentence, match, periods, role)
        if period is None:
            continue
        shown_measure = clean_measure(_without(measure, period.text))
        if len(shown_measure.split()) < 2:
            continue
        records.append(figure_record(position, sentence, shown_measure, match.group(0).strip(), period.text,
                                     period.normalised, target, "; ".join(comparators) or None, None))
    return records


def _inside(match: re.Match[str], periods: list[Period]) -> bool:
    return any(period.start <= match.start() < period.end for period in periods)


def _role(sentence: str, match: re.Match[str]) -> str:
    """What a number in a sentence is: a change, a target, a comparator, a value compared against, the start or
    end of a "from … to …", or a value."""
    before, after = sentence[: match.start()], sentence[match.end():]
    if _CHANGE_AFTER.match(after) or _CHANGE_BEFORE.search(before):
        return "change"
    if _TARGET_BEFORE.search(before) or _TARGET_AFTER.match(after):
        return "target"
    words = comparator_words()
    if re.search(rf"\b(?:{words})\b[^.;%\d]{{0,40}}$", before, re.IGNORECASE) \
            or re.match(rf"^\s*(?:\(\d{{4}}\)\s*)?(?:{words})\b", after, re.IGNORECASE):
        return "comparator"
    if _COMPARED_BEFORE.search(before):
        return "compared"
    if _RESTATED_BEFORE.search(before):
        return "restated"
    if _FROM_BEFORE.search(before):
        return "from"
    if _TO_BEFORE.search(before) and re.search(r"\bfrom\s+" + FIGURE_TEXT.pattern, before, re.IGNORECASE):
        return "to"
    return "value"


def _comparator_text(sentence: str, match: re.Match[str]) -> str:
    """A comparator as printed: its label before the number ("England average of 22.4%") or after it."""
    words = comparator_words()
    before = re.search(rf"\b(?:{words})\b[^.;%\d]{{0,40}}$", sentence[: match.start()], re.IGNORECASE)
    if before:
        return f"{sentence[before.start(): match.start()]}{match.group(0)}".strip()
    after = re.match(rf"^\s*(?:\(\d{{4}}\)\s*)?(?:{words})\b", sentence[match.end():], re.IGNORECASE)
    return f"{match.group(0)}{after.group(0) if after else ''}".strip()


def _sentence_measure(sentence: str, match: re.Match[str], role: str) -> str:
    """The measure a value is of: "54.2% of <plans issued …>", "<the rate of …> was 22.2%", or what a
    "from … to …" moves ("an increase in <the percentage of …>, rising from …")."""
    before, after = sentence[: match.start()], sentence[match.end():]
    of = re.match(r"\s*(?:\([^()]*\)\s*)?of\s+(?!the\s+(?:target|floor))", after)
    if role == "value" and of:
        clause = after[of.end():]
        end = _CLAUSE_END.search(clause)
        return clause[: end.start()] if end else clause.rstrip(". ")
    if role == "value":
        copula = _COPULA.search(before)
        if not copula:
            return ""
        if re.search(r"\bthere$", before[: copula.start()].strip(), re.IGNORECASE):  # "there were 30% <staff …>"
            end = _CLAUSE_END.search(after)
            return after[: end.start()] if end else after.rstrip(". ")
        subject = _subject(before[: copula.start()])
        if copula.group(0).strip().lower() == "of":  # "… shows a combined rate of 161": the noun phrase only
            subject = re.split(r"\b(?:the|a|an|our|its|their)\s+", subject, flags=re.IGNORECASE)[-1]
        return subject
    lead = before[: before.lower().rfind("from ")] if role == "from" else \
        before[: re.search(r"\bfrom\s+" + FIGURE_TEXT.pattern, before, re.IGNORECASE).start()]
    lead = re.sub(r"\s*(?:,\s*)?\b(?:(?:has|have|had)\s+)?(?:rising|falling|increasing|decreasing|improving|"
                  r"reducing|rose|fell|increased|decreased|improved|reduced|dropped|moved|went)\s*$", "", lead.strip())
    share = re.search(r"%\s+of\s+", lead)
    if share:  # "92% of <PEPs received a green rating> - an improvement from 88% in 2021-22"
        end = _CLAUSE_END.search(lead, share.end())
        return lead[share.end(): end.start() if end else len(lead)]
    changes = list(_LEAD_CHANGE.finditer(lead))
    if changes:
        return lead[changes[-1].end():]
    verbs = list(_LEAD_VERB.finditer(lead))
    if verbs:
        return lead[verbs[-1].end():]
    return _subject(lead)


def _subject(text: str) -> str:
    """The clause right before a verb: after the last semicolon, colon or comma, unless that leaves one word."""
    text = re.sub(r"\s*\([^()]*\d[^()]*\)\s*$", "", text.strip().rstrip(","))
    pieces = re.split(r"[;:]\s+|,\s+", text)
    subject = pieces[-1]
    if len(subject.split()) < 2 and len(pieces) > 1:
        subject = ", ".join(pieces[-2:])
    if len(subject.split()) > 25 or subject.count("(") != subject.count(")") or re.search(r"\d\s?%", subject) \
            or re.search(r"\b(?:and|or|but|which|that|who|where)$", subject, re.IGNORECASE):
        return ""  # a clause, not a name: "… peaked at 18,000 in 2012 and [dropped to]", "RPI which [was]"
    return subject


def _period_of(sentence: str, match: re.Match[str], periods: list[Period], role: str) -> Period | None:
    """The period right after a value ("54.2% (March 2025)", "86% in March 2025"), else the nearest before it
    with no other percentage between ("In Quarter 3, 4% of …", "the rate … for the 12 months to December 2024
    was 22.2%"), else the one inside the measure's own words ("74% of assessments completed in Quarter 3 …")."""
    after = [p for p in periods if p.start >= match.end() and _PERIOD_GAP.fullmatch(sentence[match.end(): p.start])]
    if after or role in ("from", "to"):  # each end of a "from … to …" names its own period
        return after[0] if after else None
    owned = [m.end() for m in FIGURE_TEXT.finditer(sentence[: match.start()])  # "18,000 in 2012" owns 2012
             if UNITS.get((m.group("unit") or "").lower()) not in ("weeks", "days", "months")
             and not _inside(m, periods)]
    before = [p for p in periods if p.end <= match.start()
              and not re.search(r"\d\s?%", sentence[p.end: match.start()])
              and not any(end <= p.start and _PERIOD_GAP.fullmatch(sentence[end: p.start]) for end in owned)]
    if before:
        return before[-1]
    clause = re.match(r"\s*(?:\([^()]*\)\s*)?of\s+", sentence[match.end():])
    if clause:
        end = _CLAUSE_END.search(sentence, match.end() + clause.end())
        limit = end.start() if end else len(sentence)
        inside = [p for p in periods if match.end() < p.start and p.end <= limit]
        if inside and not re.search(r"\d\s?%", sentence[match.end(): inside[0].start]):
            return inside[0]
    return None


def _without(measure: str, period: str) -> str:
    """The measure's words without the period they name ("… for the 12 months to December 2024")."""
    return re.sub(rf"\s*(?:\b(?:in|for|during|over|at|as at|as of|to|by)\s+)?(?:the\s+)?(?:end of\s+)?"
                  rf"{re.escape(period)}", "", measure).strip()
