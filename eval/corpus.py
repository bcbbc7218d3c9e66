"""An evaluation's own store and index for a corpus folder, kept up to date between runs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from eval.gold import Question
from index.build import BuildReport, update_index
from index.embedding import Embedder, EmbeddingCache
from ingest.pipeline import FileResult, Summary, discover, ingest_paths
from ingest.store import Store
from papers.settings import Settings


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """The settings with a home of the corpus's own, under `$PAPERS_HOME/eval/`, so the user's store is untouched."""
    resolved = corpus.resolve()
    tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    return settings.model_copy(update={"home": settings.home / "eval" / f"{resolved.name}-{tag}"})


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
) -> tuple[Store, Summary]:
    """Ingest what changed in the corpus, forgetting files no longer there."""
    store = Store(settings.database)
    files = discover([corpus])
    present = {str(path.resolve()) for path in files}
    store.forget([path for path in store.paths() if path not in present])
    return store, ingest_paths(files, store, settings, on_file)


def index_corpus(store: Store, settings: Settings) -> BuildReport:
    embedder = Embedder(settings.embedding_model, EmbeddingCache(settings.embedding_cache), settings.embed_batch_size)
    return update_index(store, settings, embedder)
