"""BM25 over chunk texts, scored with bm25s's sparse matrix (Robertson idf, floored at 0 like BM25Okapi's).

bm25s gives every document's score in about a millisecond at 100k chunks, so filters are applied to the full
score vector before the top k is cut; a test checks the ranking against rank-bm25's `BM25Okapi`.
"""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

from index.tokens import tokenize

K1 = 1.5
B = 0.75
EXPANSION_WEIGHT = 0.5


class Lexical:
    """A BM25 scorer over documents given as token lists, in a fixed order (row i is the i-th document)."""

    def __init__(self, model: bm25s.BM25) -> None:
        self.model = model
        self.rows = int(model.scores["num_docs"])

    @classmethod
    def build(cls, documents: list[list[str]]) -> Lexical:
        model = bm25s.BM25(k1=K1, b=B, method="robertson")
        model.index(documents or [[""]], show_progress=False)
        return cls(model)

    def scores(self, query: str, expansion: str = "") -> np.ndarray:
        """Each document's BM25 score for the query, plus half its score for the expansion terms."""
        scores = self._scores(query)
        return scores + EXPANSION_WEIGHT * self._scores(expansion) if expansion else scores

    def rarity(self, terms: list[str]) -> dict[str, float]:
        """Each term's idf over these documents, Lucene's always-positive form (a term no document holds is rarest)."""
        vocabulary, pointers = self.model.vocab_dict, self.model.scores["indptr"]
        weights = {}
        for term in terms:
            row = vocabulary.get(term)
            count = 0 if row is None else int(pointers[row + 1] - pointers[row])
            weights[term] = float(np.log(1 + (self.rows - count + 0.5) / (count + 0.5)))
        return weights

    def _scores(self, text: str) -> np.ndarray:
        vocabulary = self.model.vocab_dict
        ids = [vocabulary[token] for token in tokenize(text) if token in vocabulary]
        if not ids:
            return np.zeros(self.rows, dtype=np.float32)
        return self.model.get_scores_from_ids(ids)

    def save(self, folder: Path) -> None:
        self.model.save(folder, show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> Lexical:
        return cls(bm25s.BM25.load(folder, mmap=False, show_progress=False, verbosity=0))
