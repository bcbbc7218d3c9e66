"""The scoring rules of the gold questions, as pure functions: normalise, support, facts, hits and ranks.

They follow the gold set's README to the letter, so the figures we report are the ones anyone else would get.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_MARKUP = re.compile(r"</?[a-z][a-z0-9]*>", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
SUPPORT_SHARE = 0.8


def normalise(text: str) -> str:
    """NFKC, straight quotes, plain dashes, casefold, no `<u>` markup, no thousands separator, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _THOUSANDS.sub("", _MARKUP.sub("", text))
    return " ".join(text.split())


def supports(passage: str, quote: str) -> bool:
    """The passage holds the quote, or a contiguous run of at least 80% of its words (a chunk may cut a quote)."""
    passage, quote = normalise(passage), normalise(quote)
    if quote in passage:
        return True
    words = quote.split()
    run = max(1, -(-len(words) * 8 // 10))  # ceil(0.8 * n) without floats
    return any(" ".join(words[start:start + run]) in passage for start in range(len(words) - run + 1))


def contains_fact(text: str, fact: str | Sequence[str]) -> bool:
    """The text holds the fact (or one of its alternatives) as a whole, not inside a longer word or number."""
    alternatives = [fact] if isinstance(fact, str) else fact
    text = normalise(text)
    for alternative in alternatives:
        needle = normalise(alternative)
        if needle and re.search(_whole(needle), text):
            return True
    return False


def _whole(needle: str) -> str:
    """The needle not inside a longer word or number: no letter or digit against an edge that is one, no decimal
    part before it ("2%" is not in "12.2%"), and no decimal part after it unless zeros ("$895,000" is in
    "$895,000.00", "14" is not in "14.5")."""
    before = r"(?<!\w)" if needle[0].isalnum() else ""
    after = r"(?!\w)" if needle[-1].isalnum() else ""
    return rf"(?<!\d[.,]){before}{re.escape(needle)}{after}(?![.,]0*[1-9])"


def first_hit(passages: Iterable[str], quotes: Sequence[str]) -> int | None:
    """The 1-based rank of the first passage that supports one of the quotes, or None."""
    for rank, passage in enumerate(passages, start=1):
        if any(supports(passage, quote) for quote in quotes):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(rank is not None and rank <= k for rank in ranks) / len(ranks) if ranks else 0.0


def mrr_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 / rank for rank in ranks if rank is not None and rank <= k) / len(ranks) if ranks else 0.0
