"""The lexical tokenizer: folds case and accents, stems English, and keeps the figures councillors search for whole.

"67.1%", "30/06/22", "2023/24" and "6a" stay single tokens; a hyphenated "20-week" is kept whole and as its
parts, so "20 week" and "20-week" both match. Thousands separators go ("1,030" is "1030"), as the gold rules do.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‑": "-"})
_TOKEN = re.compile(r"[a-z0-9]+(?:[./:,'-][a-z0-9]+)*%?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"\d+(?:[./:]\d+)*")
_ACCENTS = re.compile(r"[\u0300-\u036f]")
_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")  # "EHCPs", "SWs": the stemmer cannot tell, the case can
STOPWORDS = frozenset(STOPWORDS_EN)
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def fold(text: str) -> str:
    """Lower case without accents, with plain quotes and dashes."""
    text = text.translate(_FOLD)
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return text.casefold()


_LETTERS_DIGITS = re.compile(r"[a-z]+|\d+")


def _word(part: str) -> list[str]:
    """A stemmed word; a mix of letters and digits ("mv3", "6a") also as its runs, so "MV3" meets "MV 3"."""
    if part in STOPWORDS or not part:
        return []
    if part.isalpha():
        return [_stem(part)]
    runs = _LETTERS_DIGITS.findall(part)
    return [part] + [run for run in runs if run not in STOPWORDS] if len(runs) > 1 else [part]


def _expand(raw: str) -> list[str]:
    percent = raw.endswith("%")
    raw = raw.rstrip("%").removesuffix("'s")
    if "," in raw:
        raw = _THOUSANDS.sub("", raw)
        if "," in raw:
            return [token for part in raw.split(",") for token in _expand(part)]
    if _NUMBER.fullmatch(raw):
        return [raw, raw + "%"] if percent else [raw]
    if "-" in raw or "/" in raw or "." in raw or ":" in raw or "'" in raw:
        parts = [token for part in re.split(r"[./:'-]", raw) for token in _word(part)]
        return ([raw] if len(parts) > 1 else []) + parts
    return _word(raw)


def tokenize(text: str) -> list[str]:
    """The BM25 terms of a text, in order (a term repeats as often as it occurs)."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(fold(_ACRONYM_PLURAL.sub(r"\1", text))):
        if raw.isalpha():  # most words: the short way
            if raw not in STOPWORDS:
                tokens.append(_stem(raw))
        else:
            tokens += _expand(raw)
    return tokens
