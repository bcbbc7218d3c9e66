"""Search hits as the `passages` of the answer contract: the text, where it comes from, and how it ranked."""

from __future__ import annotations

from pathlib import Path

from index.search import Hit
from ingest.store import Store


def passage(row: dict, hit: Hit, rank: int) -> dict:
    """One search hit, from its chunk's row in the store (`Store.chunk`)."""
    return {
        "rank": rank,
        "chunk_id": hit.chunk_id,
        "score": round(hit.score, 6),
        "ranks": hit.ranks,
        "text": row["text"],
        "rows": row["fields_text"],
        "context": row["context"],
        "section": row["section"],
        "document": {
            "id": row["document_id"], "title": row["document_title"], "path": row["source_path"],
            "committee": row["committee"], "meeting_date": row["meeting_date"], "kind": row["document_kind"],
            "visibility": row["visibility"], "original_date": row["original_date"], "url": None,
        },
        "agenda_item": {"number": row["item"], "title": row["item_title"]} if row["item"] else None,
        "pages": [row["page_start"], row["page_end"]] if row["page_start"] else None,
        "lines": None if row["page_start"] else [row["line_start"], row["line_end"]],
    }


def passages(store: Store, hits: list[Hit]) -> list[dict]:
    """The hits as passages, ranked from 1. A hit whose chunk has just left the store (a delete committed while
    this search ran on the index before it) is passed over: the index is only ever that moment behind."""
    rows = [(hit, store.chunk(hit.chunk_id)) for hit in hits]
    return [passage(row, hit, rank) for rank, (hit, row) in enumerate(((h, r) for h, r in rows if r), start=1)]


def location(passage: dict) -> str:
    """Where in its file a passage (or citation) sits: "pack.pdf p. 7-8" or "minutes.txt lines 120-141"."""
    span = (f"p. {passage['pages'][0]}-{passage['pages'][1]}" if passage["pages"]
            else f"lines {passage['lines'][0]}-{passage['lines'][1]}")
    return f"{Path(passage['document']['path']).name} {span}"
