"""Who is calling: an API key sent as `Authorization: Bearer KEY` names a role; a caller with no key is the public.

Keys come from `PAPERS_API_KEYS` ("key1:officer,key2:member"). A key is compared with every configured key in
constant time, so the time taken says nothing about how much of a key was right. An unknown key is 401 (who are
you?); a known key without the right role is 403 (you may not).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from retrieval.access import ROLES

OFFICER = "officer"
PUBLIC = "public"


@dataclass(frozen=True)
class Keys:
    roles: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Keys:
        """`key:role` pairs separated by commas; a malformed pair is an error naming the setting."""
        roles: dict[str, str] = {}
        for pair in filter(None, (part.strip() for part in text.split(","))):
            key, _, role = pair.rpartition(":")
            if not key or role not in ROLES:
                raise ValueError(f"PAPERS_API_KEYS: {pair[:4]}… is not KEY:ROLE with ROLE one of {', '.join(ROLES)}")
            if key in roles:
                raise ValueError(f"PAPERS_API_KEYS: the key {key[:4]}… is given twice")
            roles[key] = role
        return cls(roles)

    def role_of(self, key: str) -> str | None:
        """The role of a presented key, or None; every configured key is compared, each in constant time."""
        found = None
        for known, role in self.roles.items():
            if hmac.compare_digest(known.encode(), key.encode()):
                found = role
        return found
