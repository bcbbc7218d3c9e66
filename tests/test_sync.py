"""A sync of a committee site into the store, against local fakes in the services' real shapes serving real papers
(tests/fakes/: Kent's on ModernGov, LA Metro's on Legistar): papers filed as the site says, exempt from its flags,
nothing downloaded twice, a changed document replaced, a refusal that stops the run, the request rate held."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from ingest.store import Store
from papers.backends import reading
from papers.settings import Settings
from sync.legistar import Legistar
from sync.moderngov import ModernGov
from sync.run import CHANGED, FAILED, NEW, REFUSED, UNCHANGED, Report, Syncer, Window
from sync.state import Source, SyncState
from tests.conftest import Waits, polite_fetcher, shared_path
from tests.fakes import legistar as legistar_fake
from tests.fakes import moderngov as fake

WINDOW = Window(date(2024, 10, 1), date(2025, 3, 31))
PANEL = "Corporate Parenting Panel"


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    server = HTTPServer()
    server.start()
    yield server
    server.clear()
    server.stop()


def kent_site(server: HTTPServer) -> fake.FakeSite:
    server.clear()
    return fake.serve_moderngov(server, shared_path("corpus", "pdf"))


def syncer(home: Path, rate: float = 0, sleep=None) -> Syncer:
    settings = Settings(home=home)
    return Syncer(Store(settings.database), reading(settings), settings.synced, polite_fetcher(sleep, rate))


def run(sync: Syncer, site: fake.FakeSite, *committees: str) -> Report:
    source = Source.of("moderngov", site.base, committees)
    return sync.run(ModernGov(site.base, sync.fetcher), source, WINDOW)


def outcomes(report: Report) -> dict[str, str]:
    return {fetched.title: fetched.outcome for fetched in report.documents}


@pytest.fixture(scope="module")
def kent(server: HTTPServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[fake.FakeSite, Syncer, Report, Waits]:
    """Every committee of the site synced once (Kent's real papers read: about half a minute)."""
    site = kent_site(server)
    waits = Waits()
    sync = syncer(tmp_path_factory.mktemp("kent"), sleep=waits)
    return site, sync, run(sync, site), waits


def test_each_paper_is_filed_under_the_meeting_and_item_the_site_gives_it(kent):
    _, sync, report, _ = kent
    assert [(done.name, done.meetings, done.cancelled) for done in report.committees] == [
        ("Cabinet", 4, 1), (PANEL, 1, 0)]
    store = sync.store
    supplementary = [row for row in store.documents(("public", "exempt")) if row["item"] == "7"]
    assert supplementary and {row["meeting_id"] for row in supplementary} == {"cabinet-2025-01-30"}
    items = store.items("cabinet-2025-01-30", ("public", "exempt"))
    assert [item["number"] for item in items] == [str(n) for n in range(1, 10)]
    assert items[6]["title"].startswith("24/00109 - Transfer the 18-25 section")
    meeting = store.meeting("cabinet-2025-01-30", ("public", "exempt"))
    assert (meeting["time"], meeting["venue"]) == ("10.00 am",
                                                   "Council Chamber, Sessions House, County Hall, Maidstone")
    cancelled = sync.store.db.execute("SELECT status FROM sync_meetings WHERE remote_id = ?", (fake.FEB_20,)).fetchone()
    assert cancelled["status"] == "cancelled"


def test_what_the_site_restricts_is_exempt_and_the_public_never_sees_it(kent):
    _, sync, _, _ = kent
    store = sync.store
    exempt = {row["title"] for row in store.documents(("exempt",))}
    assert {"Appendix I - Budget Risks Register 2025-26", "Contract values"} <= exempt  # by its flag, by its item's
    assert any("Part 2" in title for title in exempt)  # by its title alone
    public = {row["id"] for row in store.documents(("public",))}
    assert public and not public & {row["id"] for row in store.documents(("exempt",))}


def test_a_broken_document_is_reported_with_its_reason_and_the_rest_go_on(kent):
    site, _, report, waits = kent
    fate = {fetched.url: (fetched.outcome, fetched.reason) for fetched in report.documents}
    assert fate[site.url(fake.MISSING)] == (FAILED, "HTTP 404")
    assert fate[site.url(fake.HTML_ERROR)][0] == REFUSED and "text/html" in fate[site.url(fake.HTML_ERROR)][1]
    assert fate[site.url(fake.FAMILY_HUBS_PACK)][0] == NEW  # after two 500s
    assert fate[site.url(fake.QPR)][0] == NEW and 1.0 in waits  # after a 429 asking for a second's wait
    assert report.total(NEW) == 10 and report.succeeded


def test_a_second_sync_downloads_nothing(kent):
    site, sync, _, _ = kent
    site.forget()
    again = run(sync, site)
    assert again.total(NEW) == again.total(CHANGED) == 0
    assert again.total(UNCHANGED) == 10 and not again.added
    answered = [seen.status for seen in site.requests() if seen.path.startswith(("/mgConvert2PDF", "/documents/"))]
    assert answered and set(answered) == {304, 404}  # the HTML error page too: held as refused, asked if changed
    assert again.total(REFUSED) == 1 and again.total(FAILED) == 1


def test_a_changed_document_replaces_the_old_version_and_a_lifted_flag_reads_it_again(server, tmp_path):
    site = kent_site(server)
    sync = syncer(tmp_path)
    first = run(sync, site, PANEL)
    assert outcomes(first) == {"Printed minutes": NEW}
    old = first.added
    site.set_content(fake.PANEL_MINUTES, (shared_path("corpus", "pdf") / (
        "uk_kent_cabinet_2025-01-30_printed-minutes.pdf")).read_bytes())
    changed = run(sync, site, PANEL)
    assert outcomes(changed) == {"Printed minutes": CHANGED}
    assert old and not any(sync.store.document(document, ("public", "exempt")) for document in old)  # gone, at once
    assert len(sync.store.paths()) == 1
    site.documents[fake.PANEL_MINUTES].restricted = True  # the same bytes, now withheld
    withheld = run(sync, site, PANEL)
    assert outcomes(withheld) == {"Printed minutes": CHANGED}
    assert {row["visibility"] for row in sync.store.documents(("public", "exempt"))} == {"exempt"}
    assert [seen.status for seen in site.downloads(fake.PANEL_MINUTES)][-1] == 304  # not downloaded again


def test_a_site_that_refuses_us_stops_the_run_naming_the_url(server, tmp_path):
    site = kent_site(server)
    site.meetings[-1].items[0].documents.append(site.documents[fake.FORBIDDEN])
    sync = syncer(tmp_path)
    report = run(sync, site, PANEL)
    assert report.stopped and site.url(fake.FORBIDDEN) in report.stopped and "403" in report.stopped
    assert SyncState(sync.store).sources()[0].last_success is not None  # the minutes before it were synced


def test_requests_to_a_site_are_spaced_as_the_rate_says(server, tmp_path):
    site = kent_site(server)
    sync = syncer(tmp_path, rate=20, sleep=time.sleep)
    run(sync, site, PANEL)
    times = site.times()
    assert len(times) >= 4
    assert min(later - earlier for earlier, later in itertools.pairwise(times)) >= 0.045


def test_a_legistar_site_syncs_the_same_way(server, tmp_path):
    server.clear()
    site = legistar_fake.serve_legistar(server, shared_path("corpus", "pdf"))
    sync = syncer(tmp_path)
    source = Source.of("legistar", site.base, ("Executive Management Committee",))
    window = Window(date(2017, 5, 1), date(2017, 9, 30))
    report = sync.run(Legistar(site.base, sync.fetcher), source, window)
    (done,) = report.committees
    assert (done.meetings, done.cancelled) == (4, 1)
    assert (done.counts[FAILED], done.counts[REFUSED]) == (1, 1) and done.counts[NEW] > 5
    store = sync.store
    june = store.items("executive-management-committee-2017-06-15", ("public", "exempt"))
    assert [item["number"] for item in june][:3] == ["33", "35", "36"]  # the numbers the site gives
    assert any(document["item"] == "38" for item in june for document in item["documents"])
    withheld = [fetched for fetched in report.documents if fetched.url == site.url(legistar_fake.RESTRICTED)]
    assert withheld and all(store.document(document, ("public",)) is None for document in withheld[0].document_ids)
    assert all(store.document(document, ("exempt",)) for document in withheld[0].document_ids)

    site.forget()
    again = sync.run(Legistar(site.base, sync.fetcher), source, window)
    assert again.total(NEW) == again.total(CHANGED) == 0 and again.total(UNCHANGED) == done.counts[NEW]
    assert {seen.status for seen in site.requests() if "/attachments/" in seen.path or "/meetings/" in seen.path} \
        <= {304, 404}
