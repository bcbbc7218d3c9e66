"""Cut prose into sentences: the one splitter the chunker (a paragraph too long for a chunk), answers and figures
share; and join the printed lines of a PDF into the paragraphs a page wrapped."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'‘“•])")
# A full stop after these ends no sentence: "Cllr. Brown", "e.g. caseloads", "para. 4", "Carl B. Jones".
ABBREVIATION = re.compile(r"\b(?:Cllr|Mr|Mrs|Ms|Dr|No|Nos|St|e\.g|i\.e|etc|approx|para|paras|Ref|cf|vs|Res|[A-Z])\.$")
_LIST_ITEM = re.compile(r"^\s*(?:[•●▪◦*–-]|\(?[a-z0-9]{1,3}[.)]\s|\d+(?:\.\d+)+\s)")
_TERMINAL = re.compile(r"[.!?:;]$")
_BROKEN_AT_HYPHEN = re.compile(r"[^\W\d_]-$")  # "end-" at a line's end, the word going on below ("of-life")
WRAPPED_LINE_WORDS = 7  # a line at least this long that ends mid-sentence was wrapped by the page


def sentences(text: str) -> list[str]:
    """A prose line cut at sentence ends (a stop, then a capital, digit or opening quote), not after abbreviations
    such as "Cllr." or "e.g."."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if pieces and ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return [piece for piece in pieces if piece]


def join_wrapped(left: str, right: str) -> str:
    """A line and the one it wraps onto, as one: a word broken at its hyphen ("end-" / "of-life") is joined whole,
    the hyphen kept (it may be the word's own), else a space between."""
    return f"{left}{right}" if _BROKEN_AT_HYPHEN.search(left) else f"{left} {right}"


def paragraphs(lines: list[str]) -> list[str]:
    """Prose lines joined where a page wrapped a sentence (PDF text comes a printed line at a time)."""
    joined: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            joined.append("")
            continue
        previous = joined[-1] if joined else ""
        wrapped = previous and not _LIST_ITEM.match(line) and (
            line[0].islower()
            or (len(previous.split()) >= WRAPPED_LINE_WORDS
                and (not _TERMINAL.search(previous) or ABBREVIATION.search(previous)))
        )
        if wrapped:
            joined[-1] = join_wrapped(previous, line)
        else:
            joined.append(line)
    return [paragraph for paragraph in joined if paragraph]
