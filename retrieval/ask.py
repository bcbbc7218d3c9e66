"""Questions answered in the shape of the answer contract (ARCHITECTURE.md), which the CLI, eval and bot share.

Composing a cited answer from the passages comes next (retrieval's own issue). Until then every response has
`answered: false`, says so in `answer`, and carries the search results as `passages`; the shape is already
the final one, so its users need not change when answers arrive.
"""

from __future__ import annotations

import time

from index.filters import OPEN, Filter
from index.passages import passages
from index.search import Searcher
from ingest.store import Store
from retrieval.access import restrict

NOT_COMPOSED = "No answer is composed yet; the passages are what search found for the question."


def ask(searcher: Searcher, store: Store, question: str, where: Filter | None = None, mode: str = "hybrid",
        k: int = 10, role: str = "public") -> dict:
    """The answer contract for a question; `role` (public, member, officer) decides whether exempt papers count."""
    started = time.perf_counter()
    found = passages(store, searcher.search(question, k, restrict(where or OPEN, role), mode))
    retrieve_ms = (time.perf_counter() - started) * 1000
    return {
        "question": question,
        "answered": False,
        "answer": NOT_COMPOSED,
        "citations": [],
        "passages": found,
        "timings_ms": {"retrieve": round(retrieve_ms, 1), "answer": 0.0},
    }
