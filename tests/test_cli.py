"""The `papers` command as a user runs it, against a store in a temporary PAPERS_HOME."""

import json

import pytest
from typer.testing import CliRunner

from ingest.store import Store
from papers.cli import app
from papers.settings import get_settings

from .conftest import SAMPLES, shared_path
from .test_index_storage import MAY_MINUTES

MEETING = "children-and-families-scrutiny-committee-2026-03-11"


def flat(text: str) -> str:
    """Output as one line: rich wraps long lines at the terminal's width."""
    return " ".join(text.split())


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


def test_ingest_prints_a_summary_then_meetings_items_and_show(run):
    result = run("ingest", "--no-index", str(SAMPLES / "committee-pack.txt"))
    assert result.exit_code == 0, result.output
    assert "1 files: 1 ingested, 0 unchanged, 0 failed" in result.output
    assert "agenda items" in result.output and "chunks" in result.output
    again = run("ingest", "--no-index", str(SAMPLES / "committee-pack.txt")).output
    assert "1 files: 0 ingested, 1 unchanged" in again

    meetings = json.loads(run("meetings", "--json").output)
    assert [m["id"] for m in meetings] == [MEETING]
    items = json.loads(run("items", MEETING, "--json").output)
    assert [i["number"] for i in items] == ["1", "2", "3", "4", "4a", "5", "6"]
    report = next(i for i in items if i["number"] == "5")
    assert (report["page_start"], report["page_end"]) == (7, 10)
    assert [d["kind"] for d in report["documents"]] == ["report", "appendix"]
    listed = run("items", MEETING).output
    assert "Action sheet:" in listed and "action_sheet" not in listed  # kinds by the names people use

    first = Store(get_settings().database).chunks()[0]["id"]
    shown = json.loads(run("show", first, "--json").output)
    assert shown["id"] == first and shown["context"].startswith("Children and Families Scrutiny Committee")
    assert "lines" in run("show", first).output


def test_decisions_lists_what_was_decided_newest_first_with_its_vote_and_place(run):
    run("ingest", "--no-index", str(SAMPLES / "committee-pack.txt"))
    rows = json.loads(run("decisions", "--json").output)
    assert [(r["date"], r["section"], r["fields"]["decision"]) for r in rows] == [
        ("2026-03-11", "Cover", "recommended"),  # the report's recommendation to this meeting
        ("2026-01-14", "43. Care Leavers Accommodation", "resolved"),  # the minutes of the meeting before
        ("2026-01-14", "44. Foster Care Recruitment Campaign", "recommended"),
        ("2026-01-14", "45. Dates of Future Meetings", "noted")]
    shown = flat(run("decisions", "--from", "2026-01-01", "--to", "2026-01-31").output)
    assert shown.startswith("2026-01-14 · Children and Families Scrutiny Committee · Item 4 Minutes · 43. Care")
    assert "[resolved] RESOLVED that the Director of Housing be asked" in shown and "Voting: Unanimous" in shown
    assert "lines 87–99 · committee-pack.txt" in shown and shown.endswith("3 decisions.")
    unknown = run("decisions", "--committee", "Parish Pump")
    assert unknown.exit_code == 2 and "no committee's name contains" in flat(unknown.output)


def test_figures_prints_each_measures_series_in_period_order_with_target_and_rag(run):
    run("ingest", "--no-index", str(SAMPLES / "committee-pack.txt"))
    shown = flat(run("figures", "foster households").output)
    assert shown.startswith(
        "Approved foster households 114 (Sep-25) · target 130 · Amber · lines 170–174 · committee-pack.txt")
    assert shown.index("117 (Nov-25)") < shown.index("118 (Dec-25)") and shown.endswith("4 figures of 1 measure.")
    rows = json.loads(run("figures", "--json").output)
    assert {r["fields"]["measure"] for r in rows} >= {"Approved foster households",
                                                      "Children placed with in-house foster carers"}
    assert "No figure matches." in run("figures", "zebracorn").output


