"""Extraction debris mended where the paper's own text shows what it was, so chunks, records and quotes read cleanly.

Converters leave three kinds: a glyph alone in a cell where the paper had a colour or a tick ("Î", "¢" in a RAG
column), a lower-case L read for a capital I ("ltem"), and a word cut by a cell border or a stray space ("Novem",
"nber 2023"; "Managemen t"). Each is mended only as far as the document itself vouches: a glyph goes when the
document never uses that character in its text, a word is corrected or joined only into a word the document prints
elsewhere. Lines are changed in place, never added, dropped or moved, so every line and page span stays true.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ingest.model import Line

_LETTERS = re.compile(r"[^\W\d_]+")
_LINK_MARKS = frozenset("%/=@&_")  # a word touching these is part of a link or an address: left as printed
_NOT_AFTER_INITIAL_L = frozenset("aeiouyl")  # "la", "ly", "Llan…" start real words; "lt", "ln", "ls" do not


@dataclass(frozen=True)
class Vocabulary:
    """How a document spells its words: each word's count (as printed and case-folded) and each pair of neighbours'."""

    printed: Counter[str]
    folded: Counter[str]
    pairs: Counter[tuple[str, str]]

    @classmethod
    def of(cls, texts: list[str]) -> Vocabulary:
        printed: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            words = [match.group() for match in _LETTERS.finditer(text)]
            printed.update(words)
            pairs.update(pairwise(word.casefold() for word in words))
        folded: Counter[str] = Counter()
        for word, count in printed.items():
            folded[word.casefold()] += count
        return cls(printed, folded, pairs)

    def prints(self, word: str) -> bool:
        """The document prints this word at least twice as it stands (or in another case, for a lower-case end)."""
        return self.printed[word] >= 2 or (word[1:].islower() and self.folded[word.casefold()] >= 2)

    def stands_alone(self, word: str, beside: str, before: bool) -> bool:
        """The word is printed somewhere other than next to `beside`: a word in its own right, not only a fragment."""
        pair = (word.casefold(), beside.casefold()) if before else (beside.casefold(), word.casefold())
        return self.folded[word.casefold()] > self.pairs[pair]


def repair(lines: list[Line]) -> list[Line]:
    """The lines with glyph junk taken out, L-for-I words corrected and cut words joined; each keeps its number."""
    used = _used_characters([line.text for line in lines])
    texts = [_drop_glyph_cells(line.text, used) for line in lines]
    vocabulary = Vocabulary.of(texts)
    texts = [join_cut_words(capital_i(text, vocabulary), vocabulary) for text in texts]
    return [Line(text, line.number, line.page, line.last, line.last_page)
            for line, text in zip(lines, texts, strict=True)]


def _glyph(token: str) -> str | None:
    """The one character a token is, when that could be a symbol font's glyph read as text: a letter or digit of
    another alphabet, or a currency sign. Arrows, shapes, bullets and dashes are left: tables print them on purpose."""
    base = "".join(ch for ch in token if not unicodedata.combining(ch))
    if len(base) != 1:
        return None
    category = unicodedata.category(base)
    foreign = not base.isascii() and category[0] in "LN"
    return base if foreign or category == "Sc" else None


def _glyph_only(cell: str) -> bool:
    tokens = cell.split()
    return bool(tokens) and all(_glyph(token) for token in tokens)


def _used_characters(texts: list[str]) -> set[str]:
    """Characters the document writes in its text (in a word, a figure or a cell with words), not only alone."""
    used: set[str] = set()
    for text in texts:
        for cell in text.split("\t"):
            if not _glyph_only(cell):
                used.update(cell)
    return used


def _drop_glyph_cells(text: str, used: set[str]) -> str:
    """Empty each cell holding only glyphs the document never uses otherwise; the cell stays, so columns hold."""
    cells = text.split("\t")
    kept = ["" if _glyph_only(cell) and not used.intersection(map(_glyph, cell.split())) else cell for cell in cells]
    return "\t".join(kept)


def capital_i(text: str, vocabulary: Vocabulary) -> str:
    """Correct "ltem" to "Item": a word starting with a lower-case L where English has no such start, when the document
    prints the word with a capital I. Links and addresses are left as printed."""

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if (
            len(word) < 3
            or word[0] != "l"
            or word[1].lower() in _NOT_AFTER_INITIAL_L
            or _in_link(text, match.start(), match.end())
        ):
            return word
        corrected = "I" + word[1:]
        return corrected if vocabulary.prints(corrected) else word

    return _LETTERS.sub(fix, text)


def _in_link(text: str, start: int, end: int) -> bool:
    """The word touches a digit or a link's marks ("Public%20ltems"): part of an address, not prose."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isdigit() or before in _LINK_MARKS or after.isdigit() or after in _LINK_MARKS


def join_cut_words(text: str, vocabulary: Vocabulary) -> str:
    """Join a word cut in two ("Managemen t", "Novem" | "nber 2023") into the word the document prints, when one part
    is never printed on its own. Across a cell border the right cell's text moves into the left cell and the emptied
    cell stays, so the cut cell reads whole and the cells after it keep their columns."""
    start = 0
    while (cut := _next_cut(text, start, vocabulary)) is not None:
        text, start = cut
    return text


def _next_cut(text: str, start: int, vocabulary: Vocabulary) -> tuple[str, int] | None:
    """The text with the first cut word from `start` joined, and where the joined word starts; None when none is."""
    words = list(_LETTERS.finditer(text, start))
    for left, right in pairwise(words):
        seam = text[left.end() : right.start()]
        if not seam or seam.strip(" \t"):
            continue
        joined = _joined(left.group(), seam, right.group(), vocabulary)
        if joined is None:
            continue
        if "\t" not in seam:
            return text[: left.start()] + joined + text[right.end() :], left.start()
        cell_end = text.find("\t", right.end())
        cell_end = len(text) if cell_end < 0 else cell_end
        rest = text[right.end() : cell_end]
        return text[: left.start()] + joined + rest + seam + text[cell_end:], left.start()
    return None


def _joined(left: str, seam: str, right: str, vocabulary: Vocabulary) -> str | None:
    """The word two fragments make, or None when they are two words or make none the document prints."""
    left_alone = vocabulary.stands_alone(left, right, before=True)
    right_alone = vocabulary.stands_alone(right, left, before=False)
    if left_alone and right_alone:
        return None
    candidates = [left + right]
    # A cut across a cell border may print the letter at the cut twice ("Engla" | "and") or misread it ("Novem" |
    # "nber"); a misread letter only between two fragments, lest a word take another's ending ("Review" | "ding").
    repeated = right[:1].lower() == left[-1:].lower()
    if "\t" in seam and len(right) >= 2 and (repeated or not (left_alone or right_alone)):
        candidates.append(left + right[1:])
    return next((word for word in candidates if vocabulary.prints(word)), None)
