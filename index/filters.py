"""Filters on committee, meeting date range, document kind, agenda item and visibility, as a mask over rows.

The mask is applied to the scores of every row before the top k is cut, so a narrow filter still returns k
results whenever k rows match it. Text fields are held as codes into their distinct values and dates as day
numbers, so a filter over 100k rows costs a few vectorised comparisons, not string work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.errors import BadQuery

VISIBILITIES = ("public", "exempt")
NO_DATE = np.iinfo(np.int32).min


@dataclass(frozen=True)
class Filter:
    committee: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    kind: str | None = None
    item: str | None = None
    visibility: tuple[str, ...] = VISIBILITIES

    def __post_init__(self) -> None:
        object.__setattr__(self, "visibility", tuple(self.visibility))  # hashable, whatever sequence was given
        if not self.visibility:
            raise BadQuery("visibility", "empty; give public, exempt or both")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise BadQuery(name, f"{value!r} is not a date (YYYY-MM-DD)") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadQuery("date_from", f"{self.date_from} is after date_to {self.date_to}")
        unknown = set(self.visibility) - set(VISIBILITIES)
        if unknown:
            raise BadQuery("visibility", f"{sorted(unknown)} not among {list(VISIBILITIES)}")

    @property
    def is_open(self) -> bool:
        return self == OPEN


OPEN = Filter()


class Column:
    """A text field as codes into its distinct values."""

    def __init__(self, values: Sequence[str]) -> None:
        self.names, codes = np.unique(np.array(values, dtype=str), return_inverse=True)
        self.codes = codes.astype(np.int32)

    def present(self, rows: np.ndarray) -> list[str]:
        """The names the selected rows hold."""
        return [str(self.names[code]) for code in np.unique(self.codes[rows])]

    def matching(self, accept) -> np.ndarray:
        wanted = [code for code, name in enumerate(self.names) if accept(str(name))]
        return np.isin(self.codes, wanted)


def day_number(value: str) -> int:
    return date.fromisoformat(value).toordinal() if value else NO_DATE


class Fields:
    """The filterable fields of every row; the masks of recent filters are kept until the rows change."""

    def __init__(self, rows: Sequence) -> None:
        self.committee = Column([row.committee for row in rows])
        self.kind = Column([row.kind for row in rows])
        self.item = Column([row.item for row in rows])
        self.visibility = Column([row.visibility for row in rows])
        self.days = np.array([day_number(row.meeting_date) for row in rows], dtype=np.int32)
        self._masks: dict[Filter, np.ndarray | None] = {}

    def mask(self, where: Filter) -> np.ndarray | None:
        """Which rows the filter allows; None when it allows every row."""
        if where.is_open:
            return None
        mask = self._masks.get(where)
        if mask is None:  # computed into a local: another thread may clear the cache meanwhile
            if len(self._masks) > 64:
                self._masks.clear()
            mask = self._masks[where] = self._compute(where)
        return mask

    def _compute(self, where: Filter) -> np.ndarray:
        """The mask; a committee or kind no row the caller may see has is an error naming the parameter (and
        only names the caller may see are listed)."""
        visible = self.visibility.matching(lambda name: name in where.visibility)
        allowed = visible.copy()
        if where.committee:
            wanted = where.committee.casefold()
            if not any(wanted in name.casefold() for name in self.committee.present(visible)):
                raise BadQuery("committee", f"no committee's name contains {where.committee!r}")
            allowed &= self.committee.matching(lambda name: wanted in name.casefold())
        if where.date_from:
            allowed &= (self.days >= day_number(where.date_from)) & (self.days != NO_DATE)
        if where.date_to:
            allowed &= (self.days <= day_number(where.date_to)) & (self.days != NO_DATE)
        if where.kind:
            kinds = self.kind.present(visible)
            if where.kind not in kinds:
                raise BadQuery("kind", f"{where.kind!r} is not one of {', '.join(kinds)}")
            allowed &= self.kind.matching(lambda name: name == where.kind)
        if where.item:
            allowed &= self.item.matching(lambda name: name == where.item)
        return allowed
