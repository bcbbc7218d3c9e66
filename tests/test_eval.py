"""The evaluation harness: each response scored by the gold rules, metrics aggregated, the CLI end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from eval.gold import Evidence, Question, load_questions
from eval.metrics import by, summarise
from eval.outcome import Outcome
from papers.cli import app
from papers.settings import get_settings
from retrieval.contract import Answer

from .conftest import SAMPLES

QUOTE = "118 approved foster households, against a target of 130"


def question(answerable: bool = True, kind: str = "numeric", facts: list | None = None) -> Question:
    evidence = [Evidence("committee-pack.txt", QUOTE)] if answerable else []
    return Question("q", "How many foster households?", kind, "easy", facts=facts or (["118"] if answerable else []),
                    evidence=evidence)


def response(answered: bool, answer: str = "", cited: list[str] = (), passages: list[str] = ()) -> Answer:
    """Only what scoring reads of the contract: whether it answered, the answer, cited and found texts."""
    return Answer.model_construct(answered=answered, answer=answer,
                                  citations=[SimpleNamespace(text=text) for text in cited],
                                  passages=[SimpleNamespace(rank=i, text=text) for i, text in enumerate(passages, 1)])


def test_a_malformed_gold_file_is_refused_with_the_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    row = SAMPLE_GOLD[0]
    gold.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(ValueError, match=r"gold.jsonl:2: id 's1' is used twice"):
        load_questions(gold)
    gold.write_text(json.dumps(row | {"facts": "118"}))
    with pytest.raises(ValueError, match=r"gold.jsonl:1: .*facts"):
        load_questions(gold)


def test_abstention_is_scored_both_ways():
    assert Outcome(question(answerable=False), response(False), 1).abstained_correctly
    assert Outcome(question(answerable=False), response(True, "Yes: 5"), 1).failed
    wrongly = Outcome(question(), response(False), 1)
    assert wrongly.abstained_wrongly and not wrongly.facts_correct


def test_facts_citations_and_groundedness():
    passage = f"At 31 December 2025 the council had {QUOTE} set in the Strategy."
    good = Outcome(question(), response(True, "There are 118 households [1].", [passage], [passage]), 1)
    assert good.facts_correct and good.citation_supported and good.grounded and good.rank == 1
    assert good.answer_words == 4  # the marker is not a word
    ungrounded = Outcome(question(), response(True, "There are 118 households [1].", ["other text"], []), 1)
    assert ungrounded.facts_correct and not ungrounded.grounded and not ungrounded.citation_supported
    assert ungrounded.rank is None and ungrounded.failed


def test_metrics_over_answerable_and_unanswerable_questions():
    passage = f"council had {QUOTE}"
    outcomes = [
        Outcome(question(), response(True, "118", [passage], ["noise", passage]), 10),
        Outcome(question(kind="status"), response(False, "", [], ["noise"]), 30),
        Outcome(question(answerable=False, kind="unanswerable"), response(False), 20),
    ]
    overall = summarise(outcomes)
    assert (overall["questions"], overall["answerable"]) == (3, 2)
    assert overall["recall@1"] == 0 and overall["recall@5"] == 0.5 and overall["mrr@10"] == 0.25
    assert overall["fact_accuracy"] == 0.5 and overall["citation_support"] == 0.5
    assert overall["groundedness"] == 1.0  # over answered questions only
    assert overall["correct_abstention"] == 1.0 and overall["false_abstention"] == 0.5
    assert overall["latency_p50_ms"] == 20
    assert overall["answer_words_p50"] == overall["answer_words_p90"] == 1  # over answered questions only
    kinds = by(outcomes, "kind")
    assert set(kinds) == {"numeric", "status", "unanswerable"} and kinds["unanswerable"]["recall@10"] is None


def test_the_lead_line_is_scored_on_its_own_where_there_is_one():
    led = response(True, "Approved foster households: 118 (Dec-25) [1]\n…", ["118"])
    led.lead = "Approved foster households: 118 (Dec-25) [1]"
    wrong = response(True, "Approved foster households: 114 (Sep-25) [1]\n118", ["118"])
    wrong.lead = "Approved foster households: 114 (Sep-25) [1]"
    overall = summarise([Outcome(question(), led, 1), Outcome(question(), wrong, 1),
                         Outcome(question(), response(True, "118", ["118"]), 1)])
    assert overall["lead_share"] == round(2 / 3, 4) and overall["lead_fact_accuracy"] == 0.5
    assert overall["lead_words_max"] == 5 and overall["fact_accuracy"] == 1.0


SAMPLE_GOLD = [
    {"id": "s1", "question": "How many approved foster households did the council have at the end of 2025?",
     "answer": "118", "facts": ["118"], "kind": "numeric", "difficulty": "easy",
     "evidence": [{"doc": "committee-pack.txt", "quote": "the council had 118 approved foster households"}]},
    {"id": "s2", "question": "What did the committee decide about the youth parliament?", "answer": "",
     "facts": [], "kind": "unanswerable", "difficulty": "medium", "evidence": []},
]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, [str(arg) for arg in args])
    get_settings.cache_clear()


def sample_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """The sample gold questions and a corpus folder of the sample committee pack."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in SAMPLE_GOLD), encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "committee-pack.txt").write_text((SAMPLES / "committee-pack.txt").read_text(), encoding="utf-8")
    return gold, corpus


