"""Step 0 of the recipe: clean text as converters leave it, without changing what the papers say.

Look-alike Cyrillic and Greek letters inside Latin words and numbers, no-break spaces, private-use symbols, HTML and
markdown remnants and LaTeX fragments are cleaned line by line, then the debris only the whole document can judge
(ingest/debris.py); running headers (the template's, from its profile), footers and lone page numbers are dropped,
and paragraphs split by a page break are joined again.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ingest.debris import repair
from ingest.model import Line
from ingest.profiles import Profile, pick
from ingest.sentences import join_wrapped

# Cyrillic and Greek letters that print like Latin ones ("ТВС" for TBC, "Зрр" for 3pp in the BCP papers).
_CONFUSABLES = str.maketrans(
    "АВСЕНІЈКМОРЅТХУЗаеіјорсухѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοϲ",
    "ABCEHIJKMOPSTXY3aeijopcyxsdhqwABEZHIKMNOPTYXoc",
)
_CONFUSABLE_CHARS = frozenset(
    "АВСЕНІЈКМОРЅТХУЗаеіјорсухѕԁһԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοϲ"
)
_WORD = re.compile(r"\w+")
_FIGURE_WITH_O = re.compile(r"^(?=[\d.,]*O)(?=.*(?:\d|pp$))[O\d.,]+(?:pp|%)?$")
# Private-use characters are a symbol font's ticks and bullets, never text; between two letters one may be a ligature.
_PRIVATE_USE = re.compile(
    r"(?<![^\W\d_])[\ue000-\uf8ff\U000f0000-\U0010fffd]+ ?|[\ue000-\uf8ff\U000f0000-\U0010fffd]+(?![^\W\d_])"
)
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": ""})
_TAGS = re.compile(r"</?(?:u|p|mark|b|i|em|strong|span|sup|sub|br|font)\b[^>]*>", re.IGNORECASE)
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_LATEX_SPAN = re.compile(r"\$([^$]*\\[^$]*)\$?")
_LATEX_SYMBOLS = {
    r"\leftrightarrow": "↔", r"\Leftrightarrow": "⇔", r"\rightarrow": "→", r"\Rightarrow": "⇒",
    r"\leftarrow": "←", r"\uparrow": "↑", r"\downarrow": "↓", r"\sim": "~", r"\times": "×",
    r"\%": "%", r"\&": "&", r"\$": "$", r"\_": "_", r"\#": "#",
}
_LATEX_COMMAND = re.compile(r"\\(?:begin|end)\{[^}]*\}(?:\{[^}]*\})?|\\[A-Za-z]+")


def clean_text(text: str) -> str:
    """Clean one line's characters: the line keeps its place, so line spans stay true."""
    text = unicodedata.normalize("NFC", text).translate(_SPACES)
    text = _PRIVATE_USE.sub("", text)
    text = _TAGS.sub("", text)
    text = _MD_LINK.sub(r"\1", _MD_BOLD.sub(r"\1", text))
    if "\\" in text:
        text = _strip_latex(text)
    if _CONFUSABLE_CHARS.intersection(text):
        text = _fix_lookalikes(text)
    # Trailing tabs stay: they are the empty cells that keep a table row's columns in place.
    return text.rstrip(" \r\n")


