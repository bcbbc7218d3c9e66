"""Fixtures: the shared real papers (skipped with a reason on a fresh clone, required in CI), stores in tmp, and a
polite fetcher that waits for nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from eval.corpus import corpus_settings as eval_corpus_settings
from eval.corpus import ingest_corpus
from index.build import Wanted
from index.entries import Entry
from index.search import Searcher
from ingest.model import Paper
from ingest.pipeline import Reading, Summary
from ingest.store import Store
from ingest.understand import understand
from papers.backends import reading
from papers.library import Library
from papers.settings import Settings
from sync.http import Fetcher, Politeness

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"
AGENT = "council-papers-tests"  # the User-Agent of the tests' fetchers
# Every store a test makes in tmp shares one export of the model to ONNX (a user's `data/models`, made once).
os.environ.setdefault("PAPERS_MODELS", str(ROOT / "data" / "models"))


def shared_path(*parts: str) -> Path:
    """A path in ../shared; skips the test when it is absent (a user's clone), fails in CI where it must be."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: these tests read the real papers in ../shared"
        if os.environ.get("PAPERS_REQUIRE_SHARED"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def bcp(prefix: str) -> Path:
    return next(shared_path("corpus", "bcp").glob(f"{prefix}_*.txt"))


def shared_ocr(settings: Settings) -> Reading:
    """How `settings` read papers, with scanned pages cached where the evaluation's corpus keeps them (its home,
    as `papers eval` and the session's corpus use it): a page is read by OCR once, whichever test meets it first,
    and never again while that cache is kept."""
    read = reading(settings)
    cache = eval_corpus_settings(Settings(), SHARED / "corpus").ocr_cache
    return replace(read, ocr=replace(read.ocr, cache=cache))


@pytest.fixture(scope="session")
def read_paper():
    cache: dict[Path, Paper] = {}
    how = shared_ocr(Settings())

    def read(path: Path) -> Paper:
        if path not in cache:
            cache[path] = understand(str(path), path.read_bytes(), how.sizes, ocr=how.ocr)
        return cache[path]

    return read


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture
def store(settings: Settings) -> Store:
    store = Store(settings.database)
    yield store
    store.close()


class Waits(list):
    """Stands in for `time.sleep`: keeps what the fetcher would have waited."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def polite_fetcher(sleep: Callable[[float], None] | None = None, rate: float = 0) -> Fetcher:
    """A fetcher as a sync's, sending AGENT, that backs off 10 ms and sleeps through `sleep` (a fresh `Waits` when
    None), so nothing really waits."""
    return Fetcher(Politeness(user_agent=AGENT, rate=rate, backoff_s=0.01), sleep=Waits() if sleep is None else sleep)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def fetcher(waits: Waits) -> Iterator[Fetcher]:
    """A `polite_fetcher` with no request rate, its sleeps kept in `waits`."""
    fetcher = polite_fetcher(waits)
    yield fetcher
    fetcher.close()


@pytest.fixture(scope="session")
def corpus_settings() -> Settings:
    """The home `papers eval` keeps for ../shared/corpus, so tests and the evaluation embed the corpus once."""
    return eval_corpus_settings(Settings(), shared_path("corpus"))


@pytest.fixture(scope="session")
def corpus_ingested(corpus_settings: Settings) -> tuple[Library, Summary]:
    """All of ../shared/corpus in one library: files read again only where they or the reader changed."""
    return ingest_corpus(shared_path("corpus"), corpus_settings)


@pytest.fixture(scope="session")
def corpus_store(corpus_ingested: tuple[Library, Summary]) -> tuple[Store, Summary]:
    library, summary = corpus_ingested
    return library.store, summary


@pytest.fixture(scope="session")
def corpus_library(corpus_ingested: tuple[Library, Summary]) -> Library:
    """The corpus's library with its index up to date (embedding it from nothing takes about two minutes)."""
    library, _ = corpus_ingested
    library.reindex()
    return library


@pytest.fixture(scope="session")
def corpus_searcher(corpus_library: Library) -> Searcher:
    return corpus_library.current.searcher


@pytest.fixture(scope="session")
def corpus_entries(corpus_library: Library) -> list[Entry]:
    """The corpus's chunks as its index read them (texts and all: the index keeps only fields), in its row order."""
    wanted = Wanted.read(corpus_library.store, corpus_library.settings.embed_window_words)
    read = {entry.chunk_id: entry for entries in wanted.documents.values() for entry in entries}
    return [read[held.chunk_id] for held in corpus_library.current.searcher.index.entries]


@pytest.fixture(scope="session")
def corpus_qdrant_library(corpus_library: Library) -> Iterator[Library]:
    """The same store indexed by the Qdrant backend, in qdrant-client's local mode (in memory; every vector comes
    from the embedding cache the embedded index filled)."""
    library = Library(corpus_library.settings.model_copy(update={"index_backend": "qdrant", "qdrant_url": ":memory:"}))
    library.reindex()
    yield library
    library.close()


@pytest.fixture(scope="session", params=["embedded", "qdrant"])
def engine_searcher(request: pytest.FixtureRequest) -> Searcher:
    """The corpus's searcher on each index backend, for tests every backend must pass."""
    library = request.getfixturevalue("corpus_library" if request.param == "embedded" else "corpus_qdrant_library")
    return library.current.searcher


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pack ingested and indexed once; tests that change it work on a copy (`sample_settings`)."""
    library = Library(Settings(home=tmp_path_factory.mktemp("samples") / "home"))
    library.ingest([SAMPLES / "committee-pack.txt"])
    library.reindex()
    library.close()
    return library.settings.home


@pytest.fixture
def sample_settings(sample_home: Path, tmp_path: Path) -> Settings:
    """A copy of the indexed samples of this test's own, to change freely."""
    home = tmp_path / "home"
    shutil.copytree(sample_home, home, symlinks=True)
    return Settings(home=home)


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pack rendered by the repository's own script."""
    from samples.make_pdf import render

    target = tmp_path_factory.mktemp("samples") / "committee-pack.pdf"
    render((SAMPLES / "committee-pack.txt").read_text(encoding="utf-8")).output(str(target))
    return target


@pytest.fixture(scope="session")
def corpus_ask(corpus_library: Library):
    """Ask the corpus as a role would (the public unless told), and get the answer contract as JSON."""

    def ask(question: str, role: str = "public", **options) -> dict:
        return corpus_library.view(role).ask(question, **options).model_dump(mode="json")

    return ask
