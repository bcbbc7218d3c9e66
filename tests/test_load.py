"""A short bounded load test on loopback against `papers serve` in its own process: concurrent searches and
questions, no errors (`papers bench api` runs the full one: 20 clients for 30 s)."""

from __future__ import annotations

from api.bench import run_load, served, unique_queries


def test_concurrent_searches_and_questions_all_succeed(sample_home):
    with served(str(sample_home)) as url:
        load = run_load(url, clients=6, seconds=4)
    figures = load.summary()
    assert figures["errors"] == 0, figures["first_errors"]
    assert len(load.latencies["search"]) >= 6 and len(load.latencies["ask"]) >= 6  # each client got through


def test_no_query_of_a_load_is_asked_twice_so_the_query_cache_never_answers():
    first, second = unique_queries(0), unique_queries(1_000_000)
    asked = [next(first) for _ in range(100)] + [next(second) for _ in range(100)]
    assert len(set(asked)) == len(asked)
