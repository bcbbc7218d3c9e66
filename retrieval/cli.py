"""`papers ask`: a question, or a file of them, answered in the shape of the answer contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from index.cli import existing_store, print_passages, reported_problems
from index.search import MODES
from index.storage import open_searcher
from retrieval.access import ROLES
from retrieval.ask import ask as ask_question

console = Console()


def _batch(path: Path) -> list[tuple[str, str]]:
    """(id, question) from each non-blank JSON line; a bad line is an error naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise typer.BadParameter(f"{path}: not UTF-8 text", param_hint="--batch") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            question = row["question"]
            if not isinstance(question, str) or not question.strip():
                raise ValueError
            rows.append((str(row["id"]), question))
        except (ValueError, KeyError, TypeError):
            raise typer.BadParameter(f"{path}:{number}: not a JSON object with an `id` and a non-empty `question`",
                                     param_hint="--batch") from None
    return rows


def ask(
    question: Annotated[str | None, typer.Argument(help="The question, in your own words.")] = None,
    batch: Annotated[Path | None, typer.Option(help="A JSONL file of {\"id\", \"question\"} lines; prints one "
                                               "answer-contract JSON line each, in order.", exists=True,
                                               dir_okay=False)] = None,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option(help=f"One of {', '.join(MODES)}.")] = "hybrid",
    role: Annotated[str, typer.Option(help=f"Who is asking: {', '.join(ROLES)} (only member and officer see "
                                      "exempt papers).")] = "officer",
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer contract as JSON.")] = False,
) -> None:
    """Answer a question from the papers, in the shape of the answer contract.

    Cited answers are still to come: for now `answered` is false and the passages are the search results."""
    if (question is None) == (batch is None):
        raise typer.BadParameter("give a QUESTION or --batch FILE, not both or neither")
    with reported_problems():
        settings, store = existing_store()
        searcher = open_searcher(settings, store)
        if batch:
            for identifier, text in _batch(batch):
                print(json.dumps({"id": identifier, **ask_question(searcher, store, text, mode=mode, k=k, role=role)},
                                 ensure_ascii=False), flush=True)
            return
        response = ask_question(searcher, store, question, mode=mode, k=k, role=role)
    if as_json:
        print(json.dumps(response, indent=2, ensure_ascii=False))
        return
    console.print(response["answer"])
    print_passages(response["passages"], question)
