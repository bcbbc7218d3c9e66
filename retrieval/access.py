"""Who may read what: a caller's role decides whether exempt (confidential) papers can be used.

Enforced here, inside retrieval, for every caller (CLI, API, bot, eval): the role narrows the search's filter
before anything is ranked, so an exempt passage never reaches a caller who may not see it, whatever filter the
caller asked for.
"""

from __future__ import annotations

from dataclasses import replace

from index.errors import BadQuery
from index.filters import Filter

VISIBLE = {
    "public": ("public",),
    "member": ("public", "exempt"),
    "officer": ("public", "exempt"),
}
ROLES = tuple(VISIBLE)


def restrict(where: Filter, role: str) -> Filter:
    """The filter narrowed to what the role may see."""
    if role not in VISIBLE:
        raise BadQuery(f"role: {role!r} is not one of {', '.join(ROLES)}")
    allowed = tuple(v for v in where.visibility if v in VISIBLE[role])
    if not allowed:
        raise BadQuery(f"visibility: a {role} caller may not see {', '.join(where.visibility)} papers")
    return replace(where, visibility=allowed)
