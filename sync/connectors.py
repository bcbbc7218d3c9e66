"""The committee sites `papers sync` can read, registered by name, and the polite fetcher they read through."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable

from sync.http import Fetcher, Politeness
from sync.legistar import Legistar
from sync.model import Connector
from sync.moderngov import ModernGov

CONNECTORS: dict[str, Callable[[str, Fetcher], Connector]] = {
    "moderngov": ModernGov,  # English councils: {base}/mgWebService.asmx
    "legistar": Legistar,  # US cities: webapi.legistar.com/v1/{client}
}


def connector(kind: str, site: str, fetcher: Fetcher) -> Connector:
    """The connector for a kind of site; a kind not registered is an error naming the ones that are."""
    if kind not in CONNECTORS:
        raise ValueError(f"{kind!r} is not a kind of committee site papers can sync: {', '.join(CONNECTORS)}")
    return CONNECTORS[kind](site, fetcher)


def user_agent(contact: str) -> str:
    """Names the product and its version, and whom to contact when a contact is set."""
    version = importlib.metadata.version("council-papers")
    return f"council-papers/{version} (committee papers search{'; ' + contact if contact else ''})"


def politeness(rate: float, contact: str, timeout_s: float, retries: int) -> Politeness:
    return Politeness(user_agent(contact), rate=rate, timeout_s=timeout_s, retries=retries)
