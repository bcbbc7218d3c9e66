"""Ask every question under every ablation and keep each response with its latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from eval.ablations import Ablation
from eval.gold import Question
from eval.outcome import Outcome
from eval.tracing import Tracing
from papers.access import OFFICER
from papers.library import Library, Snapshot
from papers.view import View
from retrieval.ask import Answerer

EVAL_ROLE = OFFICER  # the gold questions are officers' and members' questions, exempt papers included


def run(
    questions: Sequence[Question], ablations: Sequence[Ablation], library: Library,
    on_question: Callable[[], None] | None = None, traced: str | None = None,
) -> dict[str, list[Outcome]]:
    """Each ablation's outcomes by name; those of the ablation named `traced` keep what each answer was chosen
    from (calibration answers them again)."""
    results: dict[str, list[Outcome]] = {}
    configured = library.current.searcher
    for ablation in ablations:
        searcher = ablation.searcher(configured)  # an ablation changes search only, not answering
        answerer = (Tracing if ablation.name == traced else Answerer)(
            searcher, library.store, library.generator, configured.glossary.definitions)
        snapshot = Snapshot(searcher, answerer)
        papers = View(library.store, EVAL_ROLE, lambda snapshot=snapshot: snapshot)
        if questions:  # untimed: the first question of a run would pay for loading the model
            papers.ask(questions[0].question, mode=ablation.mode)
        outcomes = []
        for question in questions:
            library.embedder.query.cache_clear()  # each latency includes embedding the question
            started = time.perf_counter()
            response = papers.ask(question.question, mode=ablation.mode)
            latency = (time.perf_counter() - started) * 1000
            trace = answerer.last if isinstance(answerer, Tracing) else None
            outcomes.append(Outcome(question, response, latency, trace))
            if on_question:
                on_question()
        results[ablation.name] = outcomes
    return results
