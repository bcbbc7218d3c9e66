"""Actions as officers follow them: each action's printings, in the papers a caller may see, linked across meetings
into one timeline (`ingest/timelines.py`), with where it stands now and whether that is done.

Linking runs when actions are read, over the records a caller's view returns, so an action printed in a paper the
caller may not see never joins, or shows in, the timeline they get. The view lists them; answers list and lead
with them.
"""

from __future__ import annotations

from ingest.profiles import done_words
from ingest.records import ACTION, Record
from ingest.timelines import Timeline, link

STATES = OPEN, DONE = "open", "done"  # an action needs more, or nothing more


def timelines(rows: list[dict]) -> list[dict]:
    """The action records (store rows, any order) as timelines, the one printed latest first. A timeline's id is
    its first printing's record id, so it stays the same as later papers add to it."""
    records = [Record(ACTION, 0, row["text"], row["fields"]) for row in rows]
    row_of = {id(record): row for record, row in zip(records, rows, strict=True)}
    linked = link([(row["date"], record) for record, row in zip(records, rows, strict=True)])
    ids = [row_of[id(timeline.entries[0].record)]["id"] for timeline in linked]
    shown = [_timeline(timeline, ids, row_of) for timeline in linked]
    return sorted(shown, key=lambda action: action["history"][-1]["date"] or "", reverse=True)


def _timeline(timeline: Timeline, ids: list[str], row_of: dict[int, dict]) -> dict:
    latest = row_of[id(timeline.entries[-1].record)]
    fields = latest["fields"]
    return {
        "id": row_of[id(timeline.entries[0].record)]["id"],
        "text": latest["text"], "raised": timeline.raised, "item": fields.get("minute"),
        "owner": next((row_of[id(e.record)]["fields"].get("owner") for e in reversed(timeline.entries)
                       if row_of[id(e.record)]["fields"].get("owner")), None),
        "deadline": fields.get("deadline"), "status": timeline.status,
        "state": DONE if timeline.done(done_words()) else OPEN,
        "ambiguous": timeline.ambiguous, "could_continue": [ids[number] for number in timeline.candidates],
        "history": [row_of[id(entry.record)] | {"date": entry.date} for entry in timeline.entries],
    }
