"""`papers sync | sources`: papers straight from a council's committee site, kept current.

A sync reads the site's committees, their meetings in a date window and each meeting's documents (`sync/`),
ingests what is new or changed, brings the index up to date and tells the Slack channels that follow a committee.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import datetime
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from bot.digest import post_digests
from papers.cli.output import console, errors, reported_problems
from papers.cli.searching import build_index
from papers.library import Library
from papers.settings import Settings, get_settings
from sync.connectors import CONNECTORS, connector, politeness
from sync.http import Fetcher
from sync.run import FAILED, OUTCOMES, REFUSED, Fetched, Report, Syncer, SyncError, Window
from sync.state import Source, SyncState

log = logging.getLogger("papers.sync")
_INTERVAL = re.compile(r"^(\d+)([mhd])$")
_SECONDS = {"m": 60, "h": 3600, "d": 86400}


def sync(
    kind: Annotated[str | None, typer.Argument(
        help=f"The kind of site: {' or '.join(CONNECTORS)}. Omit it to sync every source synced before.")] = None,
    site: Annotated[str | None, typer.Argument(
        help="ModernGov: the site's address (https://democracy.example.gov.uk). Legistar: the client name "
             "(metro) or the API's address.")] = None,
    committee: Annotated[list[str] | None, typer.Option(
        "--committee", "--body", help="A committee (Legistar: body) by name or id; repeat for more. Default: all.",
    )] = None,
    start: Annotated[datetime | None, typer.Option(
        "--from", formats=["%Y-%m-%d"], help="First meeting date. Default: 12 months ago.")] = None,
    end: Annotated[datetime | None, typer.Option(
        "--to", formats=["%Y-%m-%d"], help="Last meeting date. Default: 4 weeks ahead.")] = None,
    every: Annotated[str | None, typer.Option(
        "--every", help="Run forever, syncing again after each interval (30m, 6h, 1d), each run logged.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    no_index: Annotated[bool, typer.Option("--no-index", help="Only fill the store; `papers index` later.")] = False,
) -> None:
    """Download a committee site's papers (new and changed ones only) and ingest them with what the site says of
    them: meetings, agenda items, restricted papers. Exits non-zero only when nothing could be synced."""
    settings = get_settings()
    window = _window(start, end)
    interval = _interval(every) if every else None
    library = Library(settings)
    with Fetcher(politeness(settings.sync_rate, settings.sync_contact, settings.sync_timeout_s,
                            settings.sync_retries)) as fetcher:
        sources = _sources(library, fetcher, kind, site, tuple(committee or ()))
        if interval is None:
            if not _run(library, settings, fetcher, sources, window, as_json, no_index):
                raise typer.Exit(1)
            return
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line a run, not one a request
        while True:  # a run's window moves with the calendar, unless the dates were given
            _run(library, settings, fetcher, sources, _window(start, end), as_json, no_index)
            log.info("next sync in %s", every)
            time.sleep(interval)


def sources(
    remove: Annotated[str | None, typer.Option("--remove", help="Stop syncing this source (its papers stay).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The committee sites synced before, which `papers sync` with no site syncs again."""
    state = SyncState(Library(get_settings()).store)
    if remove:
        if not state.forget(remove):
            errors.print(f"--remove: no source {remove!r}; `papers sources` lists them")
            raise typer.Exit(2)
        console.print(f"{remove} will not be synced again; its papers stay in the store.")
        return
    saved = state.sources()
    if as_json:
        print(json.dumps([vars(source) | {"committees": list(source.committees)} for source in saved], indent=2))
        return
    table = Table(title="Sources")
    for column in ("source", "committees", "last successful sync"):
        table.add_column(column, overflow="fold")
    for source in saved:
        table.add_row(source.id, ", ".join(source.committees) or "all", source.last_success or "never")
    console.print(table if saved else "No sources yet: `papers sync moderngov https://…` adds one.")


