"""The small interface search runs through, so a distributed engine can replace the embedded one.

The searcher, retrieval and everything above use only these eight methods and the embedder. An engine that does
hybrid search natively (Qdrant, with sparse BM25-style vectors and payload filters) implements them, with its own
builder in place of `build.py` and `storage.py`, which persist the embedded engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from index.embedding import Embedder
from index.entries import Entry
from index.filters import Filter

if TYPE_CHECKING:
    from index.fusion import Fused, Fusion


@dataclass(frozen=True)
class Scored:
    chunk_id: str
    score: float


class SearchIndex(Protocol):
    embedder: Embedder  # the model queries (and the sentences and rows answers quote) are embedded with

    def add(self, entries: Sequence[Entry]) -> None:
        """Index these chunks (embedding what is not cached)."""

    def delete_document(self, document_id: str) -> None:
        """Forget every chunk of the document."""

    def lexical(self, query: str, k: int, where: Filter, expansion: str = "") -> list[Scored]:
        """The k best BM25 matches among the chunks the filter allows, best first.

        `expansion` holds terms query analysis added (acronyms spelt out); they count for less than the query's own.
        """

    def dense(self, query: str, k: int, where: Filter) -> list[Scored]:
        """The k chunks nearest the query's embedding among those the filter allows, best first."""

    def hybrid(self, query: str, depth: int, where: Filter, expansion: str, fusion: Fusion) -> Fused:
        """Both rankings, `depth` deep, fused as `fusion` says: in this process (`fusion.retrieved_and_fused`) or
        by the engine itself."""

    def rarity(self, terms: list[str]) -> dict[str, float]:
        """Each lexical term's inverse document frequency, so answers can weigh a question's rarer terms more."""

    def size(self, where: Filter) -> tuple[int, int]:
        """How many chunks, and vectors of them, the filter allows: what a caller may know of the index."""

    def __len__(self) -> int:
        """How many chunks are indexed."""
