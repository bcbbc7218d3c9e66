"""Ask every question under every ablation and keep each response with its latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from eval.ablations import Ablation
from eval.gold import Question
from eval.outcome import Outcome
from papers.access import OFFICER
from papers.library import Library, Snapshot
from papers.view import View
from retrieval.ask import Answerer

EVAL_ROLE = OFFICER  # the gold questions are officers' and members' questions, exempt papers included


def run(
    questions: Sequence[Question], ablations: Sequence[Ablation], library: Library,
    on_question: Callable[[], None] | None = None,
) -> dict[str, list[Outcome]]:
    results: dict[str, list[Outcome]] = {}
    configured = library.current.searcher
    for ablation in ablations:
        searcher = ablation.searcher(configured)  # an ablation changes search only, not answering
        snapshot = Snapshot(searcher, Answerer(searcher, library.store, library.generator,
                                               configured.glossary.definitions))
        papers = View(library.store, EVAL_ROLE, lambda snapshot=snapshot: snapshot)
        if questions:  # untimed: the first question of a run would pay for loading the model
            papers.ask(questions[0].question, mode=ablation.mode)
        outcomes = []
        for question in questions:
            library.embedder.query.cache_clear()  # each latency includes embedding the question
            started = time.perf_counter()
            response = papers.ask(question.question, mode=ablation.mode)
            outcomes.append(Outcome(question, response, (time.perf_counter() - started) * 1000))
            if on_question:
                on_question()
        results[ablation.name] = outcomes
    return results
