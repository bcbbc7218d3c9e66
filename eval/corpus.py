"""An evaluation's own store and index for a corpus folder, kept up to date between runs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from eval.gold import Question
from ingest.pipeline import FileResult, Summary, discover
from ingest.store import Store
from papers.library import Library
from papers.settings import Settings


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """The settings with a home of the corpus's own, under `$PAPERS_HOME/eval/`, so the user's store is untouched
    (the exported models are the user's: made once)."""
    resolved = corpus.resolve()
    tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    return settings.model_copy(update={"home": settings.home / "eval" / f"{resolved.name}-{tag}",
                                       "models": settings.models_folder})


def check_evidence(questions: list[Question], corpus: Path, store: Store | None = None) -> None:
    """Every evidence document a question names is in the corpus (and, given the store, was ingested from it);
    else an error naming the question."""
    stored = set(store.paths()) if store else None
    for question in questions:
        for evidence in question.evidence:
            path = corpus / evidence.doc
            if not path.is_file():
                raise ValueError(f"{question.id}: evidence doc {evidence.doc!r} is not in {corpus}")
            if stored is not None and str(path.resolve()) not in stored:
                raise ValueError(f"{question.id}: evidence doc {evidence.doc!r} was not ingested (see the refusals)")


def ingest_corpus(
    corpus: Path, settings: Settings, on_file: Callable[[FileResult], None] | None = None
) -> tuple[Library, Summary]:
    """The corpus's library with what changed in the corpus ingested and files no longer there forgotten; its
    index is brought up to date by `library.reindex()`."""
    library = Library(settings)
    files = discover([corpus])
    present = {str(path.resolve()) for path in files}
    library.store.forget([path for path in library.store.paths() if path not in present])
    return library, library.ingest(files, on_file)
