"""What the index reads of a chunk (the text BM25 reads, the texts embedded, the fields filters test), and what the
embedded index keeps of it once they are tokenised and embedded."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass

from ingest.model import short_hash

WINDOW_OVERLAP = 0.2


@dataclass(frozen=True, slots=True)
class ChunkFields:
    """A chunk's identity and the fields filters test, which both what the index reads and what it keeps carry."""

    chunk_id: str
    document_id: str
    committee: str
    meeting_date: str
    kind: str
    item: str
    visibility: str


@dataclass(frozen=True, slots=True)
class Entry(ChunkFields):
    lexical_text: str
    dense_texts: tuple[str, ...]

    @property
    def digest(self) -> str:
        """Changes whenever anything searched or filtered changes, so an update knows what to redo."""
        return short_hash(repr(sorted(asdict(self).items())))

    def held(self) -> Held:
        return Held(self.chunk_id, self.document_id, self.committee, self.meeting_date, self.kind, self.item,
                    self.visibility, self.digest)


@dataclass(frozen=True, slots=True)
class Held(ChunkFields):
    """An indexed chunk as the embedded index keeps it: the fields filters test and the digest an update compares.
    Its texts are in BM25's counts and the vectors, and in the store; kept here too, they were most of a loaded
    index's memory. Slots, and one copy of each repeated field's value, keep a million of them to about 250 MB."""

    digest: str

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, row: dict) -> Held:
        shared = ("document_id", "committee", "meeting_date", "kind", "item", "visibility")
        return cls(**(row | {name: sys.intern(row[name]) for name in shared}))


def windows(words: list[str], size: int) -> list[list[str]]:
    """Runs of `size` words, overlapping by a fifth, covering all the words (one run when they fit).

    A tail shorter than half a step joins the last run (which grows to at most 1.4 × size) rather than make a
    run that is nearly a copy of the one before.
    """
    if len(words) <= size:
        return [words]
    step = max(1, int(size * (1 - WINDOW_OVERLAP)))
    starts = list(range(0, len(words) - size + 1, step))
    if len(words) - (starts[-1] + size) > step // 2:
        starts.append(len(words) - size)
    ends = [start + size for start in starts[:-1]] + [len(words)]
    return [words[start:end] for start, end in zip(starts, ends, strict=True)]


def entry_of(chunk: dict, window_words: int) -> Entry:
    """A store chunk (from `Store.chunks`) as the index sees it.

    BM25 reads the context line, the text as printed and any table cells written out as `Header: value`.
    The embedder reads the context line with the written-out cells (or the text), one window at a time when
    it is longer than the model reads; `window_words=0` embeds it whole and lets the model truncate it.
    """
    body = chunk["fields_text"] or chunk["text"]
    parts = windows(body.split(), window_words) if window_words else [body.split()]
    return Entry(
        chunk_id=chunk["id"],
        document_id=chunk["document_id"],
        committee=chunk["committee"] or "",
        meeting_date=chunk["meeting_date"] or "",
        kind=chunk["document_kind"],
        item=chunk["item"] or "",
        visibility=chunk["visibility"],
        lexical_text="\n".join(part for part in (chunk["context"], chunk["text"], chunk["fields_text"]) if part),
        dense_texts=tuple(f"{chunk['context']}\n{' '.join(part)}" for part in parts),
    )
