"""The gold questions: one JSON object a line, with facts and evidence quotes (see the gold set's README)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str
    page: int | None = None


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    difficulty: str
    answer: str = ""
    facts: list = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return bool(self.evidence)

    @property
    def quotes(self) -> list[str]:
        return [evidence.quote for evidence in self.evidence]


def load_questions(*paths: Path) -> list[Question]:
    """Questions from each file in turn; a malformed line is an error naming the file and line."""
    questions: list[Question] = []
    seen: set[str] = set()
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: not UTF-8 text ({error})") from error
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                question = _question(json.loads(line))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a gold question ({error})") from error
            if question.id in seen:
                raise ValueError(f"{path}:{number}: id {question.id!r} is used twice")
            seen.add(question.id)
            questions.append(question)
    return questions


def _question(row: dict) -> Question:
    facts = row.get("facts", [])
    if not isinstance(facts, list) or not all(
        isinstance(f, str) or (isinstance(f, list) and f and all(isinstance(a, str) for a in f)) for f in facts
    ):
        raise TypeError("facts must be a list of strings or of lists of alternative strings")
    evidence = [Evidence(e["doc"], e["quote"], e.get("page")) for e in row.get("evidence", [])]
    if not all(isinstance(e.quote, str) and e.quote.strip() for e in evidence):
        raise TypeError("every evidence quote must be a non-empty string")
    return Question(id=str(row["id"]), question=row["question"], kind=row["kind"], difficulty=row["difficulty"],
                    answer=row.get("answer", ""), facts=facts, evidence=evidence)
