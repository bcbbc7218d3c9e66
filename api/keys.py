"""Who is calling: an API key sent as `Authorization: Bearer KEY` names a role; a caller with no key is the public.

Keys come from `PAPERS_API_KEYS` ("key1:officer,key2:member"). A key is compared with every configured key in
constant time, so the time taken says nothing about how much of a key was right. An unknown key is 401 (who are
you?); a known key without the right role is 403 (you may not).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from papers.access import role_map


@dataclass(frozen=True)
class Keys:
    roles: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Keys:
        return cls(role_map(text, "PAPERS_API_KEYS", "KEY"))

    def role_of(self, key: str) -> str | None:
        """The role of a presented key, or None; every configured key is compared, each in constant time."""
        found = None
        for known, role in self.roles.items():
            if hmac.compare_digest(known.encode(), key.encode()):
                found = role
        return found
