"""Record extraction scored against a gold file read off the papers by hand (tests/gold/README.md says how it was
made and how a record counts as found): recall of every kind, precision where the gold is complete.

Decisions and actions match by text (an extracted record of the same kind and paper holding a contiguous run of 80%
of the gold text's words, the gold questions' own rule); figures by value and measure (the same value, a measure
holding 80% of the gold measure's key words, on the same page of a PDF). Each gold record and each extracted one
matches once. The gold lists every decision of the minutes it covers and every action of the sheets it covers, so
precision is counted over extracted records of those documents; it lists a sample of figures, so precision is
counted over extracted figures of the measures it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from eval.scoring import normalise, supports
from ingest.records import ACTION, DECISION, FIGURE, KINDS
from papers.view import View

# The documents a kind's gold is complete for: precision is counted over records extracted from documents of these.
COMPLETE_IN = {DECISION: ("minutes", "web_minutes"), ACTION: ("action_sheet",)}
_STOP = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of",
                   "on", "or", "per", "the", "their", "to", "was", "were", "with", "within", "who", "which"})


def load_gold(path: Path) -> list[dict]:
    """The gold records, one JSON object a line; a malformed line is an error naming the file and line."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if record["kind"] not in KINDS or not isinstance(record["doc"], str):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{path}:{number}: not a record with a known `kind` and a `doc`") from None
        records.append(record)
    return records


def key_words(measure: str) -> set[str]:
    """A measure's words without stop words and numbers."""
    return {word for word in re.findall(r"[^\W\d_]+", normalise(measure)) if word not in _STOP}


def matches(gold: dict, row: dict) -> bool:
    """Whether an extracted record (a store row with `doc`, its path relative to the corpus) is the gold one."""
    if gold["kind"] != row["kind"] or gold["doc"] != row["doc"]:
        return False
    if gold["kind"] != FIGURE:
        return supports(row["text"], gold["text"])
    if normalise(str(row["fields"].get("value") or "")) != normalise(gold["value"]):
        return False
    if gold.get("page") and row["page_start"] and not row["page_start"] <= gold["page"] <= row["page_end"]:
        return False
    wanted = key_words(gold["measure"])
    return bool(wanted) and len(wanted & key_words(str(row["fields"].get("measure") or ""))) >= 0.8 * len(wanted)


def score(gold: list[dict], extracted: Iterable[dict]) -> dict[str, dict]:
    """Per kind: gold records, extracted records counted for precision, matched pairs, recall and precision."""
    rows = list(extracted)
    gold_docs = {record["doc"] for record in gold}
    out = {}
    for kind in KINDS:
        wanted = [record for record in gold if record["kind"] == kind]
        if not wanted:
            continue
        if kind == FIGURE:
            measures = [key_words(record["measure"]) for record in wanted]
            counted = [row for row in rows if row["kind"] == kind and row["doc"] in gold_docs and any(
                words and len(words & key_words(str(row["fields"].get("measure") or ""))) >= 0.8 * len(words)
                for words in measures)]
        else:
            counted = [row for row in rows if row["kind"] == kind and row["doc"] in gold_docs
                       and row["document_kind"] in COMPLETE_IN[kind]]
        found = _pairs(wanted, [row for row in rows if row["kind"] == kind])
        precise = _pairs(wanted, counted)
        out[kind] = {"gold": len(wanted), "found": found, "recall": round(found / len(wanted), 4),
                     "counted": len(counted), "precision": round(precise / len(counted), 4) if counted else None}
    return out


def extracted(view: View, corpus: Path) -> list[dict]:
    """Every record the view holds, each with `doc`, its file's path relative to the corpus folder."""
    root = corpus.resolve()
    return [row | {"doc": Path(row["source_path"]).relative_to(root).as_posix()}
            for kind in KINDS for row in view.records(kind) if Path(row["source_path"]).is_relative_to(root)]


def _pairs(gold: list[dict], rows: list[dict]) -> int:
    """How many gold records find an extracted one of their own, each extracted record taken once (greedily, in
    the gold's order)."""
    free = list(rows)
    found = 0
    for record in gold:
        partner = next((row for row in free if matches(record, row)), None)
        if partner is not None:
            free.remove(partner)
            found += 1
    return found
