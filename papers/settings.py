"""The one settings table: every knob, its default and what it is for, read from `PAPERS_*` environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Each field is documented here and in README's settings table; a test keeps the two in step."""

    model_config = SettingsConfigDict(env_prefix="PAPERS_")

    home: Path = Field(
        Path("data"), description="Folder holding the SQLite store (`papers.db`) and the index."
    )
    pdf_password: str = Field(
        "", description="Password tried on encrypted PDFs after the empty one; empty means none."
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

    @property
    def database(self) -> Path:
        return self.home / "papers.db"


@lru_cache
def get_settings() -> Settings:
    """Settings are read once per process; tests build their own `Settings` instead."""
    return Settings()
