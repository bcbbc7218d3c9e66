"""Document kinds by the names a councillor knows them by, not the identifiers ingest gives them.

The table is data: a new kind gets a line here. One it does not hold yet is still shown in words
(`scrutiny_review` as "Scrutiny review"), never as an identifier.
"""

from __future__ import annotations

NAMES = {
    "front_sheet": "Front sheet",
    "agenda": "Agenda",
    "report": "Report",
    "appendix": "Appendix",
    "minutes": "Minutes",
    "web_minutes": "Minutes (web page)",
    "action_sheet": "Action sheet",
    "forward_plan": "Forward plan",
    "cabinet_forward_plan": "Cabinet forward plan",
    "document": "Paper",
}


def kind_name(kind: str) -> str:
    """A kind's display name: the table's, else the identifier in words, in sentence case."""
    if kind in NAMES:
        return NAMES[kind]
    words = " ".join(kind.replace("_", " ").split())
    return words[:1].upper() + words[1:]
