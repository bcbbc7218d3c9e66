"""What every command shares: the consoles, problems reported as a message and an exit code, the library of
papers in $PAPERS_HOME, and passages and answers printed for a person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from index.errors import BadQuery, IndexProblem
from papers.library import Library
from papers.settings import get_settings
from retrieval.ask import CLOSEST_SHOWN
from retrieval.compose import source_label
from retrieval.contract import Answer, Passage
from retrieval.kinds import kind_name

console = Console()
errors = Console(stderr=True)


@contextmanager
def reported_problems() -> Iterator[None]:
    """An index or query problem as its message and an exit code: 2 for a bad parameter, 1 for the rest."""
    try:
        yield
    except (IndexProblem, BadQuery) as problem:
        errors.print(str(problem))
        raise typer.Exit(2 if isinstance(problem, BadQuery) else 1) from None


def existing_library() -> Library:
    """The library in $PAPERS_HOME, refused (not created) when nothing was ingested yet: reading writes nothing."""
    settings = get_settings()
    if not settings.database.exists():
        raise IndexProblem(f"No store at {settings.database}: ingest papers first (`papers ingest PATH`)")
    return Library(settings)


def say_if_behind(library: Library) -> None:
    """A search over an index older than the store still answers, from what the index holds; say so."""
    if library.current.behind:
        errors.print("The index is behind the store (it was built before the last change): answering from it "
                     "as it is; run `papers index` to bring it up to date.")


def print_passages(found: list[Passage], title: str) -> None:
    """Passages as a table: rank, each retriever's rank, where each comes from, and its text."""
    if not found:
        console.print("No passage matches.")
        return
    table = Table(title=title, show_lines=True)
    for column in ("#", "ranks", "where", "passage"):
        table.add_column(column, overflow="fold")
    for passage in found:
        label = source_label(passage)
        where = f"{kind_name(passage.document.kind)}: {label.title}\n{label.where}"
        ranks = "\n".join(f"{name} {rank}" for name, rank in passage.ranks.items())
        text = " ".join(passage.text.split())
        table.add_row(str(passage.rank), ranks, escape(where), text[:400] + ("…" if len(text) > 400 else ""))
    console.print(table)


def print_answer(response: Answer) -> None:
    """The answer, then its numbered sources; when unanswered, the closest passages."""
    console.print(f"[bold]{escape(response.question)}[/bold]\n")
    console.print(escape(response.answer), "\n")
    if not response.answered:
        print_passages(response.passages[:CLOSEST_SHOWN], "Closest passages")
        return
    console.print("[bold]Sources[/bold]")
    for cited in response.citations:
        console.print(f"[{cited.n}] {escape(str(source_label(cited)))}")

