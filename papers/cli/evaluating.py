"""`papers eval`: the gold questions over a corpus, every ablation, a report, and minimums that fail the run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from eval.ablations import ABLATIONS, primary
from eval.calibration import calibrate
from eval.corpus import check_evidence, corpus_settings, ingest_corpus
from eval.gold import load_questions
from eval.metrics import LOWER_IS_BETTER, METRICS, summarise
from eval.records import extracted, load_gold, score
from eval.report import write_report
from eval.runner import run
from papers.access import OFFICER
from papers.cli.output import console, errors, reported_problems
from papers.settings import get_settings

SHOWN = {"recall@1": "R@1", "recall@5": "R@5", "recall@10": "R@10", "mrr@10": "MRR@10", "fact_accuracy": "facts",
         "correct_abstention": "abstains rightly", "false_abstention": "abstains wrongly",
         "answer_words_p50": "words p50", "answer_words_p90": "words p90", "lead_fact_accuracy": "lead facts",
         "latency_p50_ms": "p50 ms",
         "latency_p95_ms": "p95 ms"}


def _minimums(pairs: list[str]) -> dict[str, float]:
    minimums = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in METRICS:
            raise typer.BadParameter(f"{name!r} is not one of {', '.join(METRICS)}", param_hint="--min")
        try:
            minimums[name] = float(value)
        except ValueError:
            raise typer.BadParameter(f"{pair!r} is not METRIC=NUMBER", param_hint="--min") from None
    return minimums


def evaluate(
    gold: Annotated[list[Path], typer.Option(help="A gold JSONL file; repeat for several.", exists=True,
                                             dir_okay=False)],
    corpus: Annotated[Path, typer.Option(help="The folder the gold evidence paths are relative to.", exists=True,
                                         file_okay=False)],
    out: Annotated[Path, typer.Option(help="Where report.md, metrics.json and the plots go.")] = Path("eval-report"),
    mode: Annotated[list[str] | None, typer.Option(help=f"Ablations to run (default all): {', '.join(ABLATIONS)}.")]
    = None,
    minimum: Annotated[list[str] | None, typer.Option("--min", help="METRIC=VALUE the configured assistant must "
                                                      "reach (for false_abstention and latencies, not exceed); "
                                                      "repeatable.")] = None,
    records: Annotated[Path | None, typer.Option(help="A gold file of records (decisions, actions, figures) read off "
                                                      "the corpus's papers: extraction's recall and precision are "
                                                      "reported per kind.", exists=True, dir_okay=False)] = None,
    folds: Annotated[int, typer.Option(help="Fit the answer step's knobs in this many folds of the questions and "
                                            "report out-of-fold figures (in-sample beside them); the minimums then "
                                            "apply to the out-of-fold ones. 0: the shipped knobs, no fitting.")]
    = 0,
) -> None:
    """Score the assistant on gold questions over a corpus, per ablation, kind and difficulty.

    Retrieval, facts, citations, abstention and latency, in a store and index of the corpus's own (kept up to date
    between runs); writes report.md, metrics.json and plots."""
    settings = corpus_settings(get_settings(), corpus)
    minimums = _minimums(minimum or [])
    names = mode or list(ABLATIONS)
    unknown = [name for name in names if name not in ABLATIONS]
    if unknown:
        raise typer.BadParameter(f"{unknown} not among {', '.join(ABLATIONS)}", param_hint="--mode")
    main = primary(settings)
    if main not in names:
        names.append(main)
    try:
        questions = load_questions(*gold)
        check_evidence(questions, corpus)
        gold_records = load_gold(records) if records else []
    except ValueError as error:
        errors.print(str(error))
        raise typer.Exit(2) from None
    if folds and not 2 <= folds <= len(questions):
        raise typer.BadParameter(f"0 (no fitting) or from 2 to {len(questions)} (the questions)",
                                 param_hint="--folds")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors) as bar:
        task = bar.add_task(f"Preparing {corpus}", total=None)
        library, summary = ingest_corpus(corpus, settings, on_file=lambda _: bar.advance(task))
        try:
            check_evidence(questions, corpus, library.store)
        except ValueError as error:
            bar.stop()
            errors.print(str(error))
            for _, problem in summary.errors:
                errors.print(f"  refused: {problem}")
            raise typer.Exit(2) from None
        with reported_problems():
            built = library.reindex()
        task = bar.add_task("Asking", total=len(questions) * len(names))
        results = run(questions, [ABLATIONS[name] for name in names], library, on_question=lambda: bar.advance(task),
                      traced=main if folds else None)
        calibration = None
        if folds:
            bar.add_task(f"Fitting the answer's knobs in {folds} folds", total=None)
            calibration = calibrate(results[main], folds)
            results[main] = calibration.out_of_fold
    about = {"gold": [str(path) for path in gold], "corpus": str(corpus), "questions": len(questions),
             "chunks": built.chunks, "files_ingested": summary.count("ingested"),
             "files_refused": summary.count("failed"), "home": str(settings.home), "folds": folds}
    extraction = score(gold_records, extracted(library.view(OFFICER), corpus)) if gold_records else None
    metrics = write_report(out, results, main, about, calibration, extraction)

    read = summary.count("ingested") + summary.count("unchanged")
    table = Table(title=f"{len(questions)} questions, {built.chunks} chunks from {read} files "
                        f"({summary.count('failed')} refused); report in {out}")
    table.add_column("ablation")
    for label in SHOWN.values():
        table.add_column(label)
    rows = {name + (" *" if name == main else ""): values["overall"] for name, values in metrics.items()}
    if calibration:
        rows |= {f"{main} in sample": summarise(calibration.in_sample),
                 f"{main} as shipped": summarise(calibration.shipped)}
    for name, overall in rows.items():
        table.add_row(name, *("" if overall[m] is None else f"{overall[m]:.3g}" for m in SHOWN))
    console.print(table)
    for kind, figures in (extraction or {}).items():
        console.print(f"{kind}s: {figures['found']} of {figures['gold']} gold records found (recall "
                      f"{figures['recall']:.3g}), precision {figures['precision']}")
    if calibration:
        console.print(f"* out of fold ({folds} folds). Knobs fitted on every question: {calibration.fitted.values}")
    overall = metrics[main]["overall"]
    misses = [f"{name} is undefined for these questions" if overall[name] is None else
              f"{name} {overall[name]} {'>' if name in LOWER_IS_BETTER else '<'} {bound}"
              for name, bound in minimums.items() if not _meets(overall[name], name, bound)]
    if misses:
        errors.print(f"Below the minimums for {main}: " + "; ".join(misses))
        raise typer.Exit(1)


def _meets(value: float | None, name: str, bound: float) -> bool:
    if value is None:
        return False
    return value <= bound if name in LOWER_IS_BETTER else value >= bound
