"""`papers decisions | actions | action | figures`: the records taken out of the papers at ingest, listed and
filtered.

The person at the command line runs the store, so these read it as an officer does (exempt papers included) unless
told `--public-only`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ingest.figures import series
from ingest.records import DECISION, FIGURE, Record
from papers.access import OFFICER, PUBLIC
from papers.cli.output import console, errors, existing_library, reported_problems
from retrieval.compose import span

Committee = Annotated[str | None, typer.Option(help="Only committees whose name contains this.")]
PublicOnly = Annotated[bool, typer.Option("--public-only", help="As the public sees them: no exempt papers.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def decisions(
    committee: Committee = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Made on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Made on or before (YYYY-MM-DD).")] = None,
    public_only: PublicOnly = False,
    as_json: AsJson = False,
) -> None:
    """What the minutes record as decided (resolved, recommended, agreed, noted, deferred, the public excluded),
    with the vote, and what reports recommend; newest first.

    Each with its date, committee, agenda item or minute, document and page or lines."""
    with reported_problems():
        view = existing_library().view(PUBLIC if public_only else OFFICER)
        rows = view.records(DECISION, committee, date_from, date_to)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        console.print("No decision matches.")
        return
    for row in rows:
        console.print(_decision(row), markup=False, highlight=False)
    console.print(f"{len(rows)} decision{'' if len(rows) == 1 else 's'}.")


def _decision(row: dict) -> str:
    """One decision for a person: when, who and under what item; what kind; the text whole; the vote; where."""
    fields, item = row["fields"], f"Item {row['item']} {row['item_title'] or ''}".strip() if row["item"] else ""
    heading = " · ".join(part for part in (row["date"], row["body"] or row["committee"], item, row["section"]) if part)
    vote = f"\n  {fields['vote']}" if fields.get("vote") else ""
    return (f"{heading}\n[{fields.get('decision', '')}] {row['text']}{vote}\n"
            f"  {row['document_title']} · {where(row)}\n")


def actions(
    status: Annotated[str | None, typer.Option(help="Only `open` actions, or only `done` ones.")] = None,
    committee: Committee = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Last printed on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last printed on or before (YYYY-MM-DD).")] = None,
    public_only: PublicOnly = False,
    as_json: AsJson = False,
) -> None:
    """Actions from action sheets, trackers and minutes, each one timeline across the meetings that printed it,
    the one printed latest first: where it stands now, when it was raised, who owns it.

    `papers action ID` shows one action's timeline."""
    with reported_problems():
        view = existing_library().view(PUBLIC if public_only else OFFICER)
        found = view.actions(committee, date_from, date_to, status)
    if as_json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        console.print("No action matches.")
        return
    for action_ in found:
        latest = action_["history"][-1]
        console.print(f"{latest['date'] or ''} · {action_['state']} · {action_['status'] or 'no status printed'}"
                      f"{' · raised ' + action_['raised'] if action_['raised'] else ''}\n  {action_['text']}\n"
                      f"  {action_['id']} · {where(latest)}", markup=False, highlight=False)
    console.print(f"{len(found)} action{'' if len(found) == 1 else 's'}.")


def action(
    action_id: Annotated[str, typer.Argument(help="An action's id, from `papers actions`.")],
    public_only: PublicOnly = False,
    as_json: AsJson = False,
) -> None:
    """One action's timeline: each paper's printing of it and its status then, oldest meeting first."""
    with reported_problems():
        found = existing_library().view(PUBLIC if public_only else OFFICER).action(action_id)
    if found is None:
        errors.print(f"No action {action_id!r}; `papers actions` lists them.")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return
    console.print(found["text"], markup=False, highlight=False)
    apart = f" · kept apart: it could continue {', '.join(found['could_continue'])}" if found["ambiguous"] else ""
    console.print(f"raised {found['raised'] or 'at a meeting the papers do not name'} · owner "
                  f"{found['owner'] or 'not named'} · {found['state']}{apart}", markup=False, highlight=False)
    for printing in found["history"]:
        console.print(f"  {printing['date'] or '(undated)'}  {printing['fields'].get('status') or '(no status)'}"
                      f"  ·  {printing['document_title']} · {where(printing)}", markup=False, highlight=False)


def figures(
    measure: Annotated[str | None, typer.Argument(help="Only measures whose name contains this.")] = None,
    committee: Committee = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Reported on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Reported on or before (YYYY-MM-DD).")] = None,
    public_only: PublicOnly = False,
    as_json: AsJson = False,
) -> None:
    """Figures the papers report (a measure's value for a period, with target, comparator and RAG when printed),
    each measure's as a series in period order.

    Each figure with the meeting whose papers report it, its document and page or lines."""
    with reported_problems():
        view = existing_library().view(PUBLIC if public_only else OFFICER)
        rows = view.records(FIGURE, committee, date_from, date_to, measure=measure)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        console.print("No figure matches.")
        return
    points = [(row["date"] or "", Record(FIGURE, 0, row["text"], row["fields"])) for row in rows]
    row_of = {id(record): row for (_, record), row in zip(points, rows, strict=True)}
    found = series(points)
    for measure_series in found:
        console.print(measure_series.measure, style="bold", markup=False, highlight=False)
        for _, record in measure_series.points:
            console.print(f"  {_figure(record.fields)}  ·  {where(row_of[id(record)])}", markup=False,
                          highlight=False)
    console.print(f"{len(rows)} figure{'' if len(rows) == 1 else 's'} of {len(found)} "
                  f"measure{'' if len(found) == 1 else 's'}.")


def _figure(fields: dict) -> str:
    """"54.2% (Mar-25) · target 60% · national 50.3% · Green"."""
    parts = [f"{fields['value']}" + (f" ({fields['period']})" if fields.get("period") else ""),
             f"target {fields['target']}" if fields.get("target") else "", fields.get("comparator") or "",
             fields.get("rag") or ""]
    return " · ".join(part for part in parts if part)


def where(row: dict) -> str:
    """A record's place, as a citation gives it, the file last: "pp. 7–8 · pack.pdf", "lines 120–141 · minutes.txt"."""
    pages = (row["page_start"], row["page_end"]) if row["page_start"] else None
    return f"{span(pages, (row['line_start'], row['line_end']))} · {Path(row['source_path']).name}"
