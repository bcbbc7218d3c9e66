"""The configurations one evaluation compares: each retriever alone, each fusion, and hybrid without expansion."""

from __future__ import annotations

from dataclasses import dataclass, replace

from index.glossary import Glossary
from index.search import Searcher
from papers.settings import Settings


@dataclass(frozen=True)
class Ablation:
    name: str
    mode: str
    fusion: str | None = None  # None: the configured one
    expand: bool = True  # add the acronyms the papers define to BM25 queries

    def searcher(self, configured: Searcher) -> Searcher:
        """The configured searcher's index, searched this way."""
        fusion = replace(configured.fusion, name=self.fusion) if self.fusion else configured.fusion
        return Searcher(configured.index, fusion, configured.glossary if self.expand else Glossary({}))


ABLATIONS = {ablation.name: ablation for ablation in (
    Ablation("bm25", "bm25"),
    Ablation("dense", "dense"),
    Ablation("hybrid-weighted", "hybrid", "weighted"),
    Ablation("hybrid-rrf", "hybrid", "rrf"),
    Ablation("hybrid-no-expansion", "hybrid", expand=False),
)}


def primary(settings: Settings) -> str:
    """The assistant as configured: the ablation the minimums and the README's figures are about."""
    return f"hybrid-{settings.fusion}"
