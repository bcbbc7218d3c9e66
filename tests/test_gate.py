"""The gate walked as an attacker would: every route of the app (the OpenAPI description's, the search page and the
record pages), and the Slack bot's handlers, asked as the public with ids and queries gathered as an officer, give
away nothing exempt; and with the gate taken out of the view, the same walk finds the exempt report, so the walk is
known to bite."""

from __future__ import annotations

import html
import json
import re
import time
from dataclasses import dataclass, field

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api import browse, pages
from api import routes as api_routes
from api.app import create_app
from api.problems import query_names
from papers.access import OFFICER
from papers.library import Library
from papers.view import View

from .test_bot import (  # the local mock of Slack's Web API and signed requests, as the bot's own tests use them
    SECRET,
    MockSlack,
    answer_to,
    click,
    exchange_of,
    mention,
    send_event,
    send_form,
    slack_api,  # noqa: F401 -- a fixture, found by pytest under this name
    wait_for,
)

KEYS = "officer-key:officer"
AS_OFFICER = {"Authorization": "Bearer officer-key"}
PUBLIC_CHANNEL = "C0PUBLIC"
RUN = 8  # words in a snippet of exempt text looked for in what the public gets


@dataclass
class Exempt:
    """What an officer may see and the public may not: ids to ask for, text to look for, questions to ask."""

    documents: list[str] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    snippets: set[str] = field(default_factory=set)
    queries: list[str] = field(default_factory=list)

    def path_values(self, name: str) -> list[str]:
        values = {"document_id": self.documents, "chunk_id": self.chunks[:3], "meeting_id": self.meetings,
                  "action_id": self.actions}
        if name not in values:
            raise AssertionError(f"a route takes {name!r}: teach the walk which exempt ids to try there")
        return values[name]

    def found_in(self, text: str) -> set[str]:
        """The exempt ids and snippets a response holds, read as a person would read it (markup and escapes
        undone, spaces folded)."""
        plain = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(text)).split())
        words = " ".join(re.findall(r"\w+", plain)).casefold()
        ids = {value for value in (*self.documents, *self.chunks, *self.meetings, *self.actions) if value in plain}
        return ids | {snippet for snippet in self.snippets if snippet in words}


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def gather(client: TestClient) -> Exempt:
    """Everything exempt, as an officer's key finds it through the API."""
    documents = client.get("/documents", params={"per_page": 500}, headers=AS_OFFICER).json()
    passages = {d["id"]: client.get(f"/documents/{d['id']}", headers=AS_OFFICER).json()["passages"]
                for d in documents}
    public_words = " ".join(" ".join(words_of(p["text"] + " " + p["rows"])) for d in documents
                            if d["visibility"] == "public" for p in passages[d["id"]])
    exempt = Exempt()
    public_meetings = {d["meeting_id"] for d in documents if d["visibility"] == "public"}
    for document in (d for d in documents if d["visibility"] == "exempt"):
        exempt.documents.append(document["id"])
        if document["meeting_id"] not in public_meetings:
            exempt.meetings.append(document["meeting_id"])
        exempt.queries.append(document["title"])
        for passage in passages[document["id"]]:
            exempt.chunks.append(passage["id"])
            words = words_of(passage["text"])
            runs = {" ".join(words[i:i + RUN]) for i in range(0, max(len(words) - RUN, 0), RUN)}
            exempt.snippets |= {run for run in runs if run not in public_words}
            if len(exempt.queries) < 6 and len(words) > 30:
                exempt.queries.append(" ".join(words[10:22]))
    exempt.actions = [action["id"] for action in client.get("/actions", params={"per_page": 500}, headers=AS_OFFICER)
                      .json() if any(p["document"]["id"] in exempt.documents for p in action["history"])]
    records = [record for kind in ("decisions", "figures")
               for record in client.get(f"/{kind}", params={"per_page": 500}, headers=AS_OFFICER).json()
               if record["document"]["id"] in exempt.documents]
    exempt.measures = [record["measure"] for record in records if "measure" in record]
    exempt.snippets |= {text for record in records  # a record as a page shows it, whole however short
                        if (text := " ".join(words_of(record["text"]))) not in public_words}
    assert exempt.documents and exempt.meetings and len(exempt.snippets) > 50, "the corpus holds an exempt report"
    return exempt


