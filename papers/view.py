"""The gate: what one role may see of the papers, and the only way the front ends read them.

A `View` is made for a role (`access.py`) and narrows every read it offers (search, answers, meetings, agendas,
documents, passages, records, counts, committees, kinds) to the papers that role may see; the store's reads all take the
visibility they may return, so code above the view cannot ask for more than its role allows. For a caller who
may not see an exempt paper it does not exist: not found, not counted, not named in a list of choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from index.errors import BadQuery
from index.filters import OPEN, Filter
from index.search import Hit
from ingest.records import ACTION, KINDS
from ingest.store import Store
from papers.access import ROLES, VISIBLE
from retrieval.actions import STATES, timelines
from retrieval.contract import Answer, Passage
from retrieval.passages import passage, passages

if TYPE_CHECKING:
    from papers.library import Snapshot


class View:
    """Made per request (or command); the index snapshot is taken on first use and kept for the view's life."""

    def __init__(self, store: Store, role: str, current: Callable[[], Snapshot]) -> None:
        if role not in VISIBLE:
            raise BadQuery("role", f"{role!r} is not one of {', '.join(ROLES)}")
        self.role = role
        self.visibility = VISIBLE[role]
        self._store = store
        self._current = current
        self._taken: Snapshot | None = None

    @property
    def _snapshot(self) -> Snapshot:
        if self._taken is None:
            self._taken = self._current()
        return self._taken

    @property
    def behind(self) -> bool:
        """The index in use was built before the store's last change (it is being brought up to date)."""
        return self._snapshot.behind

    @property
    def model(self) -> str:
        """The embedding model searches run with."""
        return self._snapshot.answerer.embedder.name

    def narrow(self, where: Filter | None) -> Filter:
        """The caller's filter narrowed to what the role may see; asking for more is an error, not a leak."""
        where = where or OPEN
        allowed = tuple(v for v in where.visibility if v in self.visibility)
        if not allowed:
            raise BadQuery("visibility", f"a {self.role} caller may not see {', '.join(where.visibility)} papers")
        return replace(where, visibility=allowed)

    def search(self, query: str, k: int = 10, where: Filter | None = None, mode: str = "hybrid",
               skip: int = 0) -> list[Passage]:
        """Ranked passages, after the first `skip` (a later page of results), ranked from `skip + 1`."""
        narrowed = self.narrow(where)
        hits = self._snapshot.searcher.search(query, k + skip, narrowed, mode)[skip:]
        return [found.model_copy(update={"rank": found.rank + skip})
                for found in passages(self._store, hits, narrowed.visibility)]

    def ask(self, question: str, where: Filter | None = None, mode: str = "hybrid", k: int = 10) -> Answer:
        """The answer, saying whether the index that gave it was behind the store (papers added since may be
        missing from it)."""
        snapshot = self._snapshot
        answer = snapshot.answerer.ask(question, self.narrow(where), self.committees(), mode, k)
        return answer.model_copy(update={"index_behind": snapshot.behind})

    def committees(self) -> list[str]:
        return self._store.committees(self.visibility)

    def kinds(self) -> list[str]:
        return self._store.kinds(self.visibility)

    def counts(self) -> dict[str, int]:
        """Meetings, documents and chunks the role may see in the store."""
        return self._store.visible_counts(self.visibility)

    def index_size(self) -> tuple[int, int]:
        """Chunks, and vectors of them, the role may see in the index in use."""
        return self._snapshot.searcher.index.size(self.narrow(None))

    def meetings(self) -> list[dict]:
        return self._store.meetings(self.visibility)

    def meeting(self, meeting_id: str) -> dict | None:
        """A meeting with its agenda, each item with the documents under it the role may see; None for a meeting
        none of whose papers the role may see."""
        found = self._store.meeting(meeting_id, self.visibility)
        if found is None:
            return None
        return found | {"items": self._store.items(meeting_id, self.visibility)}

    def documents(self, limit: int = -1, offset: int = 0) -> list[dict]:
        return self._store.documents(self.visibility, limit=limit, offset=offset)

    def document(self, document_id: str) -> tuple[dict, list[dict]] | None:
        """A document and its chunks in order, or None."""
        found = self._store.document(document_id, self.visibility)
        if found is None:
            return None
        return found, self._store.document_chunks(document_id, self.visibility)

    def records(self, kind: str, committee: str | None = None, date_from: str | None = None,
                date_to: str | None = None, limit: int = -1, offset: int = 0, measure: str | None = None
                ) -> list[dict]:
        """Records of one kind (decisions, actions, figures) from the papers the role may see, newest first; a
        committee none of those papers is of, or dates the wrong way round, is an error naming the parameter."""
        if kind not in KINDS:
            raise BadQuery("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        Filter(committee=committee, date_from=date_from, date_to=date_to)  # checks the dates as a search does
        if committee and not any(committee.casefold() in name.casefold() for name in self.committees()):
            raise BadQuery("committee", f"no committee's name contains {committee!r}")
        return self._store.records(kind, self.visibility, committee, date_from, date_to, limit, offset, measure)

    def actions(self, committee: str | None = None, date_from: str | None = None, date_to: str | None = None,
                state: str | None = None) -> list[dict]:
        """Each action in the papers the role may see as one timeline across meetings (`retrieval/actions.py`), the
        one printed latest first; `date_from`/`date_to` bound its latest printing, `state` is open or done."""
        if state not in (None, *STATES):
            raise BadQuery("status", f"{state!r} is not one of {', '.join(STATES)}")
        found = timelines(self.records(ACTION, committee))
        Filter(date_from=date_from, date_to=date_to)  # checks the dates as a search does
        return [action for action in found
                if (state is None or action["state"] == state)
                and (not date_from or (action["history"][-1]["date"] or "") >= date_from)
                and (not date_to or (action["history"][-1]["date"] or "9999") <= date_to)]

    def action(self, action_id: str) -> dict | None:
        """One action's timeline by its id (its first printing's record id), or None."""
        return next((action for action in self.actions() if action["id"] == action_id), None)

    def chunk(self, chunk_id: str) -> tuple[dict, Passage] | None:
        """A chunk's row and the same chunk as a contract passage (where it comes from), or None."""
        row = self._store.chunk(chunk_id, self.visibility)
        if row is None:
            return None
        return row, passage(row, Hit(chunk_id, 0.0), 1)
