"""The answer step's knobs fitted on folds of the gold questions, so the figures we report are honest by construction.

The knobs are the abstention thresholds (`Support`: score, coverage, gap) and how much an answer quotes
(`Selection`: margin, most). Each point of a grid (the axes below) is tried on every question by answering it again
from what its answer was chosen from (`eval/tracing.py`: search and reranking are the same under every knob), and
the point that scores best on the objective is fitted. In k-fold cross-validation each question is answered with
the point fitted on the other folds (out of fold, the headline figure). The point fitted on every question (in
sample, beside it) is what the product would ship with, if the out-of-fold figures beat the shipped knobs'; the gap
between in sample and out of fold is how much the fit flatters itself.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from eval.gold import Question
from eval.outcome import Outcome
from eval.tracing import Trace
from retrieval.ask import Selection, Support, choose, reply
from retrieval.rerank import Scored

SEED = 14  # fixed, so two runs fold the same questions the same way
FALSE_ABSTENTION_COST = 2.0
AXES: dict[str, tuple[float, ...]] = {  # each holds the shipped default (retrieval/ask.py)
    "score": (0.36, 0.38, 0.40, 0.42, 0.44, 0.46, 0.48, 0.50, 0.52),
    "coverage": (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4),
    "gap": (0.10, 0.14, 0.18, 0.22, 0.26),
    "margin": (0.06, 0.09, 0.12, 0.15, 0.18),
    "most": (2, 3, 4),
}


@dataclass(frozen=True)
class Knobs:
    """One setting of the answer step's knobs."""

    selection: Selection = field(default_factory=Selection)
    support: Support = field(default_factory=Support)

    @classmethod
    def of(cls, values: dict[str, float]) -> Knobs:
        """The shipped knobs with the grid's axes set to `values`."""
        selection = replace(Selection(), margin=values["margin"], most=int(values["most"]))
        support = replace(Support(), score=values["score"], coverage=values["coverage"], gap=values["gap"])
        return cls(selection, support)

    @property
    def values(self) -> dict[str, float]:
        return {"score": self.support.score, "coverage": self.support.coverage, "gap": self.support.gap,
                "margin": self.selection.margin, "most": self.selection.most}


def grid(axes: dict[str, tuple[float, ...]] = AXES) -> list[Knobs]:
    """Every combination of the axes' values, nearest the shipped knobs first (counted in grid steps), so that of
    points that score the same the fit keeps the one that changes least."""
    shipped = Knobs().values
    home = {name: values.index(shipped[name]) for name, values in axes.items()}
    points = itertools.product(*(range(len(values)) for values in axes.values()))
    ordered = sorted(points, key=lambda point: (sum(abs(i - home[name]) for name, i in zip(axes, point, strict=True)),
                                                point))
    return [Knobs.of({name: axes[name][i] for name, i in zip(axes, point, strict=True)}) for point in ordered]


def folds(questions: Sequence[Question], k: int, seed: int = SEED) -> list[int]:
    """Each question's fold (0 to k-1), stratified by kind and by whether the papers answer it: each stratum's
    questions are shuffled (by a fixed seed, from id order, so the file order does not matter) and dealt round
    the folds, the deal carrying on from one stratum to the next so small strata do not pile into the first fold."""
    strata: dict[tuple[str, bool], list[int]] = {}
    for index, question in enumerate(questions):
        strata.setdefault((question.kind, question.answerable), []).append(index)
    shuffle = random.Random(seed)
    fold_of = [0] * len(questions)
    dealt = 0
    for stratum in sorted(strata):
        members = sorted(strata[stratum], key=lambda index: questions[index].id)
        shuffle.shuffle(members)
        for index in members:
            fold_of[index] = dealt % k
            dealt += 1
    return fold_of


@dataclass(frozen=True)
class Table:
    """How every grid point does on every question: rows are grid points, columns questions."""

    facts: np.ndarray  # the answer holds every fact
    cited: np.ndarray  # a cited passage supports a gold quote
    abstained: np.ndarray  # the answer says the papers do not answer it
    answerable: np.ndarray  # one flag per question


def objective(table: Table, rows: Sequence[int]) -> np.ndarray:
    """Each grid point's fact accuracy + citation support + correct abstention − 2 × false abstention over the
    questions `rows`. Facts and a supporting citation are what an answer gives; a right abstention is the honest
    no. A false abstention already loses its facts; it costs twice more because it hides what the papers do say,
    and the ratchet holds it near zero. A share undefined on these questions (no unanswerable one) counts 0."""
    rows = np.asarray(rows, dtype=int)
    answerable, unanswerable = rows[table.answerable[rows]], rows[~table.answerable[rows]]
    total = np.zeros(table.facts.shape[0])
    if len(answerable):
        total += table.facts[:, answerable].mean(axis=1) + table.cited[:, answerable].mean(axis=1)
        total -= FALSE_ABSTENTION_COST * table.abstained[:, answerable].mean(axis=1)
    if len(unanswerable):
        total += table.abstained[:, unanswerable].mean(axis=1)
    return total


