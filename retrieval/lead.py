"""The answer's first line: what the record behind a cited passage says, in a line a councillor reads at a glance.

When a question asks where something stands, for a figure, or what was decided, and a passage the answer cites
prints a record of that kind (extracted at ingest, `ingest/records.py`) about what was asked (holding 80% of the
question's topic terms: a lead about the wrong measure or action is worse than none), the line is built
from the record's fields: the status as printed and when, with the earlier statuses the answer also cites; the
value, period, target and comparator; the decision and its meeting. It is kept under `LEAD_WORDS` words and shown
only when every figure, date and status word in it is in a passage it cites (`grounding.unsupported`); else the
answer has no lead and reads as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from ingest.dates import human_date
from ingest.records import ACTION, DECISION, FIGURE
from retrieval.contract import Citation, LeadRecord
from retrieval.grounding import unsupported
from retrieval.listing import topic_coverage
from retrieval.query import Query

LEAD_WORDS = 40
# Of the question's topic terms (by rarity), the share a record must hold to be what was asked about: a decision
# is told by its words alone; an action or figure also by the rules below (numbers named, fields asked for).
MIN_COVERAGE = {ACTION: 0.5, FIGURE: 0.5, DECISION: 0.8}
# A question naming one of these asks for a field the record must have printed: a lead without it answers
# something else.
FIELDS_ASKED = {"target": re.compile(r"\btargets?\b", re.I),
                "comparator": re.compile(r"\b(?:compar\w*|neighbours?|national|england|regional|benchmark)\b", re.I),
                "rag": re.compile(r"\b(?:rag|rating)\b", re.I)}
_NUMBER = re.compile(r"\d+")
# The records that answer each kind of question, best first: where something stands is an action's status or a
# measure's latest figure (with its RAG).
KINDS_ASKED = {"status": (ACTION, FIGURE), "amount": (FIGURE,), "count": (FIGURE,), "percent": (FIGURE,),
               "number": (FIGURE,), "decision": (DECISION,), "vote": (DECISION,)}
# A question asking for no kind of answer in particular ("What is the foster carer approval rate?") is led by a
# figure of the measure it names, else an action it names; a record about anything else is kept out by MIN_COVERAGE.
UNSAID = (FIGURE, ACTION)
Earlier = Callable[[dict], list[dict]]  # a record's earlier printings (store rows with `date`), oldest first


def kinds_asked(query: Query) -> tuple[str, ...]:
    """The kinds of record that answer the question, from its first wanted kind of answer that a record holds
    (`UNSAID` when it wants none in particular)."""
    if not query.wants:
        return UNSAID
    return next((KINDS_ASKED[want] for want in query.wants if want in KINDS_ASKED), ())


def lead(query: Query, citations: Sequence[Citation], records: Mapping[str, list[dict]],
         rarity: Mapping[str, float], earlier: Earlier) -> tuple[str, LeadRecord] | None:
    """The lead line for an answer and the record it was built from, or None. `records` are the cited passages'
    records of `kinds_asked(query)`, by chunk id: the one about most of what was asked wins (then the kind asked
    first, a figure's latest period, the first citation)."""
    kinds = kinds_asked(query)
    scored = [(topic_coverage(query, _about(row), rarity), -kinds.index(row["kind"]),
               row["fields"].get("period_normalised") or "", -citation.n, citation, row)
              for citation in citations for row in records.get(citation.chunk_id, []) if row["kind"] in kinds]
    scored = [item for item in scored if item[0] >= MIN_COVERAGE[item[-1]["kind"]] and fits(query, item[-1])]
    best = max(scored, key=lambda item: item[:4], default=None)
    if best is None:
        return None
    *_, citation, row = best
    line = _line(row, citation.n, citations, earlier)
    if unsupported(line, citations):
        return None
    return line, LeadRecord(id=row["id"], kind=row["kind"], n=citation.n, text=row["text"], date=row["date"],
                            fields=row["fields"])


def fits(query: Query, row: dict) -> bool:
    """A figure is of the measure asked about only when every number the question names ("over 30 weeks") is in
    its measure, and any record only when it printed each field the question asks for (a target, a comparator,
    a RAG rating)."""
    fields = row["fields"]
    if any(asked.search(query.text) and not fields.get(field) for field, asked in FIELDS_ASKED.items()
           if row["kind"] == FIGURE):
        return False
    named = set(_NUMBER.findall(re.sub(r"\b(?:19|20)\d\d\b", " ", query.text)))  # years name a period, not a measure
    return row["kind"] != FIGURE or named <= set(_NUMBER.findall(str(fields.get("measure") or "")))


def _about(row: dict) -> str:
    """What a record is about, for matching it to the question: its text, and a figure's measure."""
    return f"{row['fields'].get('measure') or ''} {row['text']}"


def _line(row: dict, n: int, citations: Sequence[Citation], earlier: Earlier) -> str:
    fields = row["fields"]
    if row["kind"] == FIGURE:
        parts = [f"{fields['measure']}: {fields['value']}" + (f" ({fields['period']})" if fields.get("period") else ""),
                 f"target {fields['target']}" if fields.get("target") else "", fields.get("comparator") or "",
                 fields.get("rag") or ""]
        return _cut(" · ".join(part for part in parts if part), f" [{n}]")
    when = human_date(row["date"], "%B")
    if row["kind"] == DECISION:
        return f"{line_of(row, LEAD_WORDS)} [{n}]"
    markers = {citation.chunk_id: citation.n for citation in citations}
    history = [f"{printing['fields']['status']}, {human_date(printing['date'], '%B')} "
               f"[{markers[printing['chunk_id']]}]" for printing in earlier(row)
               if printing["fields"].get("status") and printing["chunk_id"] in markers]
    status = fields.get("status") or "No status printed"
    owner = f"; lead: {fields['owner']}" if fields.get("owner") else ""
    head = (f"{status.rstrip('.')}, {when} [{n}]{owner}"
            + (f"; earlier: {'; '.join(reversed(history))}" if history else ""))
    return _cut(f"{head}. {row['text']}", "")


def line_of(row: dict, words: int = 30) -> str:
    """A record in a line of a list: an action's status as printed and when, a decision's kind and meeting, a
    figure's value and period; then what it says, cut to `words` words."""
    fields, when = row["fields"], human_date(row["date"], "%B")
    if row["kind"] == FIGURE:
        head = f"{fields['measure']}: {fields['value']}" + (f" ({fields['period']})" if fields.get("period") else "")
        return _cut(head, "", words)
    if row["kind"] == DECISION:
        head = f"{str(fields.get('decision', '')).replace('_', ' ').capitalize()}, {when}"
    else:
        head = f"{(row.get('status') or fields.get('status') or 'No status printed').rstrip('.')}, {when}"
    return _cut(f"{head}: {row['text']}", "", words)


def _cut(text: str, marker: str, words: int = LEAD_WORDS) -> str:
    """The line within `words` words (cut at a word, with an ellipsis), its marker after it."""
    split = text.split()
    if len(split) > words:
        text = " ".join(split[:words]) + " …"
    return f"{text}{marker}"
