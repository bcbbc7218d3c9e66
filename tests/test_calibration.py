"""Calibration: folds stratified and fixed, the best grid point fitted, and no question scored by a fit it was in."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from eval.ablations import ABLATIONS
from eval.calibration import AXES, Knobs, Table, answer_again, fit, fit_folds, folds, grid, objective, score
from eval.gold import Evidence, Question
from eval.runner import run
from papers.library import Library
from retrieval.ask import Selection, Support


def gold(count: int) -> list[Question]:
    """Questions of four kinds, one in six of them unanswerable."""
    kinds = ("numeric", "status", "list", "when", "who")
    return [Question(f"q{n:03d}", f"question {n}", "unanswerable" if n % 6 == 5 else kinds[n % 5], "easy",
                     evidence=[] if n % 6 == 5 else [Evidence("doc.txt", "quote")]) for n in range(count)]


def test_every_question_is_in_exactly_one_fold_spread_evenly_within_each_stratum():
    questions = gold(61)
    fold_of = folds(questions, 5)
    assert len(fold_of) == 61 and set(fold_of) == set(range(5))
    sizes = Counter(fold_of).values()
    assert max(sizes) - min(sizes) <= 1
    for stratum in {(q.kind, q.answerable) for q in questions}:
        dealt = Counter(fold for q, fold in zip(questions, fold_of, strict=True) if (q.kind, q.answerable) == stratum)
        counts = [dealt[fold] for fold in range(5)]
        assert max(counts) - min(counts) <= 1


def test_folds_are_fixed_by_the_seed_not_by_the_order_of_the_files():
    questions = gold(40)
    fold_of = folds(questions, 5)
    assert folds(questions, 5) == fold_of
    shuffled = questions[:]
    random.Random(3).shuffle(shuffled)
    by_id = dict(zip((q.id for q in shuffled), folds(shuffled, 5), strict=True))
    assert [by_id[q.id] for q in questions] == fold_of
    assert folds(questions, 5, seed=99) != fold_of


def test_the_grid_holds_every_combination_and_starts_with_the_shipped_knobs():
    points = grid()
    assert points[0] == Knobs(Selection(), Support())
    assert len(points) == len(set(points)) == np.prod([len(values) for values in AXES.values()])
    assert all(values.count(Knobs().values[name]) == 1 for name, values in AXES.items())
    shipped = Knobs().values
    assert sum(points[1].values[name] != shipped[name] for name in AXES) == 1  # then one step away


def table(facts, cited, abstained, answerable) -> Table:
    return Table(np.array(facts, bool), np.array(cited, bool), np.array(abstained, bool), np.array(answerable, bool))


def test_the_objective_weighs_a_false_abstention_twice():
    # Questions 0-2 answerable, 3 unanswerable. Point 0 answers all; point 1 abstains on 1 and 3.
    synthetic = table(facts=[[1, 1, 0, 0], [1, 0, 0, 0]], cited=[[1, 1, 1, 1], [1, 0, 1, 0]],
                      abstained=[[0, 0, 0, 0], [0, 1, 0, 1]], answerable=[1, 1, 1, 0])
    assert np.allclose(objective(synthetic, range(4)), [2 / 3 + 1, 1 / 3 + 2 / 3 + 1 - 2 / 3])
    assert np.allclose(objective(synthetic, [0, 2]), [0.5 + 1, 0.5 + 1])  # no unanswerable question: it counts 0
    assert fit(synthetic, range(4)) == 0
    assert fit(synthetic, [0, 2]) == 0  # a tie goes to the first point, the nearest the shipped knobs
    summary = {"fact_accuracy": 1 / 3, "citation_support": 2 / 3, "correct_abstention": 1, "false_abstention": 1 / 3}
    assert np.isclose(score(summary), objective(synthetic, range(4))[1])  # the report's figure, from the metrics


def test_the_fit_picks_the_best_grid_point():
    rng = np.random.default_rng(0)
    shape = (12, 30)
    synthetic = table(rng.random(shape) < 0.5, rng.random(shape) < 0.5, rng.random(shape) < 0.2,
                      rng.random(30) < 0.8)
    rows = list(range(0, 30, 2))
    best = fit(synthetic, rows)
    for point in range(12):  # by brute force, from the definitions of the shares
        answerable = [i for i in rows if synthetic.answerable[i]]
        unanswerable = [i for i in rows if not synthetic.answerable[i]]
        score = (np.mean(synthetic.facts[point, answerable]) + np.mean(synthetic.cited[point, answerable])
                 + np.mean(synthetic.abstained[point, unanswerable])
                 - 2 * np.mean(synthetic.abstained[point, answerable]))
        assert score <= objective(synthetic, rows)[best] + 1e-12


def test_no_question_is_scored_by_knobs_fitted_on_it():
    rng = np.random.default_rng(1)
    shape = (8, 25)
    synthetic = table(rng.random(shape) < 0.5, rng.random(shape) < 0.5, rng.random(shape) < 0.3,
                      rng.random(25) < 0.8)
    fold_of = folds(gold(25), 5)
    fitted = fit_folds(synthetic, fold_of)
    for question in range(25):
        held_out = fold_of[question]
        assert fitted[held_out] == fit(synthetic, [i for i in range(25) if fold_of[i] != held_out])
        # whatever this question's own marks, the point it is scored with stays the same
        flipped = Table(synthetic.facts.copy(), synthetic.cited.copy(), synthetic.abstained.copy(),
                        synthetic.answerable)
        for marks in (flipped.facts, flipped.cited, flipped.abstained):
            marks[:, question] = ~marks[:, question]
        assert fit_folds(flipped, fold_of)[held_out] == fitted[held_out]


def test_a_traced_question_answered_again_with_the_shipped_knobs_gets_the_answer_it_had(sample_settings):
    asked = ["How many approved foster households did the council have?", "What is the status of HMO licensing?",
             "What did the committee decide about the youth parliament?"]
    questions = [Question(f"s{n}", text, "numeric", "easy") for n, text in enumerate(asked)]
    library = Library(sample_settings)
    try:
        outcomes = run(questions, [ABLATIONS["hybrid-weighted"]], library, traced="hybrid-weighted")["hybrid-weighted"]
    finally:
        library.close()
    assert all(outcome.trace and outcome.trace.ranked for outcome in outcomes)
    assert any(outcome.answered for outcome in outcomes)
    for outcome in outcomes:
        again = answer_again(outcome, Knobs())
        assert again.response.model_dump(exclude={"timings_ms"}) == outcome.response.model_dump(exclude={"timings_ms"})
        assert not answer_again(outcome, Knobs(support=Support(score=2.0))).answered  # no unit scores 2
