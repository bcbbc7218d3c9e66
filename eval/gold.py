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
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                evidence = [Evidence(e["doc"], e["quote"], e.get("page")) for e in row.get("evidence", [])]
                questions.append(Question(
                    id=row["id"], question=row["question"], kind=row["kind"], difficulty=row["difficulty"],
                    answer=row.get("answer", ""), facts=row.get("facts", []), evidence=evidence,
                ))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a gold question ({error})") from error
    return questions
