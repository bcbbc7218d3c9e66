"""BM25 over chunk texts, kept as term counts so adding or deleting documents never tokenises the others.

The scores are bm25s's "lucene" ones (a test checks them against bm25s): a term's idf is
log(1 + (N - df + 0.5) / (df + 0.5)), never below 0 however common the term, times tf / (tf + k1 (1 - b + b dl /
avgdl)). It is the idf Lucene, Elasticsearch and Qdrant's IDF modifier use, so both index backends score alike;
Robertson's own form (zero for a term in half the chunks, as rank-bm25 floors it) scored two of the 45 dev questions'
passages lower at first place. Every one of them
depends on N and avgdl, so a change has to touch every posting; what it need not redo is reading the text. The
counts are a documents × terms sparse matrix: a new document is rows appended, a deleted one rows dropped, and the
postings (terms × documents, each with its weight, the idf times the tf part) are recomputed from the counts with
numpy in a fraction of a second where tokenising a 100k-chunk store again took 29 s. A query sums its terms'
postings: every document's score in about a millisecond at 100k chunks, so filters are applied to the full score
vector before the top k is cut.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse

from index.tokens import tokenize

K1 = 1.5
B = 0.75
EXPANSION_WEIGHT = 0.5


class Lexical:
    """BM25 over documents in a fixed order (row i is the i-th document); changes return a new scorer, so a
    search running on this one is never disturbed."""

    def __init__(self, vocabulary: dict[str, int], counts: sparse.csr_matrix, postings: sparse.csr_matrix) -> None:
        self.vocabulary = vocabulary
        self.counts = counts  # documents × terms, how often each term occurs: what a change starts from
        self.postings = postings  # terms × documents, each term's BM25 weight in each: its idf times its tf part
        self.rows = counts.shape[0]

    @classmethod
    def of_counts(cls, vocabulary: dict[str, int], counts: sparse.csr_matrix) -> Lexical:
        rows = counts.shape[0]
        lengths = np.asarray(counts.sum(axis=1)).ravel().astype(np.float32)
        average = float(lengths.mean()) if rows and lengths.sum() else 1.0
        postings = counts.T.tocsr()  # terms × documents
        frequencies = np.diff(postings.indptr).astype(np.float64)
        idf = np.log1p((rows - frequencies + 0.5) / (frequencies + 0.5)).astype(np.float32)
        weights = postings.data.astype(np.float32)
        denominators = K1 * ((1 - B) + B * lengths / average)[postings.indices]
        denominators += weights
        np.divide(weights, denominators, out=weights)  # in place: at 1M chunks each array is 600 MB
        weights *= np.repeat(idf, np.diff(postings.indptr))
        return cls(vocabulary, counts, sparse.csr_matrix((weights, postings.indices, postings.indptr),
                                                         shape=postings.shape))

    @classmethod
    def build(cls, documents: list[list[str]]) -> Lexical:
        return cls.of_counts({}, sparse.csr_matrix((0, 0), dtype=np.int32)).added(documents)

    def added(self, documents: list[list[str]]) -> Lexical:
        """This scorer with `documents` (token lists) appended as the last rows."""
        vocabulary = dict(self.vocabulary)
        ids = np.fromiter((vocabulary.setdefault(token, len(vocabulary)) for tokens in documents for token in tokens),
                          dtype=np.int64)
        rows = np.repeat(np.arange(len(documents)), [len(tokens) for tokens in documents])
        width = len(vocabulary)
        new = sparse.coo_matrix((np.ones(len(ids), dtype=np.int32), (rows, ids)),
                                shape=(len(documents), width)).tocsr()  # a term's repeats summed into its count
        old = self.counts
        old = sparse.csr_matrix((old.data, old.indices, old.indptr), shape=(old.shape[0], width))
        return Lexical.of_counts(vocabulary, sparse.vstack([old, new], format="csr"))

    def kept(self, keep: np.ndarray) -> Lexical:
        """This scorer with only the rows `keep` (a boolean mask) marks, in order."""
        return Lexical.of_counts(self.vocabulary, self.counts[np.flatnonzero(keep)])

    def scores(self, query: str, expansion: str = "") -> np.ndarray:
        """Each document's BM25 score for the query, plus half its score for the expansion terms."""
        scores = self._scores(query)
        return scores + EXPANSION_WEIGHT * self._scores(expansion) if expansion else scores

    def rarity(self, terms: list[str]) -> dict[str, float]:
        """Each term's idf over these documents (a term no document holds is rarest)."""
        weights = {}
        for term in terms:
            row = self.vocabulary.get(term)
            count = 0 if row is None else int(self.postings.indptr[row + 1] - self.postings.indptr[row])
            weights[term] = float(np.log(1 + (self.rows - count + 0.5) / (count + 0.5)))
        return weights

    def _scores(self, text: str) -> np.ndarray:
        scores = np.zeros(self.rows, dtype=np.float32)
        pointers = self.postings.indptr
        for term in tokenize(text):  # a term the query repeats counts as often as it is written
            row = self.vocabulary.get(term)
            if row is not None:
                start, end = pointers[row], pointers[row + 1]
                scores[self.postings.indices[start:end]] += self.postings.data[start:end]
        return scores

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, matrix in (("counts", self.counts), ("postings", self.postings)):
            for part in ("data", "indices", "indptr"):
                np.save(folder / f"{name}.{part}.npy", getattr(matrix, part))
        (folder / "vocabulary.json").write_text(json.dumps(self.vocabulary), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Lexical:
        """The saved scorer, its arrays mapped from the files: a search reads the postings of its terms only, and
        a process that only searches never reads the counts (at 1M chunks, about a gigabyte each)."""
        vocabulary = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))

        def mapped(name: str) -> tuple[np.ndarray, ...]:
            return tuple(np.load(folder / f"{name}.{part}.npy", mmap_mode="r")
                         for part in ("data", "indices", "indptr"))

        counts, postings = mapped("counts"), mapped("postings")
        rows = len(counts[2]) - 1
        return cls(vocabulary, sparse.csr_matrix(counts, shape=(rows, len(vocabulary))),
                   sparse.csr_matrix(postings, shape=(len(vocabulary), rows)))