def test_actions_lists_each_action_with_where_it_stands_and_action_shows_its_timeline(run):
    run("ingest", "--no-index", str(SAMPLES / "committee-pack.txt"))
    listed = flat(run("actions", "--status", "open").output)
    assert listed.startswith("2026-03-11 · open · ") and listed.endswith("3 actions.")
    assert "Officers aware - figures expected February 2026. · raised 2025-10-08" in listed
    found = json.loads(run("actions", "--json").output)
    done = next(a for a in found if a["state"] == "done")
    shown = flat(run("action", done["id"]).output)
    assert shown.startswith("Share the map of youth club opening hours with all Members. raised 2025-10-08 · owner "
                            "Head of Youth Services · done")
    assert "2026-03-11 Actioned - map circulated on 3 November 2025." in shown
    assert run("action", "no-such-action").exit_code == 2
    assert run("actions", "--status", "late").exit_code == 2


def test_searching_before_anything_is_ingested_says_so_and_writes_nothing(run):
    result = run("search", "foster")
    assert result.exit_code == 1 and "ingest papers first" in flat(result.output)
    assert not get_settings().home.exists()


def test_unknown_meeting_and_chunk_are_usage_errors(run):
    assert run("items", "no-such-meeting").exit_code == 2
    assert run("show", "no-such-chunk").exit_code == 2


def test_exit_code_is_non_zero_only_when_every_file_failed(run):
    robustness = shared_path("corpus", "robustness")
    assert run("ingest", str(robustness / "made_empty.pdf")).exit_code == 1
    mixed = run("ingest", "--no-index", str(robustness / "made_empty.pdf"), str(SAMPLES / "committee-pack.txt"))
    assert mixed.exit_code == 0 and "empty file" in mixed.output


def test_ingest_builds_the_index_and_search_prints_passages(run, tmp_path):
    result = run("ingest", str(SAMPLES / "committee-pack.txt"))
    assert result.exit_code == 0, result.output
    assert "Index: " in result.stdout and "6 documents indexed" in flat(result.stdout)

    found = json.loads(run("search", "how many approved foster households", "-k", "3", "--json").stdout)
    assert [passage["rank"] for passage in found] == [1, 2, 3]
    assert any("118 approved foster households" in passage["text"] for passage in found)
    assert found[0]["document"]["committee"] == "Children and Families Scrutiny Committee"
    table = run("search", "foster households", "--mode", "bm25", "--item", "5")
    assert table.exit_code == 0 and "bm25 1" in table.stdout and "Foster Care" in table.stdout

    bad = run("search", "foster", "--from", "2026-13-01")
    assert bad.exit_code == 2 and "date_from" in bad.output
    assert run("search", "  ").exit_code == 2

    other = tmp_path / "may-minutes.txt"
    other.write_text(MAY_MINUTES, encoding="utf-8")
    assert run("ingest", "--no-index", str(other)).exit_code == 0
    behind = run("search", "youth justice")  # the index from before still answers, and says it is behind
    assert behind.exit_code == 0 and "behind" in behind.output and "papers index" in flat(behind.output)
    assert "Youth Justice" not in behind.stdout
    updated = run("index")
    assert updated.exit_code == 0 and "1 documents indexed" in flat(updated.stdout)
    assert "Youth Justice" in run("search", "youth justice", "-k", "1").stdout


def test_ask_cites_each_source_by_title_committee_day_and_item_with_the_file_last(run):
    run("ingest", str(SAMPLES / "committee-pack.txt"))
    shown = flat(run("ask", "How many approved foster households are there?").output)
    assert ("[1] Foster Care Sufficiency Update · Children and Families Scrutiny Committee · 11 March 2026 · item 5 "
            "Foster Care Sufficiency Update · lines 143–153 · committee-pack.txt") in shown


def test_papers_slack_stops_naming_the_settings_it_lacks(run, monkeypatch):
    monkeypatch.delenv("PAPERS_SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("PAPERS_SLACK_APP_TOKEN", "xapp-1")
    result = run("slack")
    assert result.exit_code == 2 and "PAPERS_SLACK_BOT_TOKEN" in result.output
