"""Acronyms the papers define, so a query in either form finds both: "SLIP" and "Sector Led Improvement Partner".

Two sources: definitions in brackets ("Sector Led Improvement Partner (SLIP)", found with the Schwartz-Hearst
rule: the acronym's letters matched right to left inside the words just before the brackets, its first letter
at the start of a word, the shortest such run) and the glossary tables papers carry (a row of an acronym and
its meaning). A query naming an acronym gains its long forms; a query spelling out a long form gains the
acronym. The additions count half as much as the query's own words in BM25 (as in classic query expansion);
the embedder sees the query as typed, which measured better. A list of common local-government terms added to
these lowered hybrid MRR@10 on the development questions (0.680 to 0.651), so only the papers' own are used.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from index.tokens import fold, tokenize

_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z&]{1,9})\s*\)")
_WORD = re.compile(r"[\w'&-]+")
_ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,8}")
MAX_FORMS = 2


def long_form(acronym: str, before: str) -> str | None:
    """The words ending `before` that the acronym abbreviates, or None."""
    letters = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    if sum(ch.isupper() for ch in letters) < 2:
        return None
    words = _WORD.findall(before.replace("\n", " "))[-(min(len(letters) + 5, 2 * len(letters))):]
    text = " ".join(words)
    short, position = letters.lower(), len(text) - 1
    for index in range(len(short) - 1, -1, -1):
        char = short[index]
        while position >= 0 and (
            text[position].lower() != char or (index == 0 and position > 0 and text[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
    start = text.rfind(" ", 0, position + 2) + 1
    found = text[start:].strip()
    return found if len(found.split()) >= 2 and found.lower() != acronym.lower() else None


def glossary_row(line: str) -> tuple[str, str] | None:
    """A glossary table's row, "\tEHCP\tEducation, Health and Care Plan\t\t": (acronym, long form), or None."""
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    while cells and not any(ch.isalpha() for ch in cells[0]):  # a page number or glyph leaked into the row
        cells.pop(0)
    if len(cells) != 2 or "\t" not in line:
        return None
    acronym, meaning = cells
    if not _ACRONYM.fullmatch(acronym) or sum(ch.isupper() for ch in acronym) < 2 or len(meaning.split()) < 2:
        return None
    return (acronym, meaning) if meaning[0].lower() == acronym[0].lower() else None


def _singular(acronym: str) -> str:
    return acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym


def find_definitions(texts: Iterable[str]) -> dict[str, list[str]]:
    """Each acronym the papers define (in brackets or in a glossary table), its most written long forms first."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for match in _DEFINITION.finditer(text):
            acronym = match.group(1)
            form = long_form(acronym, text[max(0, match.start() - 160):match.start()])
            if form:
                seen[_singular(acronym)][" ".join(form.split())] += 1
        for line in text.splitlines():
            row = glossary_row(line)
            if row:
                seen[_singular(row[0])][" ".join(row[1].split())] += 1
    return {
        acronym: [form for form, _ in sorted(forms.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_FORMS]]
        for acronym, forms in sorted(seen.items())
    }


class Glossary:
    def __init__(self, definitions: dict[str, list[str]]) -> None:
        self.definitions = definitions
        self._by_acronym = {fold(acronym): forms for acronym, forms in definitions.items()}
        self._by_terms: dict[tuple[str, ...], str] = {}
        for acronym, forms in sorted(definitions.items()):
            for form in forms:
                self._by_terms.setdefault(tuple(tokenize(form)), acronym)

    def additions(self, query: str) -> str:
        """The long forms of the acronyms the query names and the acronyms of the long forms it spells out."""
        additions: list[str] = []
        for word in re.findall(r"[A-Za-z][A-Za-z&]+", query):
            key = fold(word[:-1] if word.endswith("s") and word[:-1].isupper() else word)
            if word[:2].isupper() or word in self.definitions:
                additions += [form for form in self._by_acronym.get(key, []) if form.lower() not in query.lower()]
        terms = " " + " ".join(tokenize(query)) + " "
        for form_terms, acronym in self._by_terms.items():
            if form_terms and f" {' '.join(form_terms)} " in terms and acronym not in query:
                additions.append(acronym)
        return "; ".join(dict.fromkeys(additions))
