"""Cut prose into sentences: the one splitter the chunker (a paragraph too long for a chunk) and answers share."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'‘“•])")
# A full stop after these ends no sentence: "Cllr. Brown", "e.g. caseloads", "para. 4", "Carl B. Jones".
ABBREVIATION = re.compile(r"\b(?:Cllr|Mr|Mrs|Ms|Dr|No|Nos|St|e\.g|i\.e|etc|approx|para|paras|Ref|cf|vs|Res|[A-Z])\.$")


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
