"""Record extraction measured against the gold records read off the papers by hand (tests/gold/records.jsonl):
the matching rule on its own, then recall and precision of every kind over the real corpus."""

from __future__ import annotations

from pathlib import Path

from eval.records import extracted, load_gold, matches, score
from ingest.records import ACTION, DECISION, FIGURE

from .conftest import shared_path

GOLD = Path(__file__).with_name("gold") / "records.jsonl"


def row(kind: str, text: str, doc: str = "bcp/a.txt", document_kind: str = "minutes", page: int | None = None,
        **fields) -> dict:
    return {"kind": kind, "text": text, "doc": doc, "document_kind": document_kind, "fields": fields,
            "page_start": page, "page_end": page}


def test_a_record_matches_by_its_words_or_by_value_measure_and_page():
    decision = {"kind": DECISION, "doc": "bcp/a.txt", "text": "RESOLVED that the report be noted and come back"}
    assert matches(decision, row(DECISION, "(c) RESOLVED that the report be noted and come back in June"))
    assert matches(decision, row(DECISION, "RESOLVED that the report be noted and come"))  # 80% of its words run
    assert not matches(decision, row(DECISION, "RESOLVED that the report be"))
    assert not matches(decision, row(DECISION, decision["text"], doc="bcp/b.txt"))
    assert not matches(decision, row(ACTION, decision["text"]))
    figure = {"kind": FIGURE, "doc": "pdf/k.pdf", "page": 38, "measure": "% of EHCPs issued within 20 weeks",
              "value": "67.1%"}
    assert matches(figure, row(FIGURE, "…", "pdf/k.pdf", page=38, measure="EHCPs issued within 20 weeks (%)",
                               value="67.1%"))
    assert not matches(figure, row(FIGURE, "…", "pdf/k.pdf", page=38, measure="EHCPs issued", value="67.1%"))
    assert not matches(figure, row(FIGURE, "…", "pdf/k.pdf", page=39, measure=figure["measure"], value="67.1%"))
    assert not matches(figure, row(FIGURE, "…", "pdf/k.pdf", page=38, measure=figure["measure"], value="67%"))


def test_each_gold_record_and_each_extracted_one_match_once_and_precision_counts_where_the_gold_is_complete():
    gold = [{"kind": DECISION, "doc": "bcp/a.txt", "text": "RESOLVED that the report be noted."}] * 2
    rows = [row(DECISION, "RESOLVED that the report be noted."),
            row(DECISION, "It is RECOMMENDED that the Committee note it.", document_kind="report"),
            row(DECISION, "RESOLVED that the public be excluded.")]
    assert score(gold, rows)[DECISION] == {"gold": 2, "found": 1, "recall": 0.5, "counted": 2, "precision": 0.5}


def test_decisions_actions_and_figures_are_found_as_the_papers_print_them(corpus_library):
    figures = score(load_gold(GOLD), extracted(corpus_library.view("officer"), shared_path("corpus")))
    assert {kind: figures[kind]["gold"] for kind in figures} == {DECISION: 63, ACTION: 60, FIGURE: 67}
    assert figures[DECISION]["recall"] >= 0.95 and figures[DECISION]["precision"] >= 0.9
    assert figures[ACTION]["recall"] >= 0.95 and figures[ACTION]["precision"] >= 0.9
    # The gold samples figures: other periods of a measure it names count against precision, a lower bound.
    assert figures[FIGURE]["recall"] >= 0.8 and figures[FIGURE]["precision"] >= 0.5
