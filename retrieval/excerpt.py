"""A quoted sentence or row cut to the cells and clauses that answer, so an answer reads in seconds.

A tracker row runs to 200 words of which the reader needs "Status: Actioned" and the action's name; a sentence
may carry the figure in one clause and three clauses of context. A unit longer than the limit is split at its
cell boundaries (`; `, and the ` — ` after a row's label), then long pieces at sentence and clause boundaries; each
piece holds some of the question's key terms (weighted by rarity) and of the kinds of thing asked for (a figure,
a date, a name, a status word). Pieces are taken greedily, each time the one adding most of what no kept piece
holds, per word, while they fit the limit (a budgeted cover: "Owner: Head of Housing" and "Deadline: 30/09/25"
beat a long progress note that repeats the question); what runs on from the first piece fills what room is left. They
are quoted in the paper's order, with `…` where text was left out.
Every kept piece is verbatim, so the grounding of figures, dates and status words is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from retrieval.query import Query
from retrieval.rerank import coverage
from retrieval.shapes import SHAPES, news

QUOTE_WORDS = 100  # a unit this long or shorter is quoted whole; measured on the dev questions (ARCHITECTURE.md)
GAP = " … "
_CELLS = re.compile(r"(; | — )")
_CLAUSES = re.compile(r"(, |(?<=[.!?]) (?=[A-Z(]))")  # commas, and full stops before a new sentence


def excerpt(text: str, query: Query, rarity: Mapping[str, float], limit: int = QUOTE_WORDS) -> str:
    """`text` whole when it is short, else its best pieces in order, joined as printed or across a `…`."""
    if len(text.split()) <= limit:
        return text
    pieces = _pieces(text, limit)
    sizes = [len(piece.split()) for piece, _ in pieces]
    weights = [max(rarity.get(term, 1.0) for form in group.forms for term in form) for group in query.groups]
    holds = [_holds(piece, query, rarity, weights) for piece, _ in pieces]
    kept: list[int] = []
    covered: dict[str, float] = {}
    while True:  # the piece adding most of what was asked, per word, that still fits
        fits = [i for i in range(len(pieces)) if i not in kept and sum(sizes[j] for j in kept) + sizes[i] <= limit]
        if not kept:
            fits = list(range(len(pieces)))
        gains = {i: sum(weight for key, weight in holds[i].items() if key not in covered) for i in fits}
        best = max(gains, key=lambda i: (gains[i] / sizes[i] ** 0.5, -i), default=None)
        if best is None or (gains[best] <= 0 and kept):
            break
        kept.append(best)
        covered |= holds[best]
    words = sum(sizes[i] for i in kept)
    for step in (1, -1):  # then what runs on from the first piece (an answer follows its subject), then before it
        index = kept[0] + step
        while 0 <= index < len(pieces) and (index in kept or words + sizes[index] <= limit):
            if index not in kept:
                kept.append(index)
                words += sizes[index]
            index += step
    return _joined(pieces, set(kept))


def _holds(piece: str, query: Query, rarity: Mapping[str, float], weights: list[float]) -> dict[str, float]:
    """What of the question a piece holds, each with its worth: its key terms (`weights`, each term group's
    rarity, as a share of all of them) and the kinds of answer asked for (a figure, a date, a name, a status word:
    an equal share each)."""
    _, held = coverage(query, piece, frozenset(), rarity)
    worth = {f"term {number}": weights[number] / sum(weights) for number in held}
    wanted = [kind for kind in query.wants if kind in SHAPES]
    added = news(query, piece)
    return worth | {kind: 1 / len(wanted) for kind in wanted if SHAPES[kind](added)}


def _pieces(text: str, limit: int) -> list[tuple[str, str]]:
    """The text's cells, long cells cut into clauses; each piece with the separator that followed it."""
    pieces: list[tuple[str, str]] = []
    for cell, after in _split(text, _CELLS):
        if len(cell.split()) > limit:
            clauses = _split(cell, _CLAUSES)
            pieces += [*clauses[:-1], (clauses[-1][0], after)]
        else:
            pieces.append((cell, after))
    return [(piece, after) for piece, after in pieces if piece.strip()]


def _split(text: str, separator: re.Pattern[str]) -> list[tuple[str, str]]:
    parts = separator.split(text)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]


def _joined(pieces: list[tuple[str, str]], kept: set[int]) -> str:
    """The kept pieces with the separator printed between neighbours, `…` across what was left out."""
    out = []
    for index in sorted(kept):
        if out:
            out.append(pieces[index - 1][1] if index - 1 in kept else GAP)
        elif index:
            out.append(GAP.lstrip())
        out.append(pieces[index][0])
    if max(kept) < len(pieces) - 1:
        out.append(GAP.rstrip())
    return "".join(out)
