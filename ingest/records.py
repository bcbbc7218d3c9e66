"""Records: what the papers decided, asked to be done and measured, taken out of the chunks that print them.

A decision ("RESOLVED that …", a report's recommendations), an action (a row of an action sheet or tracker, an
"ACTION" flag in minutes) and a figure (a KPI's value for a period) are things officers list, filter and follow
over time; answers lead with them. Each record keeps the chunk it came from, so it is cited, found and gated like
the passage that prints it. Extractors are pure functions of a paper's chunks, registered by kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DECISION, ACTION, FIGURE = "decision", "action", "figure"
KINDS = (DECISION, ACTION, FIGURE)


@dataclass(frozen=True)
class Record:
    """One record, as printed, with the fields its kind has.

    decision: `decision` (resolved, recommended, agreed, noted, deferred, public_excluded), `vote` (as printed),
    `for`, `against`, `abstain` (when a vote is given), `minute` (a motion's number, when printed).
    action: `owner`, `deadline`, `status` (as printed), `progress`, `raised` (the meeting that raised it,
    YYYY-MM-DD), `minute`.
    figure: `measure`, `value`, `unit`, `period` (as printed) and `period_normalised` ("2024-03", "2024/25 Q3";
    None when it gives no year), `target`, `comparator`, `rag`.
    """

    kind: str
    chunk: int  # the position, in the paper's chunks, of the chunk that prints it
    text: str
    fields: dict[str, str | int | None] = field(default_factory=dict)
