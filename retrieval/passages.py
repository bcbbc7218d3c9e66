"""Search hits as the contract's `Passage`s: the text, where it comes from, and how it ranked."""

from __future__ import annotations

from index.search import Hit
from ingest.store import Store
from retrieval.contract import AgendaItemRef, DocumentRef, Passage


def document_ref(row: dict) -> DocumentRef:
    """The paper a chunk's row (`Store.chunk`) belongs to."""
    return DocumentRef(
        id=row["document_id"], title=row["document_title"], path=row["source_path"], committee=row["committee"],
        meeting_date=row["meeting_date"], kind=row["document_kind"], visibility=row["visibility"],
        original_date=row["original_date"],
    )


def passage(row: dict, hit: Hit, rank: int) -> Passage:
    """One search hit, from its chunk's row in the store (`Store.chunk`)."""
    return Passage(
        rank=rank, chunk_id=hit.chunk_id, score=round(hit.score, 6), ranks=hit.ranks, text=row["text"],
        rows=row["fields_text"], context=row["context"], section=row["section"], document=document_ref(row),
        agenda_item=AgendaItemRef(number=row["item"], title=row["item_title"]) if row["item"] else None,
        pages=[row["page_start"], row["page_end"]] if row["page_start"] else None,
        lines=None if row["page_start"] else [row["line_start"], row["line_end"]],
        ocr_confidence=row["ocr_confidence"],
    )


def passages(store: Store, hits: list[Hit], visibility: tuple[str, ...]) -> list[Passage]:
    """The hits as passages, ranked from 1, each read from the store as a caller of this visibility may see it.
    A hit whose chunk has left the store (a delete committed while this search ran on the index before it), or
    is no longer visible, is passed over: the index is only ever that moment behind."""
    rows = [(hit, store.chunk(hit.chunk_id, visibility)) for hit in hits]
    return [passage(row, hit, rank) for rank, (hit, row) in enumerate(((h, r) for h, r in rows if r), start=1)]


def spread(found: list[Passage], k: int, per_section: int) -> list[Passage]:
    """The first `k` passages with at most `per_section` from any one section of a paper ahead of the rest (which
    follow in their order), ranked again from 1. A long table's rows each match the same words (its headers); left
    alone, one table's rows crowd out the other papers an answer should weigh. Measured on the development questions,
    a cap of 2 or 3 lifts one question's passage into the top 10 and drops none; 3 is the milder."""
    counts: dict[tuple[str, str], int] = {}
    ahead, behind = [], []
    for passage in found:
        key = (passage.document.id, passage.section)
        counts[key] = counts.get(key, 0) + 1
        (ahead if counts[key] <= per_section else behind).append(passage)
    return [passage.model_copy(update={"rank": rank}) for rank, passage in enumerate((ahead + behind)[:k], start=1)]
