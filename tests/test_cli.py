"""The `papers` command as a user runs it, against a store in a temporary PAPERS_HOME."""

import json

import pytest
from typer.testing import CliRunner

from ingest.store import Store
from papers.cli import app
from papers.settings import get_settings

from .conftest import SAMPLES, shared_path

MEETING = "children-and-families-scrutiny-committee-2026-03-11"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def test_ingest_prints_a_summary_then_meetings_items_and_show(run):
    result = run("ingest", str(SAMPLES / "committee-pack.txt"))
    assert result.exit_code == 0, result.output
    assert "1 files: 1 ingested, 0 unchanged, 0 failed" in result.output
    assert "agenda items" in result.output and "chunks" in result.output
    assert "1 files: 0 ingested, 1 unchanged" in run("ingest", str(SAMPLES / "committee-pack.txt")).output

    meetings = json.loads(run("meetings", "--json").output)
    assert [m["id"] for m in meetings] == [MEETING]
    items = json.loads(run("items", MEETING, "--json").output)
    assert [i["number"] for i in items] == ["1", "2", "3", "4", "4a", "5", "6"]
    report = next(i for i in items if i["number"] == "5")
    assert (report["page_start"], report["page_end"]) == (7, 10)
    assert [d["kind"] for d in report["documents"]] == ["report", "appendix"]

    first = Store(get_settings().database).chunks()[0]["id"]
    shown = json.loads(run("show", first, "--json").output)
    assert shown["id"] == first and shown["context"].startswith("Children and Families Scrutiny Committee")
    assert "lines" in run("show", first).output


def test_unknown_meeting_and_chunk_are_usage_errors(run):
    assert run("items", "no-such-meeting").exit_code == 2
    assert run("show", "no-such-chunk").exit_code == 2


def test_exit_code_is_non_zero_only_when_every_file_failed(run):
    robustness = shared_path("corpus", "robustness")
    assert run("ingest", str(robustness / "made_empty.pdf")).exit_code == 1
    mixed = run("ingest", str(robustness / "made_empty.pdf"), str(SAMPLES / "committee-pack.txt"))
    assert mixed.exit_code == 0 and "empty file" in mixed.output
