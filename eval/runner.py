"""Ask every question under every ablation and keep each response with its latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from eval.ablations import Ablation
from eval.gold import Question
from eval.outcome import Outcome
from index.storage import LoadedIndex
from ingest.store import Store
from papers.settings import Settings
from retrieval.ask import Answerer
from retrieval.generation import Generator

EVAL_ROLE = "officer"  # the gold questions are officers' and members' questions, exempt papers included


def run(
    questions: Sequence[Question], ablations: Sequence[Ablation], loaded: LoadedIndex, store: Store,
    settings: Settings, on_question: Callable[[], None] | None = None,
) -> dict[str, list[Outcome]]:
    results: dict[str, list[Outcome]] = {}
    for ablation in ablations:
        answerer = Answerer(ablation.searcher(loaded, settings), store, Generator.from_settings(settings),
                            loaded.glossary.definitions)  # an ablation changes search only, not answering
        if questions:  # untimed: the first question of a run would pay for loading the model
            answerer.ask(questions[0].question, role=EVAL_ROLE, mode=ablation.mode)
        outcomes = []
        for question in questions:
            loaded.index.embedder.query.cache_clear()  # each latency includes embedding the question
            started = time.perf_counter()
            response = answerer.ask(question.question, role=EVAL_ROLE, mode=ablation.mode)
            outcomes.append(Outcome(question, response, (time.perf_counter() - started) * 1000))
            if on_question:
                on_question()
        results[ablation.name] = outcomes
    return results
