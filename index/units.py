"""The pieces an answer is made of: a passage's sentences and its table rows, each still saying where it sits.

A prose line is cut into sentences; a table row is taken as the chunk wrote it out (`label — Header: value; ...`),
so "67.1%" arrives with "Mar-24" beside it. What the embedder reads of a unit is prefixed with the passage's
section, so "Deadline: 31/03/24" is still about the action the section names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.sentences import paragraphs, sentences
from ingest.tables import cells_of, is_table_line

MIN_WORDS = 3


@dataclass(frozen=True)
class Unit:
    chunk_id: str
    position: int  # order within the passage
    text: str
    heading: str  # the passage's section or document title, for the embedder

    @property
    def embedded_text(self) -> str:
        return f"{self.heading}: {self.text}" if self.heading else self.text


def units_of(chunk_id: str, text: str, rows: str, heading: str) -> list[Unit]:
    """Sentences of a chunk's prose lines, then its table rows as written out (`rows`, one a line); `heading` is
    the chunk's section or, failing that, its document's title."""
    prose = ["" if is_table_line(line) else line for line in text.splitlines()]
    texts = [sentence for paragraph in paragraphs(prose) for sentence in sentences(paragraph)
             if len(sentence.split()) >= MIN_WORDS]
    if rows:
        texts += [row.strip() for row in rows.splitlines() if row.strip()]
    else:  # a table whose rows the chunker could not write out: its raw lines, cells joined
        texts += [" | ".join(cell for cell in cells_of(line) if cell) for line in text.splitlines()
                  if is_table_line(line)]
    return [Unit(chunk_id, position, unit, heading) for position, unit in enumerate(texts)]
