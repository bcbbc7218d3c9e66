"""`papers sync` and `papers sources` as a user runs them, against the fake ModernGov site serving Kent's real
papers: the report, saved sources synced again, bad arguments named, a refusing site, and a sync killed with
SIGKILL half way that, run again, ends with the same store as a sync never interrupted."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from papers.cli import app
from papers.settings import get_settings
from tests.conftest import shared_path
from tests.fakes import moderngov as fake

WINDOW = ("--from", "2024-10-01", "--to", "2025-03-31")
PAPERS = str(Path(sys.executable).with_name("papers"))


@pytest.fixture
def site(httpserver: HTTPServer) -> fake.FakeSite:
    return fake.serve_moderngov(httpserver, shared_path("corpus", "pdf"))


@pytest.fixture
def papers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PAPERS_SYNC_RATE", "0")
    monkeypatch.setattr(logging.getLogger("werkzeug"), "level", logging.ERROR)  # the fake's request log, not ours
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def test_a_sync_reports_each_committee_and_later_runs_sync_the_saved_source(site, papers):
    first = papers("sync", "moderngov", site.base, "--committee", "corporate parenting", *WINDOW, "--no-index",
                   "--json")
    assert first.exit_code == 0, first.output
    (report,) = json.loads(first.stdout)
    (panel,) = report["committees"]
    assert (panel["name"], panel["meetings"], panel["counts"]["new"]) == ("Corporate Parenting Panel", 1, 1)

    (source,) = json.loads(papers("sources", "--json").stdout)
    assert source["id"] == f"moderngov:{site.base}" and source["committees"] == ["corporate parenting"]
    assert source["last_success"]

    again = papers("sync", *WINDOW, "--no-index", "--json")  # no site named: the saved one, as it was asked
    assert again.exit_code == 0, again.output
    (report,) = json.loads(again.stdout)
    assert [(done["name"], done["counts"]["unchanged"]) for done in report["committees"]] == [
        ("Corporate Parenting Panel", 1)]
    table = papers("sync", *WINDOW, "--no-index").output  # the same for a person: a table per committee
    assert "Corporate" in table and "Parenting" in table and "unchang" in table  # as wide as the terminal lets it
    assert papers("sources", "--remove", source["id"]).exit_code == 0
    assert json.loads(papers("sources", "--json").stdout) == []


def test_bad_arguments_are_named_and_nothing_is_synced(site, papers):
    unknown = papers("sync", "moderngov", site.base, "--committee", "Planning", *WINDOW, "--no-index")
    assert unknown.exit_code == 2 and "--committee 'Planning' matches no committee" in unknown.output
    assert "Cabinet" in unknown.output  # the names it might have meant
    assert papers("sync", "moderngov").exit_code == 2
    assert "not one of moderngov, legistar" in papers("sync", "sharepoint", site.base).output
    assert "--every" in papers("sync", "moderngov", site.base, "--every", "often").output
    assert "--from 2025-03-31 is after --to 2024-10-01" in " ".join(
        papers("sync", "moderngov", site.base, "--from", "2025-03-31", "--to", "2024-10-01").output.split())
    assert "No sources yet" in papers("sync").output


def test_a_site_that_refuses_us_exits_non_zero_naming_the_url(httpserver, papers):
    httpserver.expect_request("/mgWebService.asmx/GetCommittees").respond_with_data("Forbidden", status=403)
    result = papers("sync", "moderngov", httpserver.url_for("/"), "--no-index")
    assert result.exit_code == 1
    assert "GetCommittees" in result.output and "403" in result.output


def store_contents(home: Path) -> dict[str, list]:
    """What a sync left, without what depends on where the home folder is."""
    db = sqlite3.connect(home / "papers.db")
    contents = {
        "documents": sorted(db.execute("SELECT title, kind, item, visibility, meeting_id FROM documents")),
        "chunks": sorted(db.execute("SELECT text_hash, item, duplicate_of IS NULL FROM chunks")),
        "records": sorted(db.execute("SELECT kind, text FROM records")),
        "held": sorted(db.execute("SELECT remote_id, sha256, outcome FROM sync_documents")),
        "meetings": sorted(db.execute("SELECT remote_id, status FROM sync_meetings")),
    }
    db.close()
    return contents


def sync_command(site: fake.FakeSite, home: Path, rate: str) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PAPERS_HOME": str(home), "PAPERS_SYNC_RATE": rate, "HF_HUB_OFFLINE": "1"}
    return [PAPERS, "sync", "moderngov", site.base, "--committee", "Cabinet", *WINDOW, "--no-index", "--json"], env


def test_a_sync_killed_half_way_resumes_to_the_same_store_as_one_never_interrupted(site, tmp_path):
    whole = tmp_path / "whole"
    command, env = sync_command(site, whole, "0")
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)

    killed = tmp_path / "killed"
    command, env = sync_command(site, killed, "4")  # a request every quarter second: time to kill it half way
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    held = 0
    deadline = time.monotonic() + 120
    while held < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if (killed / "papers.db").exists():
            try:
                with sqlite3.connect(killed / "papers.db", timeout=1) as db:
                    held = db.execute("SELECT count(*) FROM sync_documents").fetchone()[0]
            except sqlite3.OperationalError:  # the tables are not there yet
                continue
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL and 3 <= held < 9  # killed with documents still to fetch

    command, env = sync_command(site, killed, "0")
    resumed = subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    (report,) = json.loads(resumed.stdout)
    assert report["committees"][0]["counts"]["unchanged"] >= 2  # what the killed run held was not fetched again
    assert store_contents(killed) == store_contents(whole)
    assert not list((killed / "synced").rglob("*.part"))


def test_every_syncs_then_sleeps_and_logs_each_run(site, tmp_path):
    command, env = sync_command(site, tmp_path / "home", "0")
    command = [part for part in command if part != "--json"] + ["--every", "1h"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    logged = []
    for line in process.stderr:  # the run's log, then the wait before the next
        logged.append(line)
        if "next sync in 1h" in line:
            break
    process.terminate()
    process.wait(timeout=30)
    text = "".join(logged)
    assert f"moderngov:{site.base}: 9 new, 0 changed, 0 unchanged, 1 refused, 1 failed" in text
    assert "HTTP Request" not in text  # a line a run, not one a request
    assert "next sync in 1h" in text
