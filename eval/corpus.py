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


def check_evidence(questions: list[Question], corpus: Path) -> None:
    """Every evidence document a question names exists in the corpus; else an error naming the question."""
    for question in questions:
        for evidence in question.evidence:
            if not (corpus / evidence.doc).is_file():
                raise ValueError(f"{question.id}: evidence doc {evidence.doc!r} is not in {corpus}")


def prepare(
    corpus: Path, settings: Settings, on_file: Callable[[FileResult], None] | None = None
) -> tuple[Store, Summary, BuildReport]:
    """Ingest what changed in the corpus (forgetting files no longer there), then update the index."""
    store = Store(settings.database)
    files = discover([corpus])
    present = {str(path.resolve()) for path in files}
    store.forget([path for path in store.paths() if path not in present])
    summary = ingest_paths(files, store, settings, on_file)
    embedder = Embedder(settings.embedding_model, EmbeddingCache(settings.embedding_cache), settings.embed_batch_size)
    return store, summary, update_index(store, settings, embedder)