def _strip_latex(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        body = match.group(1)
        for command, symbol in _LATEX_SYMBOLS.items():
            body = body.replace(command, symbol)
        return _LATEX_COMMAND.sub("", body).replace("{", "").replace("}", "").strip()

    text = _LATEX_SPAN.sub(replace, text)
    for command, symbol in _LATEX_SYMBOLS.items():
        text = text.replace(command, symbol)
    return text


def _fix_lookalikes(text: str) -> str:
    """Map look-alikes inside Latin words and numbers; leave real Cyrillic or Greek words alone."""
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    foreign = sum(ch.isalpha() and not ch.isascii() for ch in text)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        odd = [ch for ch in word if ch.isalpha() and not ch.isascii()]
        if not odd or any(ch not in _CONFUSABLE_CHARS for ch in odd):
            return word
        mixed = any(ch.isascii() and ch.isalnum() for ch in word)
        # A word made only of look-alikes ("ТВС") is Latin only when the line around it is.
        if mixed or latin > 2 * foreign:
            return _zeros(word.translate(_CONFUSABLES))
        return word

    return _WORD.sub(fix, text)


def _zeros(word: str) -> str:
    """A look-alike O in a figure is a zero: "Орр" among "3pp", "8pp" is 0pp, "1О%" is 10%."""
    return word.replace("O", "0") if _FIGURE_WITH_O.match(word) else word


_PAGE_FOOTER = re.compile(r"^\s*(?:[-–] ?\d{1,3} ?[-–]|Page \|? ?\d{1,4}(?: of \d{1,4})?)\s*$", re.IGNORECASE)
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_BLANK_PAGE = re.compile(r"^\s*This page is intentionally left blank\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;?!)\]\"'’”]\s*$")


def is_blank_page_marker(text: str) -> bool:
    return bool(_BLANK_PAGE.match(text))


def clean_lines(lines: list[Line], profile: Profile | None = None) -> list[Line]:
    """Clean every line, mend extraction debris, drop page furniture, and join paragraphs a page break split; the
    running headers are the profile's (the one the lines match when none is given)."""
    profile = profile or pick(lines)
    cleaned = repair([Line(clean_text(line.text), line.number, line.page) for line in lines])
    furniture = _repeated_page_edges(cleaned)
    edges = _page_edge_numbers(cleaned)
    kept: list[Line] = []
    for line in cleaned:
        text = line.text
        if furniture and _edge_key(text) in furniture:
            continue
        stripped = profile.strip_running_header(text)
        if stripped != text and not stripped.strip():
            continue
        if _PAGE_FOOTER.match(stripped):
            continue
        # A lone number is a page number in a text extraction, or at the top or foot of a PDF page;
        # inside a PDF page it may be a table value.
        if _LONE_NUMBER.match(stripped) and (line.page is None or line.number in edges):
            continue
        kept.append(Line(stripped, line.number, line.page))
    return _join_split_paragraphs(kept)


def _page_edge_numbers(lines: list[Line]) -> set[int]:
    """Line numbers of the first and last two non-blank lines of each PDF page."""
    by_page: dict[int, list[int]] = {}
    for line in lines:
        if line.page is not None and line.text.strip():
            by_page.setdefault(line.page, []).append(line.number)
    return {number for numbers in by_page.values() for number in numbers[:2] + numbers[-2:]}


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _repeated_page_edges(lines: list[Line]) -> set[str]:
    """In a PDF, the first and last two lines that recur on most pages (digits ignored) are headers and footers."""
    by_page: dict[int, list[str]] = {}
    for line in lines:
        if line.page is not None and line.text.strip():
            by_page.setdefault(line.page, []).append(line.text)
    if len(by_page) < 4:
        return set()
    counts: Counter[str] = Counter()
    for texts in by_page.values():
        counts.update({_edge_key(t) for t in texts[:2] + texts[-2:]})
    threshold = max(3, len(by_page) // 2)
    return {key for key, count in counts.items() if count >= threshold and len(key) < 120}


def _join_split_paragraphs(lines: list[Line]) -> list[Line]:
    """Join a paragraph cut by a page break: the earlier part ends mid-sentence, the later starts lower-case.

    The joined text stays on the first line; the blank lines between are dropped so line numbers still point
    at where each part was.
    """
    out: list[Line] = []
    for line in lines:
        text = line.text
        if text[:1].islower() and "\t" not in text and out:
            back = len(out) - 1
            while back >= 0 and not out[back].text.strip():
                back -= 1
            gap = len(out) - 1 - back
            previous = out[back] if back >= 0 else None
            page_break = line.page is not None or gap >= 1
            if (
                previous is not None
                and page_break
                and gap <= 6
                and "\t" not in previous.text
                and len(previous.text.split()) >= 6
                and not _SENTENCE_END.search(previous.text)
            ):
                del out[back + 1 :]
                out[back] = Line(
                    join_wrapped(previous.text, text.lstrip()), previous.number, previous.page, line.end, line.end_page
                )
                continue
        out.append(line)
    return out