def _sources(library: Library, fetcher: Fetcher, kind: str | None, site: str | None, committees: tuple[str, ...]
             ) -> list[Source]:
    """The source named on the command line, or every saved one; bad arguments exit 2 naming the parameter."""
    if kind is None:
        if committees:
            _refuse("--committee: name the site it belongs to (`papers sync moderngov URL --committee NAME`)")
        saved = SyncState(library.store).sources()
        if not saved:
            _refuse("No sources yet: name one (`papers sync moderngov https://…` or `papers sync legistar CLIENT`)")
        return saved
    if kind not in CONNECTORS:
        _refuse(f"KIND: {kind!r} is not one of {', '.join(CONNECTORS)}")
    if not site:
        _refuse(f"SITE: the {kind} site to sync is missing")
    return [Source.of(kind, connector(kind, site, fetcher).base, committees)]


def _run(library: Library, settings: Settings, fetcher: Fetcher, sources: list[Source], window: Window,
         as_json: bool, no_index: bool) -> bool:
    """Sync each source, then index and tell followers what is new; whether anything could be synced."""
    reports: list[Report] = []
    syncer = Syncer(library.store, library.reading, settings.synced, fetcher)
    for source in sources:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=errors, disable=as_json) as bar:
            tasks: list[TaskID] = []

            def on_committee(name: str, documents: int, bar: Progress = bar, tasks: list[TaskID] = tasks) -> None:
                tasks.append(bar.add_task(name, total=documents))

            def on_document(_: Fetched, bar: Progress = bar, tasks: list[TaskID] = tasks) -> None:
                bar.advance(tasks[-1])

            try:
                site = connector(source.kind, source.base, fetcher)
                reports.append(syncer.run(site, source, window, on_committee, on_document))
            except SyncError as problem:
                errors.print(str(problem))
                raise typer.Exit(2) from None
        log.info("%s: %s", source.id, _counts(reports[-1]))
    added = [document_id for report in reports for document_id in report.added]
    if added and not no_index:
        with reported_problems():
            build_index(library)
    if added and settings.slack_bot_token:
        post_digests(library, settings, added)
    _print(reports, as_json)
    return any(report.succeeded for report in reports)


def _print(reports: list[Report], as_json: bool) -> None:
    if as_json:
        print(json.dumps([report.as_dict() for report in reports], indent=2))
        return
    table = Table(title="Sync")
    for column in ("source", "committee", "meetings", "cancelled", *OUTCOMES):
        table.add_column(column, overflow="fold")
    for report in reports:
        for done in report.committees:
            table.add_row(report.source, done.name, str(done.meetings), str(done.cancelled),
                          *(str(done.counts[outcome]) for outcome in OUTCOMES))
    console.print(table)
    for report in reports:
        for fetched in report.documents:
            if fetched.outcome in (REFUSED, FAILED):
                console.print(f"{fetched.outcome}: {fetched.title} ({fetched.committee}, {fetched.meeting}) "
                              f"{fetched.url}: {fetched.reason}", markup=False)
        if report.stopped:
            errors.print(f"{report.source}: stopped: {report.stopped}", markup=False)


def _counts(report: Report) -> str:
    return ", ".join(f"{report.total(outcome)} {outcome}" for outcome in OUTCOMES)


def _window(start: datetime | None, end: datetime | None) -> Window:
    default = Window.default()
    window = Window(start.date() if start else default.start, end.date() if end else default.end)
    if window.start > window.end:
        _refuse(f"--from {window.start} is after --to {window.end}")
    return window


def _interval(every: str) -> int:
    match = _INTERVAL.match(every.strip())
    if not match or int(match[1]) == 0:
        _refuse(f"--every: {every!r} is not an interval such as 30m, 6h or 1d")
    return int(match[1]) * _SECONDS[match[2]]


def _refuse(message: str) -> None:
    errors.print(message, markup=False)
    raise typer.Exit(2)