def requests_for(route: APIRoute, method: str, exempt: Exempt) -> list[dict]:
    """Each request the walk makes of one route: every exempt id in its path, every exempt query in its text, every
    exempt measure where it takes one (a record page takes its endpoint's parameters, so they are read from all the
    route depends on)."""
    paths = [route.path]
    for parameter in route.dependant.path_params:
        paths = [path.replace(f"{{{parameter.name}}}", value) for path in paths
                 for value in exempt.path_values(parameter.name)]
    taken = {alias for _, alias in query_names(route.dependant)}
    texts = [parameter.alias for parameter in route.dependant.query_params if parameter.alias in ("q", "question")]
    body = [parameter.name for parameter in route.dependant.body_params]
    made = []
    for path in paths:
        if texts:
            modes = [{}] if route.include_in_schema else [{}, {"mode": "ask"}]  # the page searches or asks
            made += [{"method": method, "url": path, "params": {texts[0]: query} | mode}
                     for query in exempt.queries for mode in modes]
        elif body == ["request"]:  # a JSON body asking a question
            made += [{"method": method, "url": path, "json": {"question": query}} for query in exempt.queries]
        elif "measure" in taken:
            made += [{"method": method, "url": path}] + [
                {"method": method, "url": path, "params": {"measure": measure}} for measure in exempt.measures]
        else:
            made.append({"method": method, "url": path})
    return made


def walk_routes(client: TestClient, exempt: Exempt) -> dict[str, set[str]]:
    """Every route of the app but the bot's, as the public: what each request gave away."""
    routes = [route for route in (*api_routes.router.routes, *pages.router.routes, *browse.router.routes)
              if isinstance(route, APIRoute)]
    documented = set(client.get("/openapi.json").json()["paths"])
    walked = {route.path for route in routes}
    assert documented <= walked and {"/", "/view/{document_id}", "/browse/decisions", "/browse/actions",
                                     "/browse/actions/{action_id}", "/browse/figures"} <= walked
    leaks = {}
    for route in routes:
        for method in route.methods:
            for request in requests_for(route, method, exempt):
                response = client.request(**request)
                sent = json.dumps(request)
                asked = f"{sent} {' '.join(words_of(sent))}"  # an id, or the words of a measure, as the walk sent them
                found = {value for value in exempt.found_in(response.text)
                         if value not in asked}  # "no document 'X'", a form filled in: nothing new
                if found:
                    leaks[f"{method} {request['url']} {request.get('params') or request.get('json') or ''}"] = found
    return leaks


def walk_bot(client: TestClient, exempt: Exempt) -> dict[str, set[str]]:
    """Mentions, the slash command and "Show passages" in a public channel: what Slack was sent."""
    MockSlack.calls.clear()
    for number, query in enumerate(exempt.queries[:3]):
        ts = f"{time.time():.6f}"
        send_event(client, mention(PUBLIC_CHANNEL, query, ts), f"EvGate{number}-{ts}")
        click(client, "show_passages", exchange_of(answer_to(ts, PUBLIC_CHANNEL)), PUBLIC_CHANNEL, "U0ASKER")
        wait_for("chat.postEphemeral", channel=PUBLIC_CHANNEL, count=number + 1)
    send_form(client, {"command": "/papers", "text": exempt.queries[0], "channel_id": PUBLIC_CHANNEL,
                       "channel_name": "general", "user_id": "U0ASKER", "team_id": "T0COUNCIL",
                       "response_url": "https://hooks.example/gate", "trigger_id": "1.2.3"})
    wait_for("chat.update", channel=PUBLIC_CHANNEL, count=4)
    with MockSlack.lock:
        sent = {f"{method} {args.get('channel')}": json.dumps(args, ensure_ascii=False)
                for method, args, _ in MockSlack.calls}
    return {name: found for name, text in sent.items() if (found := exempt.found_in(text))}


@pytest.fixture(scope="module")
def app(slack_api, corpus_library, corpus_settings):  # noqa: F811
    """The API, the pages and the bot in HTTP mode over the real papers; the workspace's people are officers, so
    only the channel's being public keeps exempt papers out of it."""
    settings = corpus_settings.model_copy(update={
        "api_keys": KEYS, "slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_api_url": slack_api,
        "slack_roles": "T0COUNCIL:officer"})
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()
    with TestClient(create_app(settings)) as client:
        yield client
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()


@pytest.fixture(scope="module")
def exempt(app) -> Exempt:
    return gather(app)


@pytest.fixture
def gate_removed(monkeypatch):
    """A view that ignores the caller's role: what a route that forgot the gate would serve."""
    monkeypatch.setattr(Library, "view", lambda library, role: View(library.store, OFFICER, lambda: library.current))


def test_no_route_or_page_gives_the_public_anything_exempt(app, exempt):
    assert walk_routes(app, exempt) == {}


def test_the_bot_gives_a_public_channel_nothing_exempt(app, exempt):
    assert walk_bot(app, exempt) == {}


def test_the_walks_find_the_exempt_report_when_the_gate_is_removed(app, exempt, gate_removed):
    leaks = walk_routes(app, exempt)
    assert {key.split()[1].split("/")[1] for key in leaks} >= {"search", "ask", "documents", "chunks", "meetings",
                                                              "decisions", "view", "", "browse"}
    assert {key.split()[1] for key in leaks if "/browse/" in key} >= {
        "/browse/decisions", "/browse/figures", *(f"/browse/actions/{action}" for action in exempt.actions)}
    assert walk_bot(app, exempt)
