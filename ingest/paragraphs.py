"""A document's chunks read back as the lines and paragraphs the paper prints, each with the chunk it starts in.

Record extractors read what a document prints, not how it was cut: a chunk that continues a minute or a table repeats
its lead (the minute's heading, the table's group label and header), and a PDF wraps one paragraph over several
lines. Here the repeated leads are dropped and wrapped lines joined again, so a resolution split between two chunks, or
over two printed lines, is read whole and cited by the chunk where it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.model import Chunk, Paper
from ingest.sentences import join_wrapped

# A list item: a bullet, "a)", "(a)", "A.", "(iv)", "1.", "1)" or "(1)".
LIST_MARKER = re.compile(
    r"^\s*(?:[-•●▪◦]\s*|o\s+|\(?[a-zA-Z]\)\s*|[a-zA-Z]\.\s+|\(?[ivx]{1,4}\)\s*|\(?\d{1,2}[.)]\s*)")
_OPENER = re.compile(r"^\s*(?:RESOLVED|RECOMMENDED|Voting|CARRIED|Carried)\b")
_DECIDES = re.compile(r"\b(?:RESOLVED|RECOMMENDED)\b")  # a line the chunker took for a heading may be a resolution
_CLOSED = re.compile(r"^\s*(?:Voting|Vote[sd]?)\b")  # a vote is a paragraph of its own, however it ends
_ENDS = re.compile(r"[.!?:;]$")
_DANGLING = re.compile(r"(?:,|\b(?:and|or|that|the|to|was|were|Seconded))$", re.IGNORECASE)
_TRAILING = "*_\"'’”) "


@dataclass(frozen=True)
class Line:
    """A printed line of a document as a chunk shows it."""

    chunk: int  # the chunk's position in the paper
    section: str
    text: str
    heading: bool  # the section's own heading line
    wrapped: bool  # read from a PDF, whose lines wrap at the page's width (a text file's lines are paragraphs)


@dataclass(frozen=True)
class Paragraph:
    """Printed lines joined back into the paragraph they wrap; `listed` when it opens with a list marker."""

    chunk: int
    section: str
    text: str
    listed: bool
    heading: bool


def lines(paper: Paper, document: int, kinds: Iterable[str]) -> list[Line]:
    """The lines of the document's chunks of these kinds, in order, without the lead a continuing chunk repeats."""
    out: list[Line] = []
    previous: Chunk | None = None
    for chunk in paper.chunks:
        if chunk.document != document or chunk.kind not in kinds:
            continue
        shown = _shown(chunk)
        if previous is not None and previous.section == chunk.section:
            shown = shown[_lead(shown, _shown(previous)):]
        title = chunk.section.split(" › ")[-1]
        out += [Line(chunk.position, chunk.section, text, text == title and not _DECIDES.search(text),
                     chunk.pages is not None) for text in shown]
        previous = chunk
    return out


def _shown(chunk: Chunk) -> list[str]:
    return [line.strip() for line in chunk.text.split("\n") if line.strip()]


def _lead(shown: list[str], before: list[str]) -> int:
    """How many of a chunk's first lines repeat the first lines of the chunk before it."""
    repeated = 0
    while repeated < min(len(shown), len(before)) and shown[repeated] == before[repeated]:
        repeated += 1
    return repeated


def paragraphs(printed: list[Line]) -> list[Paragraph]:
    """The lines joined where a paragraph wraps (in a text file, only where a line breaks off mid-sentence): never
    across a section, a heading, a table row, a list item or a vote."""
    out: list[Paragraph] = []
    for line in printed:
        last = out[-1] if out else None
        if last is not None and _continues(last, line):
            out[-1] = Paragraph(last.chunk, last.section, join_wrapped(last.text, line.text), last.listed, False)
        else:
            listed = bool(LIST_MARKER.match(line.text))
            out.append(Paragraph(line.chunk, line.section, line.text, listed, line.heading))
    return out


def _continues(last: Paragraph, line: Line) -> bool:
    if last.section != line.section or last.heading or line.heading or "\t" in last.text + line.text:
        return False
    if _CLOSED.match(last.text):
        return False
    end = last.text.rstrip(_TRAILING) or last.text
    if LIST_MARKER.match(line.text):
        return False
    if _DANGLING.search(end):
        return True
    return line.wrapped and not (_ENDS.search(end) or _OPENER.match(line.text))
