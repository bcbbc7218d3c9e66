"""A polite HTTP client for council sites: one request a second per host, an honest User-Agent, timeouts,
retries with backoff on 429 and 5xx (honouring `Retry-After`), conditional GETs, and a clear stop on 401 and 403.

Public scrapers of these services got 403s for a library's default User-Agent and are asked to keep to about a
request a second; a council's site is a public service, not a load test.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

RETRIED = {429, 500, 502, 503, 504}
MAX_WAIT_S = 300.0  # a Retry-After longer than this is cut to it; the run goes on later rather than hanging


class FetchError(Exception):
    """A request that failed for good (after its retries), naming the URL; the run goes on without it."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


class AccessDenied(FetchError):
    """401 or 403: the site refuses us. Retrying would be rude, so the run stops and says which URL."""


@dataclass(frozen=True)
class Download:
    """A document fetched, or `modified` False when the site says the copy we hold is current (304)."""

    modified: bool
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


@dataclass(frozen=True)
class Politeness:
    """How hard we may press a site; `rate` is requests per second per host (0: no limit, for local fakes)."""

    user_agent: str
    rate: float = 1.0
    timeout_s: float = 60.0
    retries: int = 4
    backoff_s: float = 2.0  # the first retry's wait, doubled for each one after


class Fetcher:
    """GETs through one connection pool, spaced per host and retried as `Politeness` says."""

    def __init__(self, politeness: Politeness, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.politeness = politeness
        self.client = httpx.Client(headers={"User-Agent": politeness.user_agent}, timeout=politeness.timeout_s,
                                   follow_redirects=True, transport=transport)
        self.sleep, self.clock = sleep, clock
        self.requests = 0
        self._next: dict[str, float] = {}  # host → earliest time of its next request
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def text(self, url: str, params: Mapping[str, str] | None = None) -> str:
        return self.get(url, params).text

    def json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        response = self.get(url, params)
        try:
            return response.json()
        except ValueError as error:
            raise FetchError(str(response.url), f"not JSON ({error})") from error

    def download(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Download:
        """The document at `url`, asked for only if changed since the copy described by `etag`/`last_modified`."""
        headers = {**({"If-None-Match": etag} if etag else {}),
                   **({"If-Modified-Since": last_modified} if last_modified else {})}
        response = self.get(url, headers=headers)
        if response.status_code == 304:
            return Download(modified=False, etag=etag, last_modified=last_modified)
        return Download(True, response.content, response.headers.get("ETag"), response.headers.get("Last-Modified"),
                        response.headers.get("Content-Type", ""))

    def get(self, url: str, params: Mapping[str, str] | None = None,
            headers: Mapping[str, str] | None = None) -> httpx.Response:
        """A 2xx or 304 response; retried on 429, 5xx and network errors, then a `FetchError`."""
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                response = self.client.get(url, params=params, headers=headers)
            except httpx.HTTPError as error:
                if attempt >= self.politeness.retries:
                    raise FetchError(url, f"{type(error).__name__}: {error}") from error
                self.sleep(self._backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status in (401, 403):
                raise AccessDenied(str(response.url), f"the site refused us (HTTP {status}); sync stopped", status)
            if status < 300 or status == 304:
                return response
            if status not in RETRIED or attempt >= self.politeness.retries:
                raise FetchError(str(response.url), f"HTTP {status}", status)
            self.sleep(retry_after(response.headers.get("Retry-After")) or self._backoff(attempt))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return min(MAX_WAIT_S, self.politeness.backoff_s * 2 ** attempt)

    def _wait_turn(self, url: str) -> None:
        """Keep at most `rate` requests a second to the URL's host (every request counts, retries too)."""
        with self._lock:
            self.requests += 1
            if self.politeness.rate <= 0:
                return
            host = urlsplit(url).netloc
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + 1 / self.politeness.rate
        if start > now:
            self.sleep(start - now)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait as a `Retry-After` header says (seconds, or an HTTP date), at most `MAX_WAIT_S`."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(MAX_WAIT_S, float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(MAX_WAIT_S, max(0.0, when.timestamp() - time.time()))
