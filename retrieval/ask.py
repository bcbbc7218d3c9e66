"""Questions answered in the shape of the answer contract (ARCHITECTURE.md), which the CLI, API, bot and eval share.

Search finds candidate passages (only those the filter allows: a caller's view narrows it to what the caller may
see, `papers/view.py`); their sentences and rows are reranked by how well they answer; the best are quoted with
numbered markers, or, when nothing answers well enough, the answer says so and offers the closest passages.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

from index.filters import VISIBILITIES, Filter
from index.search import Hit, Searcher
from index.units import units_of
from ingest.records import ACTION
from ingest.store import Store
from retrieval.actions import timelines
from retrieval.compose import CLOSEST, NOT_ANSWERED, UNCERTAIN, citation, compose, uncertain
from retrieval.contract import Answer, Citation, LeadRecord, Passage
from retrieval.generation import Generator
from retrieval.lead import kinds_asked, lead, line_of
from retrieval.listing import LISTED, about, in_years, list_asked, raised_asked, state_asked
from retrieval.passages import passages as passages_of
from retrieval.passages import spread
from retrieval.query import Query, analyse, glossary_terms
from retrieval.rerank import Candidate, Scored, rerank
from retrieval.shapes import STRICT

CANDIDATE_PASSAGES = 10  # whose units are reranked
PER_SECTION = 3  # passages from one section of a paper among them, before any other paper's (`spread`)
SEARCHED = 3  # times as many passages searched as kept, for `spread` to have the others to bring forward
CLOSEST_SHOWN = 3


@dataclass(frozen=True)
class Selection:
    """How many units an answer quotes and how close to the best each must score."""

    most: int = 3
    margin: float = 0.12
    list_items: int = 6  # taken after a unit that ends with a colon, or the best unit for a question after several
    other_part_margin: float = 0.2  # how far below the best a unit for another part of the question may score


@dataclass(frozen=True)
class Support:
    """When the best unit answers well enough: the abstention thresholds, calibrated on the development set."""

    score: float = 0.44
    coverage: float = 0.2
    gap: float = 0.18  # how far below the best unit the best one that holds what was asked may score
    # how far a caller's best answer may score below one from papers they may not see. Measured asking the
    # development questions as the public: the two only the exempt report answers score 0.105 and 0.113 below it,
    # one that public papers answer 0.002
    out_of_sight: float = 0.05


class Answerer:
    """Answers questions from one store and index; build it once and share it (it holds the loaded model)."""

    def __init__(self, searcher: Searcher, store: Store, generator: Generator | None = None,
                 definitions: dict[str, list[str]] | None = None, selection: Selection = Selection(),
                 support: Support = Support()) -> None:
        """`definitions` are the acronyms the papers define (the searcher's, unless an evaluation turned its off)."""
        self.searcher = searcher
        self.generator = generator
        self.store = store
        self.embedder = searcher.index.embedder
        self.glossary = glossary_terms(searcher.glossary.definitions if definitions is None else definitions)
        self.selection = selection
        self.support = support

    def ask(self, question: str, where: Filter, committees: list[str], mode: str = "hybrid", k: int = 10) -> Answer:
        """The answer contract for a question, from the papers `where` allows; `committees` are those a question
        may name (the ones the caller may see)."""
        started = time.perf_counter()
        query = analyse(question, self.glossary, committees)
        found = self.search(query, where, mode, max(k, CANDIDATE_PASSAGES))
        retrieved = time.perf_counter()
        listed = self.listing(query, where) if list_asked(query) else None
        if listed:
            answer, citations = listed
            return Answer(question=question, answered=True, answer=answer, generated=False, citations=citations,
                          passages=found[:k], timings_ms={"retrieve": round((retrieved - started) * 1000, 1),
                                                          "answer": round((time.perf_counter() - retrieved) * 1000, 1)})
        ranked = self.rank_units(query, found[:CANDIDATE_PASSAGES])
        chosen = choose(ranked, query, self.selection, self.support)
        if chosen and self.answered_out_of_sight(query, where, mode, chosen[0]):
            chosen = []
        answer, citations, generated = reply(query, self.rarity(query), found, chosen, self.generator)
        first, record = (self.lead(query, citations, where.visibility) if chosen else None) or (None, None)
        finished = time.perf_counter()
        return Answer(
            question=question, answered=bool(chosen), answer=f"{first}\n{answer}" if first else answer, lead=first,
            lead_record=record,
            generated=generated, citations=citations,
            passages=found[:k], timings_ms={"retrieve": round((retrieved - started) * 1000, 1),
                                            "answer": round((finished - retrieved) * 1000, 1)},
        )

    def answered_out_of_sight(self, query: Query, where: Filter, mode: str, best: Scored) -> bool:
        """Whether papers the caller may not see (exempt ones, for the public) answer the question clearly better
        than the best unit they may see: then their papers do not answer it, and the nearest public passage is
        not dressed up as an answer. The caller learns no more than that their papers do not answer."""
        if set(VISIBILITIES) <= set(where.visibility):
            return False
        found = self.search(query, replace(where, visibility=VISIBILITIES), mode, CANDIDATE_PASSAGES)
        top = choose(self.rank_units(query, found), query, self.selection, self.support)
        if not top:
            return False
        hidden = {passage.chunk_id for passage in found if passage.document.visibility not in where.visibility}
        return top[0].candidate.unit.chunk_id in hidden and top[0].score - best.score > self.support.out_of_sight

    def search(self, query: Query, where: Filter, mode: str, k: int) -> list[Passage]:
        """The passages for a question, from the committee it names when the caller named none and it has any,
        spread over sections (`spread`)."""
        if query.committee and not where.committee:
            named = self.searcher.search(query.text, k * SEARCHED, replace(where, committee=query.committee), mode)
            if named:
                return spread(passages_of(self.store, named, where.visibility), k, PER_SECTION)
        hits = self.searcher.search(query.text, k * SEARCHED, where, mode)
        return spread(passages_of(self.store, hits, where.visibility), k, PER_SECTION)

    def listing(self, query: Query, where: Filter) -> tuple[str, list[Citation]] | None:
        """The records the question asks for a list of (`retrieval/listing.py`), a line each with its marker, and
        their passages as citations; None when none is left to list."""
        kind = list_asked(query)
        rows = self.store.records(kind, where.visibility, where.committee or query.committee, where.date_from,
                                  where.date_to)
        if kind == ACTION:
            rows = [action["history"][-1] | {"status": action["status"]} for action in timelines(rows)
                    if state_asked(query) in (None, action["state"]) and (action["raised"] or not raised_asked(query))]
        rarity = self.rarity(query)
        rows = [row for row in rows if in_years(query, row["date"]) and about(query, row["text"], rarity)]
        if not rows:
            return None
        markers: dict[str, Citation] = {}
        lines = []
        for row in rows[:LISTED]:
            cited = markers.get(row["chunk_id"])
            if cited is None:
                found = passages_of(self.store, [Hit(row["chunk_id"], 0.0)], where.visibility)
                if not found:
                    continue
                cited = markers[row["chunk_id"]] = citation(len(markers) + 1, found[0], [])
            cited.quotes.append(row["text"])
            lines.append(f"- {line_of(row)} [{cited.n}]")
        more = len(rows) - LISTED
        tail = [f"… and {more} more."] if more > 0 else []
        return "\n".join([*lines, *tail]), list(markers.values())

    def lead(self, query: Query, citations: list[Citation], visibility: tuple[str, ...]
             ) -> tuple[str, LeadRecord] | None:
        """The answer's first line and the record behind it, from a cited passage (`retrieval/lead.py`), or None."""
        cited = [citation.chunk_id for citation in citations]
        by_chunk: dict[str, list[dict]] = {}
        for kind in kinds_asked(query):
            for row in self.store.records(kind, visibility, chunks=cited):
                by_chunk.setdefault(row["chunk_id"], []).append(row)
        if not by_chunk:
            return None

        def earlier(row: dict) -> list[dict]:
            """The action's printings before this one, found by linking every action the caller may see."""
            for action in timelines(self.store.records(ACTION, visibility)):
                ids = [printing["id"] for printing in action["history"]]
                if row["id"] in ids:
                    return action["history"][:ids.index(row["id"])]
            return []

        return lead(query, citations, by_chunk, self.rarity(query), earlier)

    def rarity(self, query: Query) -> dict[str, float]:
        """Each of the question's key terms (in any glossary form) weighted by how rare the index finds it."""
        return self.searcher.index.rarity(list(dict.fromkeys(
            term for group in query.groups for form in group.forms for term in form)))

    def rank_units(self, query: Query, passages: list[Passage]) -> list[Scored]:
        """Every sentence and row of the passages, scored; their vectors come from the cache the index build filled
        (anything missing is embedded, not stored: answering writes nothing)."""
        units = [(rank, passage, unit) for rank, passage in enumerate(passages, start=1)
                 for unit in units_of(passage.chunk_id, passage.text, passage.rows,
                                      passage.section or passage.document.title)]
        if not units:
            return []
        vectors = self.embedder.embed([unit.embedded_text for _, _, unit in units], keep=False)
        candidates = [
            Candidate(unit, vector, rank, passage.document.meeting_date or "",
                      passage.document.original_date or passage.document.meeting_date or "",
                      passage.document.kind, passage.context)
            for (rank, passage, unit), vector in zip(units, vectors, strict=True)
        ]
        return rerank(query, self.embedder.query(query.text), candidates, self.rarity(query))


def choose(ranked: list[Scored], query: Query, selection: Selection, support: Support) -> list[Scored]:
    """The units the answer quotes: none when the best does not answer well enough. A function of the ranked units
    and the knobs alone, so an evaluation can answer a question again under other knobs without searching again."""
    best = next((scored for scored in ranked if scored.eligible), None)
    if (best is None or best.score < support.score or best.features["coverage"] < support.coverage
            or ranked[0].score - best.score > support.gap):
        return []
    chosen, seen = [best], {best.candidate.unit.text}
    strict = bool(set(query.wants[:1]) & STRICT)  # then every unit quoted must hold what was asked
    for scored in ranked:
        if len(chosen) == selection.most or scored.score < best.score - selection.margin:
            break
        if (scored.eligible or not strict) and scored.on_day and scored.candidate.unit.text not in seen:
            chosen.append(scored)
            seen.add(scored.candidate.unit.text)
    covered = frozenset().union(*(scored.covers for scored in chosen))
    for scored in ranked:  # a question of several parts: the best unit for a part no chosen unit covers
        if scored.score < best.score - selection.other_part_margin:
            break
        if scored.covers - covered and scored.eligible and scored.candidate.unit.text not in seen:
            chosen.append(scored)
            seen.add(scored.candidate.unit.text)
            covered |= scored.covers
    return with_what_follows(chosen, ranked, query, selection.list_items)


def reply(query: Query, rarity: Mapping[str, float], found: list[Passage], chosen: list[Scored],
          generator: Generator | None = None) -> tuple[str, list[Citation], bool]:
    """The answer text, its citations and whether a model wrote it: the chosen units quoted (rewritten by the
    model when there is one and it checks out), or, when none was chosen, an honest no with the closest passages.
    An answer whose figures all come from passages OCR read with low confidence ends by saying so."""
    if not chosen:
        answer = f"{NOT_ANSWERED} {CLOSEST}" if found else NOT_ANSWERED
        return answer, [citation(n, passage, []) for n, passage in enumerate(found[:CLOSEST_SHOWN], start=1)], False
    answer, citations = compose(chosen, {passage.chunk_id: passage for passage in found}, query, rarity)
    rewritten = generator.rewrite(query.text, citations) if generator else None
    note = f"\n{UNCERTAIN}" if uncertain(citations) else ""
    return (rewritten + note, citations, True) if rewritten else (answer + note, citations, False)


def with_what_follows(chosen: list[Scored], ranked: list[Scored], query: Query, list_items: int) -> list[Scored]:
    """A unit that announces a list (ends with a colon) brings the list's items; a reason brings the
    sentences either side of it, where explanations run on; a question after several things ("what measures did
    the strategy propose?") brings what follows the best unit, where papers list them."""
    at = {(s.candidate.unit.chunk_id, s.candidate.unit.position): s for s in ranked}
    extra: list[Scored] = []
    for scored in chosen:
        unit = scored.candidate.unit
        if unit.text.rstrip().endswith(":"):
            following = range(unit.position + 1, unit.position + 1 + list_items)
        elif query.wants[:1] == ("reason",) and scored is chosen[0]:
            following = (unit.position - 1, unit.position + 1)
        elif query.several and scored is chosen[0]:
            following = range(unit.position + 1, unit.position + 1 + list_items)
        else:
            continue
        extra += [at[(unit.chunk_id, position)] for position in following if (unit.chunk_id, position) in at]
    quoted = {scored.candidate.unit.text for scored in chosen}
    result = list(chosen)
    for scored in extra:
        if scored.candidate.unit.text not in quoted:
            result.append(scored)
            quoted.add(scored.candidate.unit.text)
    return result
