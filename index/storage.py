"""The index on disk: `$PAPERS_HOME/index` is a link to one finished build folder, swapped by rename.

A build is written in full to a new folder under `index.builds/`, its manifest last, and only then does the
link move (`os.replace`, atomic on POSIX). A crash mid-build leaves the old index answering; a reader resolves
the link once and reads one build throughout. The manifest names the model, the dimension, the chunk ids in
order and a fingerprint of the store, so an index that no longer matches the store is known to be behind it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from index.embedded import EmbeddedIndex
from index.embedding import Embedder
from index.errors import IndexProblem
from index.glossary import Glossary

FORMAT = 1
MANIFEST = "manifest.json"
GLOSSARY = "glossary.json"
BUILDER_FILES = ("tokens.py", "lexical.py", "entries.py", "units.py", "glossary.py", "dense.py", "embedded.py")
BUILDS = "index.builds"


@dataclass(frozen=True)
class Layout:
    """Where the index lives and the build settings it must have been made with to be used."""

    path: Path  # the link to the current build
    window_words: int = 100  # longer chunks are embedded as windows of this many words; 0 embeds them whole
    ann_min_vectors: int = 500_000  # exact search below this many vectors, IVF from it


@dataclass
class Manifest:
    model: str
    dimension: int
    window_words: int
    fingerprint: str
    chunk_ids: list[str]
    vectors: int
    dense: str
    builder: str = ""
    built_at: str = ""
    format: int = FORMAT


class LoadedIndex(NamedTuple):
    index: EmbeddedIndex
    manifest: Manifest
    glossary: Glossary


@lru_cache
def builder_version(files: tuple[str, ...] = BUILDER_FILES) -> str:
    """The code and data that shape a build (tokens, BM25, entries, windows, acronyms, FAISS; modules of `index/`):
    another version builds the index anew (from cached vectors)."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()[:12]


def manifest_of(index: EmbeddedIndex, model: str, window_words: int, fingerprint: str) -> Manifest:
    return Manifest(
        model=model, dimension=index.dimension, window_words=window_words, fingerprint=fingerprint,
        chunk_ids=[entry.chunk_id for entry in index.entries], vectors=len(index.vectors),
        dense=index.dense_index.kind, builder=builder_version(),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def read_manifest(path: Path) -> Manifest | None:
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise IndexProblem(f"{path}: index format {data.get('format')}, this version reads {FORMAT}; "
                               "run `papers index`")
        return Manifest(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, AttributeError) as error:
        raise IndexProblem(f"{path / MANIFEST}: unreadable manifest ({error}); run `papers index`") from error


def write_index(index: EmbeddedIndex, glossary: Glossary, path: Path, manifest: Manifest) -> Path:
    """Write a complete build beside the current one, then point `path` at it in one atomic rename."""
    if path.exists() and not path.is_symlink():
        raise IndexProblem(f"{path} is a folder, not an index link: move it away and run `papers index`")
    builds = path.parent / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    folder = builds / name
    index.save(folder)
    (folder / GLOSSARY).write_text(json.dumps(glossary.definitions, ensure_ascii=False), encoding="utf-8")
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest)), encoding="utf-8")
    link = path.parent / f".{path.name}.{name}.link"
    os.symlink(Path(BUILDS) / name, link)
    previous = path.resolve().name if path.is_symlink() else None
    os.replace(link, path)
    for old in builds.iterdir():  # keep the previous build for readers that resolved the link before the swap
        if old.name not in (name, previous):
            shutil.rmtree(old, ignore_errors=True)
    return folder


@contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """One build at a time per index: a second waits, rather than delete the folder the first is writing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load_index(layout: Layout, embedder: Embedder) -> LoadedIndex:
    """The index at `layout.path`, checked against the model and the window setting; whether it is behind the
    store is for the caller to tell, from `manifest.fingerprint` (a behind index still serves what it holds)."""
    path = layout.path
    folder = path.resolve()
    manifest = read_manifest(folder)
    if manifest is None:
        raise IndexProblem(f"No index at {path}: run `papers index` to build it")
    if manifest.builder != builder_version():
        raise IndexProblem(f"The index at {path} was built by another version of the indexer: run `papers index`")
    if manifest.model != embedder.name or manifest.window_words != layout.window_words:
        raise IndexProblem(
            f"The index at {path} was built with model {manifest.model} and {manifest.window_words}-word windows; "
            f"the settings ask for {embedder.name} and {layout.window_words}: run `papers index`"
        )
    try:
        glossary = Glossary(json.loads((folder / GLOSSARY).read_text(encoding="utf-8")))
        index = EmbeddedIndex.load(folder, embedder, layout.ann_min_vectors, manifest.dimension)
        if [entry.chunk_id for entry in index.entries] != manifest.chunk_ids:
            raise ValueError("its chunks are not the ones its manifest lists")
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexProblem(f"The index at {path} is damaged ({error}): run `papers index` to rebuild it") from error
    return LoadedIndex(index, manifest, glossary)


def restore_link(path: Path, folder: Path) -> None:
    """Point the index link back at an earlier build (kept by `write_index`), in one atomic rename."""
    link = path.parent / f".{path.name}.{folder.name}.restore"
    os.symlink(Path(BUILDS) / folder.name, link)
    os.replace(link, path)
