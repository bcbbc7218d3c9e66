"""Every metric of the gold set's README over a set of scored responses, overall or per kind and difficulty."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eval.outcome import Outcome
from eval.scoring import mrr_at, recall_at
from index.bench import percentile

P95_MIN_SAMPLES = 20  # below this, a 95th percentile is just the slowest question
LOWER_IS_BETTER = frozenset({"false_abstention", "answer_words_p50", "answer_words_p90", "lead_words_max",
                             "latency_p50_ms", "latency_p95_ms"})
METRICS = ("recall@1", "recall@5", "recall@10", "mrr@10", "fact_accuracy", "citation_support", "groundedness",
           "correct_abstention", "false_abstention", "answer_words_p50", "answer_words_p90", "lead_share",
           "lead_fact_accuracy", "lead_words_max", "latency_p50_ms", "latency_p95_ms")


def _share(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else None


def summarise(outcomes: Sequence[Outcome]) -> dict:
    """Retrieval and answer metrics over answerable questions, abstention over both kinds, answer length over the
    answered ones (a fact is easy to hold in a long enough answer, so length is kept in check), the lead line's
    share of answerable questions, its fact accuracy over those it leads and its longest; None where undefined."""
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    ranks = [o.rank for o in answerable]
    latencies = [o.latency_ms for o in outcomes]
    words = [o.answer_words for o in outcomes if o.answered]
    leads = [o for o in answerable if o.lead_words is not None]
    return {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "recall@1": round(recall_at(ranks, 1), 4) if ranks else None,
        "recall@5": round(recall_at(ranks, 5), 4) if ranks else None,
        "recall@10": round(recall_at(ranks, 10), 4) if ranks else None,
        "mrr@10": round(mrr_at(ranks, 10), 4) if ranks else None,
        "fact_accuracy": _share(o.facts_correct for o in answerable),
        "citation_support": _share(o.citation_supported for o in answerable),
        "groundedness": _share(o.grounded for o in answerable if o.answered),
        "correct_abstention": _share(o.abstained_correctly for o in unanswerable),
        "false_abstention": _share(o.abstained_wrongly for o in answerable),
        "answer_words_p50": percentile(words, 0.5) if words else None,
        "answer_words_p90": percentile(words, 0.9) if words else None,
        "lead_share": _share(o.lead_words is not None for o in answerable),
        "lead_fact_accuracy": _share(bool(o.lead_facts_correct) for o in leads),
        "lead_words_max": max((o.lead_words or 0 for o in leads), default=None),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 0.95), 1) if len(latencies) >= P95_MIN_SAMPLES else None,
    }


def by(outcomes: Sequence[Outcome], attribute: str) -> dict[str, dict]:
    """`summarise` for each value of a question attribute (`kind`, `difficulty`)."""
    values = sorted({getattr(outcome.question, attribute) for outcome in outcomes})
    return {value: summarise([o for o in outcomes if getattr(o.question, attribute) == value]) for value in values}


def recall_curve(outcomes: Sequence[Outcome], depth: int = 10) -> list[float]:
    ranks = [o.rank for o in outcomes if o.question.answerable]
    return [recall_at(ranks, k) for k in range(1, depth + 1)]
