"""`papers ask`: a question, or a file of them, answered in the shape of the answer contract; `papers bench ask`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from index.bench import QUERIES, measure, peak_memory_mb
from index.filters import Filter
from index.search import MODES
from papers.access import OFFICER, ROLES
from papers.cli.output import console, existing_library, print_answer, reported_problems, say_if_behind


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
    committee: Annotated[str | None, typer.Option(help="Only committees whose name contains this.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Meetings on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Meetings on or before (YYYY-MM-DD).")] = None,
    kind: Annotated[str | None, typer.Option(help="Document kind: report, minutes, action_sheet...")] = None,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option(help=f"One of {', '.join(MODES)}.")] = "hybrid",
    role: Annotated[str, typer.Option(help=f"Who is asking: {', '.join(ROLES)} (only member and officer see "
                                      "exempt papers).")] = "officer",
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer contract as JSON.")] = False,
) -> None:
    """Answer a question from the papers: the sentences and table rows that answer it, each with a numbered source.

    A first line from the record behind them when one answers it (an action's status, a figure, a decision); a
    cited list when the question asks for actions or decisions; when nothing answers it, says so and shows the
    closest passages."""
    if (question is None) == (batch is None):
        raise typer.BadParameter("give a QUESTION or --batch FILE, not both or neither")
    with reported_problems():
        where = Filter(committee=committee, date_from=date_from, date_to=date_to, kind=kind)
        library = existing_library()
        say_if_behind(library)
        papers = library.view(role)
        if batch:
            for identifier, text in _batch(batch):
                response = papers.ask(text, where, mode, k)
                print(json.dumps({"id": identifier, **response.model_dump(mode="json")}, ensure_ascii=False),
                      flush=True)
            return
        response = papers.ask(question, where, mode, k)
    if as_json:
        print(response.model_dump_json(indent=2))
        return
    print_answer(response)


def bench_ask(
    rounds: Annotated[int, typer.Option(help="Timed passes over the benchmark questions.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Answer latency on the index in $PAPERS_HOME: warm (model loaded, one untimed pass), each question
    embedded afresh, search to composed answer; median and 95th percentile."""
    with reported_problems():
        library = existing_library()
        papers = library.view(OFFICER)

        def answer(question: str) -> None:
            library.embedder.query.cache_clear()
            papers.ask(question)

        measured = measure(answer, rounds)
    figures = {"questions": len(QUERIES), "rounds": rounds, "ask_p50_ms": measured.p50_ms,
               "ask_p95_ms": measured.p95_ms, "peak_memory_mb": round(peak_memory_mb())}
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    console.print(f"ask over {len(QUERIES)} questions × {rounds}: p50 {measured.p50_ms} ms, p95 {measured.p95_ms} ms; "
                  f"peak memory {figures['peak_memory_mb']} MB")
