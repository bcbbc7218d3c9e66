"""Give each document of a pack its agenda item (recipe step 4); minute numbers are never agenda numbers.

In a PDF whose agenda ranges fit its pages, the page a document starts on names its item. Otherwise walk the
documents left to right: a stamp names its item; minutes, an action sheet or a forward plan go to the next item
of that kind; a report whose subject matches a later item's title (or one of its bullets) opens that item;
anything else is an appendix of the item before it.
"""

from __future__ import annotations

import re

from ingest.agenda import is_procedural
from ingest.documents import similar_titles
from ingest.model import AgendaItem, Document, Line

_KIND_TITLES = {
    "minutes": re.compile(r"\bminutes\b", re.IGNORECASE),
    "action_sheet": re.compile(r"\baction (sheet|log|tracker)|\bactions\b", re.IGNORECASE),
    "forward_plan": re.compile(r"\b(forward plan|work ?programme)\b", re.IGNORECASE),
}


def assign_items(
    documents: list[Document], items: list[AgendaItem], lines: list[Line], pdf_pages: int | None
) -> list[str]:
    """Set `document.item` for each document; return warnings where stamps and page ranges disagree."""
    numbers = {item.number for item in items}
    warnings: list[str] = []
    by_page = _page_map(items, pdf_pages)
    current: int | None = None
    for document in documents:
        if by_page:
            page = lines[document.start].page
            placed = by_page.get(page) if page is not None else None
            if document.item and placed and document.item != placed:
                warnings.append(
                    f"page {page}: the agenda's page ranges give item {placed} but the page is stamped "
                    f"'Agenda Item {document.item}'; the stamp is kept"
                )
            document.item = document.item if document.item in numbers else placed
            continue
        target = _target(document, items, current, numbers)
        if target is not None:
            current = target
        document.item = items[current].number if current is not None else None
    return warnings


def _target(document: Document, items: list[AgendaItem], current: int | None, numbers: set[str]) -> int | None:
    if document.item in numbers:
        return next(i for i, item in enumerate(items) if item.number == document.item)
    later = range((current or 0) if current is not None else 0, len(items))
    pattern = _KIND_TITLES.get("forward_plan" if document.kind == "cabinet_forward_plan" else document.kind)
    if pattern is not None:
        if current is not None and pattern.search(items[current].title):
            return current
        return next((i for i in later if i != current and pattern.search(items[i].title)), None)
    if document.kind == "report":
        for i in later:
            item = items[i]
            if is_procedural(item):
                continue
            if similar_titles(document.title, item.title) or any(
                similar_titles(document.title, bullet) for bullet in item.bullets
            ):
                return i
    return None


def _page_map(items: list[AgendaItem], pdf_pages: int | None) -> dict[int, str]:
    """PDF page -> item, when the agenda's pack page ranges fit inside the PDF (so they are its own pages)."""
    ranged = [item for item in items if item.pages]
    if not pdf_pages or not ranged or max(item.pages[1] for item in ranged) > pdf_pages:  # type: ignore[index]
        return {}
    return {page: item.number for item in ranged for page in range(item.pages[0], item.pages[1] + 1)}  # type: ignore[index]
