"""A bounded load test on loopback: clients searching and asking at once for a fixed time, against the API served by
uvicorn in a process started for the purpose (as in use), or a URL given.

Reports throughput, p50/p95 latency per kind of request, and every error: a status that is not 2xx, or a failed
connection. The benchmark questions are the search benchmark's (index/bench.py), each made unique by a number.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from index.bench import QUERIES, percentile

START_TIMEOUT_S = 120


@dataclass
class Load:
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"search": [], "ask": []})
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        requests = sum(len(values) for values in self.latencies.values())
        return {
            "requests": requests, "errors": len(self.errors), "first_errors": self.errors[:5],
            "throughput_per_s": round(requests / self.seconds, 1),
            **{f"{kind}_p{int(share * 100)}_ms": round(percentile(values, share), 1) if values else None
               for kind, values in self.latencies.items() for share in (0.5, 0.95)},
        }


def unique_queries(start: int = 0) -> Iterator[str]:
    """The benchmark questions, each time with a number of its own ("HMO 17"), so no request finds its query's
    vector in the server's cache: cycling 16 questions would time the cache after the first pass (2.6 times the
    throughput of unique queries, measured), not the model."""
    for number in itertools.count(start):
        yield f"{QUERIES[number % len(QUERIES)]} {number}"


def run_load(url: str, clients: int, seconds: float) -> Load:
    """`clients` threads, each alternating a search and a question, every query unique, until `seconds` have
    passed."""
    load = Load(seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        queries = unique_queries(number * 1_000_000)
        with httpx.Client(base_url=url, timeout=60) as http:
            for turn in itertools.count():
                if time.monotonic() >= deadline:
                    return
                kind, query = ("search", next(queries)) if turn % 2 == 0 else ("ask", next(queries))
                started = time.perf_counter()
                try:
                    response = (http.get("/search", params={"q": query, "k": 10}) if kind == "search"
                                else http.post("/ask", json={"question": query}))
                    failed = None if response.is_success else f"{kind} {query!r}: HTTP {response.status_code}"
                except httpx.HTTPError as error:
                    failed = f"{kind} {query!r}: {type(error).__name__}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    load.latencies[kind].append(elapsed)
                    if failed:
                        load.errors.append(failed)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load


@contextmanager
def served(home: str | None = None) -> Iterator[str]:
    """`papers serve` in a process of its own on a free loopback port, until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = os.environ | ({"PAPERS_HOME": home} if home else {})
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=environment)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=5).is_success:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (exit code {process.poll()})")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
