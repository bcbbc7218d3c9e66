"""An evaluation written out: `metrics.json`, `report.md` with the failed questions, and PNG plots."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from eval.calibration import Calibration, Knobs, score
from eval.metrics import METRICS, by, recall_curve, summarise
from eval.outcome import Outcome

SHOWN_PASSAGES = 3


def metrics_of(results: dict[str, list[Outcome]]) -> dict:
    return {name: _measured(outcomes) | {"recall_curve": recall_curve(outcomes)} for name, outcomes in results.items()}


def _measured(outcomes: list[Outcome]) -> dict:
    return {"overall": summarise(outcomes), "by_kind": by(outcomes, "kind"),
            "by_difficulty": by(outcomes, "difficulty")}


def calibration_of(calibration: Calibration) -> dict:
    """What metrics.json says of a calibration: the knobs each fit chose, and the figures beside the headline."""
    return {"folds": calibration.k, "seed": calibration.seed,
            "knobs": {"shipped": Knobs().values, "fitted": calibration.fitted.values,
                      "per_fold": [knobs.values for knobs in calibration.per_fold]},
            "in_sample": _measured(calibration.in_sample), "shipped": _measured(calibration.shipped)}


def _cell(value: float | None, metric: str) -> str:
    if value is None:
        return ""
    if "_words" in metric:
        return f"{value:.0f}"
    return f"{value:.1f}" if metric.endswith("_ms") else f"{value:.3f}"


def _table(rows: dict[str, dict], columns: Sequence[str], label: str) -> list[str]:
    lines = [f"| {label} | n | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for name, values in rows.items():
        lines.append(f"| {name} | {values['questions']} | " + " | ".join(_cell(values[c], c) for c in columns) + " |")
    return lines


def _failure(outcome: Outcome) -> list[str]:
    question = outcome.question
    rank = outcome.rank
    head = f"### {question.id} ({question.kind}, {question.difficulty}): {question.question}"
    lines = [head, ""]
    if question.answerable:
        lines.append(f"- Expected: {'; '.join(q.replace(chr(9), ' ') for q in question.quotes)[:400]}")
        lines.append(f"- First supporting passage: {'rank ' + str(rank) if rank else 'not in the top 10'}")
    else:
        lines.append("- The papers do not answer it; the response should abstain.")
    lines.append(f"- Answered: {outcome.answered}. Answer: {outcome.response.answer[:300]}")
    for passage in outcome.response.passages[:SHOWN_PASSAGES]:
        document = passage.document
        text = " ".join(passage.text.split())[:200]
        lines.append(f"- Retrieved {passage.rank}: {document.committee} {document.meeting_date}, "
                     f"{document.kind} \"{document.title[:60]}\": {text}")
    return [*lines, ""]


def _calibration_section(calibration: Calibration, primary: str) -> list[str]:
    rows = {"out of fold (the headline)": summarise(calibration.out_of_fold),
            "in sample (fitted on every question)": summarise(calibration.in_sample),
            "as shipped (retrieval/ask.py)": summarise(calibration.shipped)}
    fitted, shipped = calibration.fitted.values, Knobs().values
    names = list(shipped)
    settings = [f"| knobs | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|",
                f"| shipped | {' | '.join(f'{shipped[n]:g}' for n in names)} |",
                f"| fitted on every question | {' | '.join(f'{fitted[n]:g}' for n in names)} |",
                *(f"| fitted without fold {fold + 1} | {' | '.join(f'{each.values[n]:g}' for n in names)} |"
                  for fold, each in enumerate(calibration.per_fold))]
    oof, in_sample, as_shipped = (score(summary) for summary in rows.values())
    differ = [name for name in names if fitted[name] != shipped[name]]
    verdict = "Fitted on every question, the knobs are those shipped."
    if differ:
        verdict = (f"Fitted on every question, the knobs differ from those shipped in {', '.join(differ)}; out of "
                   f"fold the fit {'beats' if oof > as_shipped else 'does not beat'} the shipped knobs, so "
                   f"{'they are worth proposing' if oof > as_shipped else 'keep those'}.")
    return [
        f"## Calibration ({calibration.k} folds)", "",
        f"`{primary}`'s answer-step knobs (abstention: score, coverage, gap; quoting: margin, most) fitted on a grid "
        "to the objective fact accuracy + citation support + correct abstention − 2 × false abstention, in "
        f"{calibration.k}-fold cross-validation stratified by kind and answerability (seed {calibration.seed}). "
        "Each question is answered extractively with the knobs fitted on the other folds: those are "
        f"`{primary}`'s figures throughout this report. Search is the same under every knob, so recall and MRR do "
        "not move.", "",
        *_table(rows, METRICS, "answered with"), "",
        f"Objective: {oof:.3f} out of fold, {in_sample:.3f} in sample, {as_shipped:.3f} with the shipped knobs.", "",
        *settings, "", verdict, "",
    ]


def write_report(out: Path, results: dict[str, list[Outcome]], primary: str, about: dict,
                 calibration: Calibration | None = None, extraction: dict | None = None) -> dict:
    """Write the three outputs and return the metrics; with a calibration, `results[primary]` holds its
    out-of-fold outcomes and the report shows the in-sample and shipped figures beside them; with `extraction`
    (`eval/records.py`'s score), record extraction's recall and precision per kind."""
    out.mkdir(parents=True, exist_ok=True)
    metrics = metrics_of(results)
    written = {"about": about, "primary": primary, "ablations": metrics}
    if calibration:
        written["calibration"] = calibration_of(calibration)
    if extraction:
        written["records"] = extraction
    (out / "metrics.json").write_text(json.dumps(written, indent=2), encoding="utf-8")
    _plots(out, metrics, primary)
    main = metrics[primary]
    failed = [outcome for outcome in results[primary] if outcome.failed]
    headline = (f" Its figures are out of fold: each question answered with knobs fitted on the other "
                f"{calibration.k - 1} folds." if calibration else "")
    lines = [
        "# Evaluation", "",
        f"{about['questions']} questions from {', '.join(about['gold'])}, over {about['corpus']} "
        f"({about['chunks']} chunks). The assistant as configured is `{primary}`.{headline}", "",
        *(_calibration_section(calibration, primary) if calibration else []),
        *(_extraction_section(extraction) if extraction else []),
        "## Ablations", "",
        *_table({name: m["overall"] for name, m in metrics.items()}, METRICS, "ablation"), "",
        "![recall@k per ablation](recall_at_k.png)", "",
        f"## `{primary}` by kind", "", *_table(main["by_kind"], METRICS, "kind"), "",
        "![metrics per kind](by_kind.png)", "",
        f"## `{primary}` by difficulty", "", *_table(main["by_difficulty"], METRICS, "difficulty"), "",
        f"## Failed questions ({len(failed)})", "",
        "Missed in the top 10, a fact left out of the answer, or the wrong call on whether the papers answer it.", "",
    ]
    for outcome in failed:
        lines += _failure(outcome)
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    return metrics


def _extraction_section(extraction: dict) -> list[str]:
    """Record extraction against the gold records: precision only where the gold is complete (eval/records.py)."""
    lines = ["## Record extraction", "", "| kind | gold | found | recall | counted for precision | precision |",
             "|---|---|---|---|---|---|"]
    for kind, figures in extraction.items():
        precision = "" if figures["precision"] is None else f"{figures['precision']:.3f}"
        lines.append(f"| {kind} | {figures['gold']} | {figures['found']} | {figures['recall']:.3f} | "
                     f"{figures['counted']} | {precision} |")
    return [*lines, ""]


def _plots(out: Path, metrics: dict, primary: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only, no screen
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5))
    for name, values in metrics.items():
        curve = values["recall_curve"]
        axes.plot(range(1, len(curve) + 1), curve, marker="o", label=name, linewidth=2.5 if name == primary else 1.2)
    axes.set(xlabel="k (passages read)", ylabel="recall@k", title="Recall@k on the gold questions", ylim=(0, 1))
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(out / "recall_at_k.png", dpi=110)
    pyplot.close(figure)

    kinds = metrics[primary]["by_kind"]
    shown = ("recall@1", "recall@10", "mrr@10", "fact_accuracy", "correct_abstention")
    figure, axes = pyplot.subplots(figsize=(9, 4.5))
    width = 0.8 / len(shown)
    for offset, metric in enumerate(shown):
        values = [float("nan") if kinds[kind][metric] is None else kinds[kind][metric] for kind in kinds]
        axes.bar([i + offset * width for i in range(len(kinds))], values, width, label=metric)
    axes.set_xticks([i + width * (len(shown) - 1) / 2 for i in range(len(kinds))], list(kinds))
    axes.set(ylim=(0, 1), title=f"{primary}: metrics per question kind")
    axes.legend(fontsize=8, ncols=len(shown), loc="upper center", bbox_to_anchor=(0.5, -0.08))
    figure.tight_layout()
    figure.savefig(out / "by_kind.png", dpi=110)
    pyplot.close(figure)
