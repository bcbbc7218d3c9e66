"""Who may read what: a caller's role decides whether exempt (confidential) papers can be used.

The roles and what each may see; `papers/view.py` is where this is enforced, for every caller (CLI, API, bot,
eval): a role's view narrows every read, so an exempt passage never reaches a caller who may not see it,
whatever filter the caller asked for.
"""

from __future__ import annotations

from collections.abc import Callable

PUBLIC, MEMBER, OFFICER = "public", "member", "officer"
VISIBLE = {
    PUBLIC: ("public",),
    MEMBER: ("public", "exempt"),
    OFFICER: ("public", "exempt"),
}
ROLES = tuple(VISIBLE)


def role_map(text: str, setting: str, names: str, accepts: Callable[[str], bool] = bool) -> dict[str, str]:
    """`NAME:role` pairs separated by commas (API keys, Slack workspaces, channels and users), each role one of
    ROLES; a malformed or repeated pair is an error naming the setting (and never the whole of a secret)."""
    roles: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        name, _, role = pair.rpartition(":")
        if not name or not accepts(name) or role not in ROLES:
            raise ValueError(f"{setting}: {pair[:4]}… is not {names}:ROLE with ROLE one of {', '.join(ROLES)}")
        if name in roles:
            raise ValueError(f"{setting}: {name[:4]}… is given twice")
        roles[name] = role
    return roles
