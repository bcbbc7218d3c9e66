"""The record pages (`/browse/...`) over the real papers: each shows what its JSON endpoint returns for the same
query, filtered and paged the same way, cited to the passage; and the SVG chart on its own."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from api import chart
from api.app import create_app
from api.chart import line_chart, number

HMO_STATUSES = ["Actioned.", "Action – Officers aware", "ACTION add to action sheet"]  # as printed, latest first


@pytest.fixture(scope="module")
def corpus(corpus_searcher, corpus_settings):
    with TestClient(create_app(corpus_settings)) as client:
        yield client


def view_links(page: str) -> list[str]:
    return re.findall(r'href="(/view/[^"]+)"', page)


def cited(records: list[dict]) -> list[str]:
    return [f"/view/{record['document']['id']}#chunk-{record['chunk_id']}" for record in records]


def test_the_decisions_page_shows_the_endpoints_decisions_paged_and_cited(corpus):
    second = corpus.get("/decisions", params={"per_page": 10, "page": 2}).json()
    page = corpus.get("/browse/decisions", params={"per_page": 10, "page": 2})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert view_links(page.text) == cited(second) and len(second) == 10
    assert 'href="/browse/decisions?per_page=10&amp;page=1" rel="prev"' in page.text
    assert 'href="/browse/decisions?per_page=10&amp;page=3" rel="next"' in page.text
    every = corpus.get("/decisions", params={"per_page": 500}).json()
    blank = corpus.get("/browse/decisions", params={"committee": "", "from": "", "to": "", "per_page": 500})
    assert view_links(blank.text) == cited(every) and 'rel="next"' not in blank.text  # a blank field: no filter


def test_a_decision_on_the_page_carries_its_kind_meeting_item_and_vote_and_its_link_finds_it(corpus):
    cabinet = {"committee": "Cabinet", "from": "2025-01-30", "to": "2025-01-30"}
    page = corpus.get("/browse/decisions", params=cabinet).text
    assert view_links(page) == cited(corpus.get("/decisions", params=cabinet).json())
    entry = next(item for item in page.split("<li>") if "Integrated Care Strategy Delivery Plan" in item)
    assert re.search(r'class="kind kind-resolved">resolved</span>\s*· 2025-01-30 · Cabinet\s*· item 8 ', entry)
    document_id, anchor = view_links(entry)[0].removeprefix("/view/").split("#")
    passage = corpus.get(f"/view/{document_id}").text.split(f'id="{anchor}"')[1].split("</article>")[0]
    assert "RESOLVED that Cabinet agree to:" in passage
    children = html.unescape(corpus.get("/browse/decisions", params={"committee": "Children", "per_page": 500}).text)
    deferred = [item for item in children.split("<li>") if "kind-deferred" in item]
    assert len(deferred) == 2 and all('<p class="vote">Voting: For – 8 Against – 1</p>' in item for item in deferred)


@pytest.mark.parametrize(("params", "says"), [
    ({"from": "2025-01-01", "to": "2024-01-01"}, "from:"),
    ({"from": "last week"}, "from: 'last week' is not a date"),
    ({"committee": "Parish Pump"}, "committee: no committee's name contains 'Parish Pump'"),
    ({"per_page": 501}, "per_page:"),
])
def test_a_refused_filter_is_a_page_saying_what_was_wrong(corpus, params, says):
    page = corpus.get("/browse/decisions", params=params)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    alert = html.unescape(page.text.split('role="alert">')[1].split("</p>")[0])
    assert alert.startswith(says) and 'href="/browse/decisions">' in page.text


def test_the_actions_page_filters_by_status_and_links_each_action_to_its_timeline(corpus):
    for status in ("open", "done"):
        listed = corpus.get("/actions", params={"status": status, "per_page": 500}).json()
        page = corpus.get("/browse/actions", params={"status": status, "per_page": 500}).text
        assert listed and re.findall(r'href="/browse/actions/([^"]+)"', page) == [a["id"] for a in listed]
        assert page.count(f'class="state state-{status}"') == len(listed) and f'value="{status}" selected' in page
    every = corpus.get("/actions", params={"per_page": 500}).json()
    page = corpus.get("/browse/actions", params={"status": "", "per_page": 500}).text  # "Open and done"
    assert re.findall(r'href="/browse/actions/([^"]+)"', page) == [a["id"] for a in every]
    assert corpus.get("/browse/actions", params={"status": "late"}).status_code == 422


def test_an_actions_timeline_page_shows_each_status_as_printed_latest_first_each_cited(corpus):
    hmo = next(a for a in corpus.get("/actions", params={"per_page": 500}).json()
               if "HMOs" in a["text"] and len(a["history"]) > 1)
    page = corpus.get(f"/browse/actions/{hmo['id']}").text
    shown = [html.unescape(status) for status in re.findall(r'<strong class="status">([^<]+)</strong>', page)]
    assert shown == HMO_STATUSES == [printing["status"] for printing in reversed(hmo["history"])]
    assert re.findall(r"</strong> · (\d{4}-\d\d-\d\d)", page) == ["2024-07-24", "2022-05-03", "2022-03-22"]
    assert view_links(page) == cited(hmo["history"][::-1])
    for link in view_links(page):
        document_id, anchor = link.removeprefix("/view/").split("#")
        assert f'id="{anchor}"' in corpus.get(f"/view/{document_id}").text
    missing = corpus.get("/browse/actions/nope")
    assert missing.status_code == 404 and "no action 'nope'" in html.unescape(missing.text)


def test_the_figures_page_tables_and_charts_a_measures_series_in_period_order(corpus):
    page = corpus.get("/browse/figures", params={"measure": "issued within 20 weeks", "committee": "Children"}).text
    sections = page.split('<section class="series"')[1:]
    bcp = next(s for s in sections if "% of new EHCPs issued within 20 weeks (including exceptions)</h2>" in s)
    values = re.findall(r"<tr><td>[^<]*</td><td>([^<]+)</td>", bcp)
    assert values[values.index("27.9%"):values.index("27.9%") + 3] == ["27.9%", "52.9%", "67.1%"]
    periods = re.findall(r'<text class="period"[^>]*>([^<]+)</text>', bcp)
    assert periods == sorted(periods) and {"2024-01", "2024-02", "2024-03"} <= set(periods)
    assert len(re.findall("<circle", bcp)) == len(periods) == len(values)  # every value a number, each plotted
    at = {period: float(y) for y, period in re.findall(r'cy="([\d.]+)" r="4"><title>(\d{4}-\d\d): ', bcp)}
    assert at["2024-03"] < at["2024-02"] < at["2024-01"]  # higher on the chart: a smaller y
    assert len(view_links(bcp)) == len(values)
    nothing = corpus.get("/browse/figures", params={"measure": "zebracorn"})
    assert nothing.status_code == 200 and "No figure matches" in nothing.text and "<svg" not in nothing.text


def test_every_page_links_the_record_pages_and_marks_where_you_are(corpus):
    for path in ("/", "/browse/decisions", "/browse/actions", "/browse/figures"):
        page = corpus.get(path).text
        nav = page.split('aria-label="Sections"')[1].split("</nav>")[0]
        assert re.findall(r'href="([^"]+)"', nav) == ["/", "/browse/decisions", "/browse/actions", "/browse/figures"]
        assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [path]


def test_the_chart_plots_each_number_labelled_by_its_period_and_leaves_out_what_is_no_number():
    drawn = line_chart([("2024-01", "27.9%"), ("2024-02", "n/a"), ("2024-03", "1,030"), ("<b>", "£2.5m")], "A & B")
    assert re.findall(r'<text class="period"[^>]*>([^<]+)</text>', drawn) == ["2024-01", "2024-03", "&lt;b&gt;"]
    assert re.findall(r'<text class="value"[^>]*>([^<]+)</text>', drawn) == ["27.9%", "1,030", "£2.5m"]
    assert drawn.count("<polyline") == 1 and 'aria-label="A &amp; B"' in drawn
    heights = [float(y) for y in re.findall(r'cy="([\d.]+)"', drawn)]
    assert heights[2] > heights[0] > heights[1] == min(heights)  # 2.5 lowest, 1030 tops the scale


def test_one_point_is_charted_alone_and_a_series_of_no_numbers_gets_no_chart():
    one = line_chart([("Quarter 3, 2024/25 (provisional)", "34%")], "EHCPs")
    assert one.count("<circle") == 1 and "<polyline" not in one
    assert f'cx="{(chart.LEFT + chart.WIDTH - chart.RIGHT) / 2:.1f}"' in one  # in the middle of the axis
    assert "Quarter 3, 2024…</text>" in one and "<title>Quarter 3, 2024/25 (provisional): 34%</title>" in one
    assert line_chart([("2024-01", "TBC"), ("2024-02", "–")], "Pending") == ""
    assert line_chart([], "Nothing") == ""
    zeros = line_chart([("a", "0"), ("b", "0%")], "Zeros")
    assert len(set(re.findall(r'cy="([\d.]+)"', zeros))) == 1 and ">1</text>" in zeros  # on the axis, scale 0-1


@pytest.mark.parametrize(("printed", "read"), [("67.1%", 67.1), ("1,030", 1030.0), ("£2.5m", 2.5), ("41.8 wks", 41.8),
                                               ("-3.2pp", -3.2), ("−4%", -4.0), ("(1,200)", -1200.0),
                                               ("n/a", None), ("TBC", None), ("", None)])
def test_a_figure_is_read_as_the_number_it_prints(printed, read):
    assert number(printed) == read


def test_a_series_below_zero_is_drawn_from_its_lowest_value():
    chart = line_chart([("a", "-2"), ("b", "3")], "Change")
    assert ">-2</text>" in chart  # the scale's foot is the lowest value, not zero
