"""A short bounded load test on loopback against `papers serve` in its own process: concurrent searches and
questions, no errors (`papers bench api` runs the full one: 20 clients for 30 s)."""

from __future__ import annotations

from api.bench import run_load, served


def test_concurrent_searches_and_questions_all_succeed(sample_home):
    with served(str(sample_home)) as url:
        load = run_load(url, clients=6, seconds=4)
    figures = load.summary()
    assert figures["errors"] == 0, figures["first_errors"]
    assert len(load.latencies["search"]) >= 6 and len(load.latencies["ask"]) >= 6  # each client got through