def score(summary: Mapping[str, float | None]) -> float:
    """The same objective from a set of outcomes' metrics (`eval/metrics.py`), for the report; undefined counts 0."""
    def share(name: str) -> float:
        return summary[name] or 0.0

    return (share("fact_accuracy") + share("citation_support") + share("correct_abstention")
            - FALSE_ABSTENTION_COST * share("false_abstention"))


def fit(table: Table, rows: Sequence[int]) -> int:
    """The grid point that scores best on the questions `rows`; of equals, the first (nearest the shipped knobs)."""
    return int(np.argmax(objective(table, rows)))


def fit_folds(table: Table, fold_of: Sequence[int]) -> list[int]:
    """The grid point fitted for each fold: on every question outside it."""
    k = max(fold_of) + 1
    return [fit(table, [i for i, fold in enumerate(fold_of) if fold != held_out]) for held_out in range(k)]


def answer_again(outcome: Outcome, knobs: Knobs) -> Outcome:
    """The question answered again under other knobs from what its answer was chosen from (extractive: a model
    that writes prose is not asked again for every point of the grid)."""
    trace = _trace(outcome)
    return _answered(outcome, choose(trace.ranked, trace.query, knobs.selection, knobs.support))


def tabulate(outcomes: Sequence[Outcome], points: Sequence[Knobs]) -> Table:
    """Every point tried on every question; points that choose the same units share one composed answer."""
    shape = (len(points), len(outcomes))
    facts, cited, abstained = np.zeros(shape, bool), np.zeros(shape, bool), np.zeros(shape, bool)
    for column, outcome in enumerate(outcomes):
        trace = _trace(outcome)
        marks: dict[tuple, tuple[bool, bool, bool]] = {}
        for row, knobs in enumerate(points):
            chosen = choose(trace.ranked, trace.query, knobs.selection, knobs.support)
            key = tuple((s.candidate.unit.chunk_id, s.candidate.unit.position) for s in chosen)
            if key not in marks:
                again = _answered(outcome, chosen)
                marks[key] = (again.facts_correct, again.citation_supported, not again.answered)
            facts[row, column], cited[row, column], abstained[row, column] = marks[key]
    answerable = np.array([outcome.question.answerable for outcome in outcomes], bool)
    return Table(facts, cited, abstained, answerable)


def _trace(outcome: Outcome) -> Trace:
    if outcome.trace is None:
        raise ValueError(f"{outcome.question.id}: no trace to answer it again from (run it traced)")
    return outcome.trace


def _answered(outcome: Outcome, chosen: list[Scored]) -> Outcome:
    """The outcome with its answer made from `chosen` (none: the honest no), its search as it was."""
    trace = _trace(outcome)
    answer, citations, generated = reply(trace.query, trace.rarity, trace.passages, chosen)
    response = outcome.response.model_copy(update={"answered": bool(chosen), "answer": answer,
                                                   "citations": citations, "generated": generated})
    return replace(outcome, response=response)


@dataclass(frozen=True)
class Calibration:
    """A cross-validated fit: the knobs fitted on every question and on each fold, and the answers they give."""

    k: int
    seed: int
    fitted: Knobs  # on every question: what the product would ship with, if the out-of-fold figures bear it out
    per_fold: list[Knobs]
    fold_of: list[int]
    out_of_fold: list[Outcome]  # each question answered with the knobs fitted on the other folds
    in_sample: list[Outcome]  # each answered with `fitted`
    shipped: list[Outcome]  # each answered with the knobs in retrieval/ask.py


def calibrate(outcomes: Sequence[Outcome], k: int, seed: int = SEED,
              axes: dict[str, tuple[float, ...]] = AXES) -> Calibration:
    """Fit the knobs on every question and on k folds of them; `outcomes` must be traced."""
    if not 2 <= k <= len(outcomes):
        raise ValueError(f"{k} folds need between 2 and {len(outcomes)} (the questions)")
    points = grid(axes)
    table = tabulate(outcomes, points)
    fold_of = folds([outcome.question for outcome in outcomes], k, seed)
    per_fold = [points[row] for row in fit_folds(table, fold_of)]
    fitted = points[fit(table, range(len(outcomes)))]
    return Calibration(
        k, seed, fitted, per_fold, fold_of,
        out_of_fold=[answer_again(outcome, per_fold[fold]) for outcome, fold in zip(outcomes, fold_of, strict=True)],
        in_sample=[answer_again(outcome, fitted) for outcome in outcomes], shipped=list(outcomes),
    )
