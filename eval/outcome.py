"""One question's response, scored by the gold set's rules: retrieval rank, facts, citations, abstention, length."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from eval.gold import Question
from eval.scoring import contains_fact, first_hit, supports
from eval.tracing import Trace
from retrieval.contract import Answer
from retrieval.grounding import MARKER

DEPTH = 10


@dataclass(frozen=True)
class Outcome:
    question: Question
    response: Answer
    latency_ms: float
    trace: Trace | None = None  # what the answer was chosen from, kept when the evaluation calibrates

    @property
    def answered(self) -> bool:
        return self.response.answered

    @cached_property
    def rank(self) -> int | None:
        """Of the first passage (within the first ten) that supports a gold quote; None when none does."""
        texts = [passage.text for passage in self.response.passages[:DEPTH]]
        return first_hit(texts, self.question.quotes)

    @property
    def answer_words(self) -> int:
        """Words of the answer as a reader reads it: its markers (`[1]`) and lone punctuation (the `…` between
        quoted units) are not words."""
        tokens = MARKER.sub(" ", self.response.answer).split()
        return sum(any(character.isalnum() for character in token) for token in tokens)

    @property
    def lead_words(self) -> int | None:
        """Words of the lead line (markers aside), or None when the answer has none."""
        lead = self.response.lead
        return None if lead is None else sum(any(c.isalnum() for c in t) for t in MARKER.sub(" ", lead).split())

    @property
    def lead_facts_correct(self) -> bool | None:
        """The lead line alone holds every fact; None when the answer has no lead."""
        lead = self.response.lead
        return None if lead is None else all(contains_fact(lead, fact) for fact in self.question.facts)

    @property
    def cited(self) -> list[str]:
        return [citation.text for citation in self.response.citations]

    @property
    def facts_correct(self) -> bool:
        """The answer holds every fact (an unanswered question holds none)."""
        answer = self.response.answer if self.answered else ""
        return all(contains_fact(answer, fact) for fact in self.question.facts)

    @property
    def citation_supported(self) -> bool:
        return any(supports(text, quote) for text in self.cited for quote in self.question.quotes)

    @property
    def grounded(self) -> bool:
        """Every fact the answer holds is also in a passage it cites."""
        answer = self.response.answer
        return all(any(contains_fact(text, fact) for text in self.cited)
                   for fact in self.question.facts if contains_fact(answer, fact))

    @property
    def abstained_correctly(self) -> bool:
        return not self.question.answerable and not self.answered

    @property
    def abstained_wrongly(self) -> bool:
        return self.question.answerable and not self.answered

    @property
    def failed(self) -> bool:
        """Missed in the top ten, a fact left out, or the wrong call on whether the papers answer it."""
        if not self.question.answerable:
            return self.answered
        return self.rank is None or not self.facts_correct