def test_papers_eval_writes_the_report_and_fails_below_a_minimum(run, tmp_path):
    gold, corpus = sample_corpus(tmp_path)
    out = tmp_path / "report"

    result = run("eval", "--gold", gold, "--corpus", corpus, "--out", out, "--min", "recall@10=1")
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["primary"] == "hybrid-weighted"
    assert set(metrics["ablations"]) == {"bm25", "dense", "hybrid-weighted", "hybrid-rrf", "hybrid-no-expansion"}
    overall = metrics["ablations"]["hybrid-weighted"]["overall"]
    assert overall["recall@10"] == 1 and overall["correct_abstention"] == 1 and overall["false_abstention"] == 0
    assert overall["fact_accuracy"] == 1 and overall["citation_support"] == 1 and overall["groundedness"] == 1
    report = (out / "report.md").read_text()
    assert "## Failed questions (0)" in report
    assert (out / "recall_at_k.png").stat().st_size > 1000 and (out / "by_kind.png").stat().st_size > 1000

    wrong = tmp_path / "wrong.jsonl"  # a fact the papers do not hold: the question is listed with what was found
    wrong.write_text(json.dumps(SAMPLE_GOLD[0] | {"facts": ["4567"]}), encoding="utf-8")
    assert run("eval", "--gold", wrong, "--corpus", corpus, "--out", out, "--mode", "bm25").exit_code == 0
    listed = (out / "report.md").read_text()
    assert "## Failed questions (1)" in listed and "- Retrieved 1: " in listed and "- Answered: True." in listed

    again = run("eval", "--gold", gold, "--corpus", corpus, "--out", out, "--mode", "bm25",
                "--min", "latency_p50_ms=0.001")
    assert again.exit_code == 1 and "latency_p50_ms" in again.output

    assert run("eval", "--gold", gold, "--corpus", corpus, "--min", "recall@11=1").exit_code == 2
    (corpus / "committee-pack.txt").rename(corpus / "renamed.txt")
    missing = run("eval", "--gold", gold, "--corpus", corpus)
    assert missing.exit_code == 2 and "s1: evidence doc 'committee-pack.txt'" in missing.output


def test_papers_eval_with_folds_reports_out_of_fold_figures_beside_in_sample_ones(run, tmp_path):
    gold, corpus = sample_corpus(tmp_path)
    out = tmp_path / "report"
    assert run("eval", "--gold", gold, "--corpus", corpus, "--mode", "hybrid-weighted", "--folds", "3").exit_code == 2

    result = run("eval", "--gold", gold, "--corpus", corpus, "--out", out, "--mode", "hybrid-weighted",
                 "--folds", "2", "--min", "fact_accuracy=1", "--min", "answer_words_p90=200")
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    calibration = metrics["calibration"]
    assert calibration["folds"] == 2 and len(calibration["knobs"]["per_fold"]) == 2
    assert set(calibration["knobs"]["fitted"]) == {"score", "coverage", "gap", "margin", "most"}
    headline = metrics["ablations"]["hybrid-weighted"]["overall"]
    # each question fitted without the other: one answers at the shipped knobs, one abstains at them
    assert headline["fact_accuracy"] == 1 and headline["correct_abstention"] == 1
    assert calibration["in_sample"]["overall"]["recall@10"] == headline["recall@10"] == 1
    assert calibration["shipped"]["overall"]["answer_words_p50"] > 3
    report = (out / "report.md").read_text()
    assert "## Calibration (2 folds)" in report and "| out of fold (the headline) | 2 |" in report
    assert "| fitted without fold 2 |" in report and "Fitted on every question, the knobs" in report


def test_papers_ask_batch_prints_one_contract_line_per_question_in_order(run, tmp_path):
    assert run("ingest", SAMPLES / "committee-pack.txt").exit_code == 0
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "a", "question": "foster households"}\n\n{"id": 7, "question": "HMOs"}\n')
    result = run("ask", "--batch", questions, "-k", "2")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "7"]
    assert all(len(line["passages"]) == 2 for line in lines)
    assert {"question", "answer", "citations", "timings_ms"} <= set(lines[0])
    assert lines[0]["answered"] and "[1]" in lines[0]["answer"] and lines[0]["citations"][0]["n"] == 1

    for line in ('{"question": "no id"}', '{"id": 1, "question": ""}', '{"id": 1, "question": null}'):
        questions.write_text(line + "\n")
        bad = run("ask", "--batch", questions)
        assert bad.exit_code == 2 and "questions.jsonl:1:notaJSONobject" in re.sub(r"[│\s]+", "", bad.output)
