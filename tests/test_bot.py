"""The Slack bot, through the real Bolt app and its FastAPI adapter (HTTP mode on `papers serve`), with correctly
signed requests, against a local mock of Slack's Web API; answers come from the real papers."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlencode

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bot.app import ELSEWHERE, FAILED, WORKING, check
from bot.blocks import MESSAGE_BLOCKS, SECTION_LIMIT, answer_messages, passages_messages, pieces
from bot.exchanges import Exchanges
from bot.roles import SlackRoles
from retrieval.contract import Answer

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PRIVATE, PUBLIC_CHANNEL, DM = "G0PRIVATE", "C0PUBLIC", "D0DIRECT"
TEAM_PRIVATE, GROUP_DM = "G0TEAM", "G0GROUPDM"  # a private channel mapped only through its workspace; a group DM
ROLES = f"T0COUNCIL:officer,{PRIVATE}:officer,U0OFFICER:officer,C0ALSOPUBLIC:officer"
EXEMPT_QUESTION = "What does the September 2024 improvement journey update say about monitoring visits?"
SHARED_FLAGS = ("is_shared", "is_ext_shared", "is_org_shared", "is_pending_ext_shared")


def conversation(channel: str, name: str, *, private: bool, mpim: bool = False, shared: tuple[str, ...] = ()) -> dict:
    """A conversation as Slack's conversations.info describes it (a private channel with a G id is `is_group`; a
    group DM is private too, and `is_mpim`)."""
    return {"id": channel, "name": name, "is_channel": not private, "is_group": private and not mpim,
            "is_im": False, "is_mpim": mpim, "is_private": private, "is_archived": False, "is_general": False,
            "is_member": True} | {flag: flag in shared for flag in SHARED_FLAGS}


CONVERSATIONS = {  # what conversations.info answers for each channel; any other is channel_not_found
    PRIVATE: conversation(PRIVATE, "officers", private=True),
    TEAM_PRIVATE: conversation(TEAM_PRIVATE, "finance-team", private=True),
    PUBLIC_CHANNEL: conversation(PUBLIC_CHANNEL, "general", private=False),
    "C0ALSOPUBLIC": conversation("C0ALSOPUBLIC", "announcements", private=False),
    **{channel: conversation(channel, "mpdm-asker--officer--member-1", private=True, mpim=True)
       for channel in (GROUP_DM, "G0GROUPDM2", "G0GROUPDM3")},
    "G0ORGSHARED": conversation("G0ORGSHARED", "joint-board", private=True, shared=("is_shared", "is_org_shared")),
    "G0EXTSHARED": conversation("G0EXTSHARED", "with-partners", private=True, shared=("is_shared", "is_ext_shared")),
    "G0PENDING": conversation("G0PENDING", "invite-sent", private=True, shared=("is_pending_ext_shared",)),
    "G0VAGUE": {"id": "G0VAGUE", "name": "vague", "is_private": True},  # an answer missing the fields that matter
    "C0OUTSIDE": conversation("C0OUTSIDE", "not-invited", private=False) | {"is_member": False},
}
NOT_IN = {"C0OUTSIDE"}  # conversations the bot was never invited to: it may post nothing there


class MockSlack(BaseHTTPRequestHandler):
    """Slack's Web API as far as the bot uses it; every call is kept, in order."""

    calls: ClassVar[list[tuple[str, dict, dict]]] = []  # method, arguments, reply
    lock = threading.Lock()

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        args = json.loads(raw or "{}") if "json" in self.headers.get("Content-Type", "") else {
            key: values[0] for key, values in parse_qs(raw).items()}
        if isinstance(args.get("blocks"), str):
            args["blocks"] = json.loads(args["blocks"])
        reply: dict = {"ok": True}
        if method == "auth.test":
            reply |= {"user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0COUNCIL", "team": "Council",
                      "url": "https://council.slack.com/"}
        elif method in ("chat.postMessage", "chat.postEphemeral") and args.get("channel") in NOT_IN:
            reply = {"ok": False, "error": "not_in_channel"}
        elif method == "chat.postMessage":
            reply |= {"channel": args["channel"], "ts": f"{time.time():.6f}", "message": {"text": args.get("text")}}
        elif method == "conversations.info":
            if args["channel"] in CONVERSATIONS:
                reply |= {"channel": CONVERSATIONS[args["channel"]]}
            else:
                reply = {"ok": False, "error": "channel_not_found"}
        elif method not in ("chat.update", "reactions.add", "chat.postEphemeral", "response"):  # a response_url
            reply = {"ok": False, "error": "unknown_method"}
        if not within_limits(args.get("blocks") or []):
            reply = {"ok": False, "error": "invalid_blocks"}
        with self.lock:
            MockSlack.calls.append((method, args, reply))
        body = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def within_limits(blocks: list[dict]) -> bool:
    """Slack's own limits: 50 blocks, 3,000 characters a section, under 40,000 in all."""
    texts = [block.get("text", {}).get("text", "") for block in blocks]
    return len(blocks) <= 50 and all(len(text) <= 3000 for text in texts) and sum(map(len, texts)) < 40_000


@pytest.fixture(scope="module")
def slack_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), MockSlack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/"
    server.shutdown()


@pytest.fixture(scope="module")
def slack(slack_api, corpus_searcher, corpus_settings):
    """`papers serve` over the real papers with the bot in HTTP mode; its `slack.db` (exchanges, follows) kept apart
    from the corpus and started afresh."""
    settings = corpus_settings.model_copy(update={
        "slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_api_url": slack_api,
        "slack_roles": ROLES, "page_base_url": "https://papers.example.gov.uk"})
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()
    with TestClient(create_app(settings)) as client:
        yield client, settings
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()


def signed(body: bytes, secret: str = SECRET, **headers: str) -> dict:
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={signature}", **headers}


def send_event(client: TestClient, event: dict, event_id: str, **headers: str):
    body = json.dumps({"token": "t", "team_id": "T0COUNCIL", "api_app_id": "A0APP", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event}).encode()
    return client.post("/slack/events", content=body,
                       headers=signed(body, **headers) | {"Content-Type": "application/json"})


def send_form(client: TestClient, form: dict):
    body = urlencode(form).encode()
    return client.post("/slack/events", content=body,
                       headers=signed(body) | {"Content-Type": "application/x-www-form-urlencoded"})


def calls(method: str, **where) -> list[dict]:
    with MockSlack.lock:
        return [args | {"reply": reply} for name, args, reply in MockSlack.calls if name == method
                and all(args.get(key) == value for key, value in where.items())]


def wait_for(method: str, timeout: float = 60, count: int = 1, **where) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = calls(method, **where)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"Slack was never sent {method} {where}; it got {[call[0] for call in MockSlack.calls]}")


def answer_to(thread: str, channel: str) -> dict:
    """The answer that replaced the "Searching the papers…" note in this thread."""
    working = wait_for("chat.postMessage", thread_ts=thread, text=WORKING)[0]
    return wait_for("chat.update", channel=channel, ts=working["reply"]["ts"])[0]


def mention(channel: str, text: str, ts: str, **extra) -> dict:
    return {"type": "app_mention", "user": "U0ASKER", "text": f"<@U0BOT> {text}", "ts": ts, "channel": channel,
            "event_ts": ts, **extra}


def exchange_of(update: dict) -> int:
    actions = next(block for block in update["blocks"] if block["type"] == "actions")
    return int(actions["elements"][0]["value"])


def shown_in(channel: str, thread: str) -> str:
    """Everything the bot showed in a thread (its messages there, as they were updated), as its readers see it."""
    posted = calls("chat.postMessage", channel=channel, thread_ts=thread)
    stamps = {call["reply"]["ts"] for call in posted}
    updated = [call for call in calls("chat.update", channel=channel) if call["ts"] in stamps]
    texts = [text for call in posted + updated for text in
             [call.get("text") or ""] + [block.get("text", {}).get("text", "") for block in call.get("blocks") or []]]
    return html.unescape("\n".join(texts))


@pytest.fixture(scope="module")
def exempt_report(slack) -> list[str]:
    """What a leak of the corpus's exempt report would show: its title, and the sentences an officer's answer to
    EXEMPT_QUESTION quotes from it."""
    client, _ = slack
    officer = client.app.state.library.view("officer")
    titles = [document["title"] for document in officer.documents() if document["visibility"] == "exempt"]
    quoted = [quote for citation in officer.ask(EXEMPT_QUESTION).citations
              if citation.document.visibility == "exempt" for quote in citation.quotes]
    assert titles and quoted, "the shared corpus holds an exempt report, and the question finds it"
    return titles + quoted


def assert_public_papers_only(settings, channel: str, thread: str, exempt_report: list[str]) -> None:
    """The answer in this thread cites public papers only, and nothing of the exempt report was shown there."""
    cited = Exchanges(settings.slack_exchanges).get(exchange_of(answer_to(thread, channel)))["citations"]
    assert cited and {citation["document"]["visibility"] for citation in cited} == {"public"}
    shown = shown_in(channel, thread)
    assert [text for text in exempt_report if text in shown] == []


def test_a_mention_gets_a_threaded_answer_its_lead_line_and_linked_sources_with_quotes_behind_a_button(slack):
    client, settings = slack
    ts = f"{time.time():.6f}"
    response = send_event(client, mention(PRIVATE, "How many approved foster households have we got?", ts), "Ev1")
    assert response.status_code == 200
    assert wait_for("reactions.add", timestamp=ts)
    update = answer_to(ts, PRIVATE)
    first, *quotes = Exchanges(settings.slack_exchanges).get(exchange_of(update))["answer"].split("\n")
    text = html.unescape(json.dumps(update["blocks"], ensure_ascii=False))
    assert html.unescape(update["blocks"][0]["text"]["text"]) == first and first.endswith("[1]")
    assert first.startswith(html.unescape(update["text"]).rstrip("…"))  # notifications show the same line
    assert quotes and "613" in quotes[-1] and "613" not in text  # the quotes wait behind the button
    assert "Sources" in text and "https://papers.example.gov.uk/view/" in text and "#chunk-" in text
    assert "|Minutes, 30 Jul 2024> · Corporate Parenting Panel · 29 October 2024 · item 5 · pp. 2–4 · " in text
    assert {block["type"] for block in update["blocks"]} >= {"section", "header", "actions"}
    click(client, "show_passages", exchange_of(update), PRIVATE, "U0CURIOUS")
    shown = html.unescape(json.dumps(wait_for("chat.postEphemeral", user="U0CURIOUS"), ensure_ascii=False))
    assert "> As of 31st December 2024, there were 613 approved households" in shown


def test_when_the_papers_do_not_answer_the_bot_says_so_and_offers_the_closest_matches(slack):
    client, _ = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(PRIVATE, "How much is the mileage allowance for councillors?", ts), "Ev10")
    text = json.dumps(answer_to(ts, PRIVATE)["blocks"])
    assert "do not answer" in text and "Closest matches" in text


def test_a_direct_message_is_answered_in_its_thread(slack):
    client, _ = slack
    ts = f"{time.time():.6f}"
    event = {"type": "message", "channel_type": "im", "user": "U0OFFICER", "text": "What did Cabinet decide about "
             "the draft budget?", "ts": ts, "channel": DM}
    assert send_event(client, event, "Ev2").status_code == 200
    assert "Sources" in json.dumps(answer_to(ts, DM)["blocks"])


def test_a_slash_command_is_acknowledged_at_once_and_answered_after(slack):
    client, _ = slack
    started = time.perf_counter()
    response = send_form(client, {"command": "/papers", "text": "what is the status of the HMO action?",
                                  "channel_id": PRIVATE, "channel_name": "privategroup", "user_id": "U0ASKER",
                                  "team_id": "T0COUNCIL", "response_url": "https://hooks.example/1",
                                  "trigger_id": "1.2.3"})
    assert response.status_code == 200 and WORKING in response.text
    assert time.perf_counter() - started < 3  # Slack's 3-second rule
    posted = wait_for("chat.postMessage", text="<@U0ASKER> asked: what is the status of the HMO action?")[0]
    answer = json.dumps(answer_to(posted["reply"]["ts"], PRIVATE)["blocks"])
    assert "Actioned" in answer and "Officers aware" in answer


def test_a_bad_signature_is_401(slack):
    client, _ = slack
    body = json.dumps({"type": "event_callback", "event_id": "Ev3", "event": {"type": "app_mention"}}).encode()
    forged = client.post("/slack/events", content=body, headers=signed(body, secret="not-the-secret"))
    assert forged.status_code == 401


def test_a_retried_event_is_not_answered_twice_but_a_retry_of_one_never_received_is(slack):
    client, _ = slack
    ts = f"{time.time():.6f}"
    event = mention(PRIVATE, "Who chairs the SEND Improvement Board?", ts)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert send_event(client, event, "Ev4").status_code == 200
    answer_to(ts, PRIVATE)
    assert send_event(client, event, "Ev4", **retry).status_code == 200
    lost = f"{time.time():.6f}"  # its first delivery never reached us: the retry is the only one
    assert send_event(client, mention(PRIVATE, "Who chairs the SEND Improvement Board?", lost), "Ev4b",
                      **retry).status_code == 200
    answer_to(lost, PRIVATE)  # by now the retry of Ev4, sent before it, has had its chance too
    assert len(calls("chat.postMessage", thread_ts=ts)) == 1


def test_the_bot_ignores_its_own_messages(slack):
    client, _ = slack
    ts = f"{time.time():.6f}"
    own = {"type": "message", "channel_type": "im", "user": "U0BOT", "bot_id": "B0BOT", "text": "an answer",
           "ts": ts, "channel": DM}
    assert send_event(client, own, "Ev5").status_code == 200
    time.sleep(2)
    assert not calls("chat.postMessage", thread_ts=ts)


def test_a_public_channel_never_sees_an_exempt_paper(slack):
    client, settings = slack
    exchanges = Exchanges(settings.slack_exchanges)
    seen = {}
    for channel in (PUBLIC_CHANNEL, "C0ALSOPUBLIC", PRIVATE):  # C0ALSOPUBLIC is mapped to officer, but public
        ts = f"{time.time():.6f}"
        send_event(client, mention(channel, EXEMPT_QUESTION, ts), f"Ev6-{channel}")
        update = answer_to(ts, channel)
        cited = exchanges.get(exchange_of(update))["citations"]
        seen[channel] = {citation["document"]["visibility"] for citation in cited}
    assert seen[PUBLIC_CHANNEL] == {"public"} and seen["C0ALSOPUBLIC"] == {"public"}
    assert "exempt" in seen[PRIVATE]


def test_the_command_lists_open_actions_to_the_asker_with_where_each_stands(slack):
    client, _ = slack
    send_form(client, {"command": "/papers", "text": "actions open", "channel_id": PRIVATE,
                       "channel_name": "privategroup", "user_id": "U0LISTER", "team_id": "T0COUNCIL",
                       "response_url": "https://hooks.example/4", "trigger_id": "1.2.3"})
    shown = wait_for("chat.postEphemeral", channel=PRIVATE, user="U0LISTER")
    text = json.dumps([call["blocks"] for call in shown], ensure_ascii=False)
    assert text.count('"Actions (') == 1 and "Officers aware" in text and "https://papers.example.gov.uk/view/" in text
    assert "*Actioned" not in text  # done actions are not open ones
    assert not calls("chat.postMessage", channel=PRIVATE, text="<@U0LISTER> asked: actions open")


def test_a_mention_in_a_group_dm_gets_public_papers_only(slack, exempt_report):
    client, settings = slack  # the workspace is mapped to officer; an app_mention event says no channel_type
    ts = f"{time.time():.6f}"
    send_event(client, mention(GROUP_DM, EXEMPT_QUESTION, ts), "Ev20")
    assert_public_papers_only(settings, GROUP_DM, ts, exempt_report)


@pytest.mark.parametrize(("channel", "name"), [("G0GROUPDM2", "privategroup"),
                                               ("G0GROUPDM3", "mpdm-asker--officer--member-1")])
def test_the_command_in_a_group_dm_gets_public_papers_only(slack, exempt_report, channel, name):
    client, settings = slack  # a slash command names its channel but never says its type
    send_form(client, {"command": "/papers", "text": EXEMPT_QUESTION, "channel_id": channel, "channel_name": name,
                       "user_id": "U0ASKER", "team_id": "T0COUNCIL", "response_url": "https://hooks.example/3",
                       "trigger_id": "1.2.3"})
    posted = wait_for("chat.postMessage", channel=channel, text=f"<@U0ASKER> asked: {EXEMPT_QUESTION}")[0]
    assert_public_papers_only(settings, channel, posted["reply"]["ts"], exempt_report)


@pytest.mark.parametrize("channel", ["G0ORGSHARED", "G0PENDING", "G0EXTSHARED"])
def test_a_private_channel_shared_with_another_workspace_gets_public_papers_only(slack, exempt_report, channel):
    client, settings = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(channel, EXEMPT_QUESTION, ts), f"Ev21-{channel}")
    assert_public_papers_only(settings, channel, ts, exempt_report)


@pytest.mark.parametrize(("channel", "extra"), [
    ("G0UNKNOWN", {}),  # conversations.info fails: channel_not_found
    ("G0VAGUE", {}),  # conversations.info leaves out the flags that matter
    (PRIVATE, {"channel_type": "a type Slack adds later"}),  # private and mapped, but the event says what we don't know
])
def test_a_conversation_in_doubt_gets_public_papers_only(slack, exempt_report, channel, extra):
    client, settings = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(channel, EXEMPT_QUESTION, ts, **extra), f"Ev22-{channel}")
    assert_public_papers_only(settings, channel, ts, exempt_report)


def test_a_private_channel_that_is_not_shared_gets_its_workspaces_role(slack, exempt_report):
    client, settings = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(TEAM_PRIVATE, EXEMPT_QUESTION, ts), "Ev23")
    cited = Exchanges(settings.slack_exchanges).get(exchange_of(answer_to(ts, TEAM_PRIVATE)))["citations"]
    assert "exempt" in {citation["document"]["visibility"] for citation in cited}
    assert exempt_report[0] in shown_in(TEAM_PRIVATE, ts)  # the title: what the other tests look for is really shown


def click(client: TestClient, action: str, exchange: int, channel: str, user: str) -> None:
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T0COUNCIL"},
               "channel": {"id": channel}, "container": {"type": "message", "message_ts": "1.1"},
               "trigger_id": "1.2.3", "response_url": "https://hooks.example/2", "api_app_id": "A0APP",
               "actions": [{"action_id": action, "block_id": "b", "value": str(exchange), "type": "button",
                            "action_ts": "1.1"}]}
    assert send_form(client, {"payload": json.dumps(payload)}).status_code == 200


def test_show_passages_is_ephemeral_and_feedback_is_stored_and_exported(slack):
    client, settings = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(PRIVATE, "What's the latest figure for EHCNAs waiting over 30 weeks?", ts), "Ev7")
    exchange = exchange_of(answer_to(ts, PRIVATE))
    click(client, "show_passages", exchange, PRIVATE, "U0READER")
    shown = wait_for("chat.postEphemeral", user="U0READER")
    assert any("[1]" in json.dumps(message.get("blocks", [])) for message in shown)
    click(client, "show_passages", exchange, PUBLIC_CHANNEL, "U0ELSEWHERE")  # the answer shared elsewhere
    assert wait_for("chat.postEphemeral", user="U0ELSEWHERE")[0]["text"] == ELSEWHERE
    click(client, "feedback_helpful", exchange, PRIVATE, "U0ASKER")
    wait_for("chat.postEphemeral", user="U0ASKER")
    exported = Exchanges(settings.slack_exchanges).export()
    mine = [row for row in exported if row["exchange"] == exchange]
    assert mine and mine[0]["helpful"] and mine[0]["chunk_ids"] and mine[0]["rated_by"] == "U0ASKER"
    assert mine[0]["question"].startswith("What's the latest figure")


def test_a_follow_up_in_the_thread_takes_the_earlier_question_as_context(slack):
    client, settings = slack
    ts = f"{time.time():.6f}"
    send_event(client, mention(PRIVATE, "How many approved foster households have we got?", ts), "Ev8")
    answer_to(ts, PRIVATE)
    reply_ts = f"{time.time():.6f}"
    send_event(client, mention(PRIVATE, "and against the target?", reply_ts, thread_ts=ts), "Ev9")
    wait_for("chat.postMessage", thread_ts=ts, count=2)
    deadline = time.monotonic() + 60
    exchanges = Exchanges(settings.slack_exchanges)
    while time.monotonic() < deadline and exchanges.earlier_question(PRIVATE, ts) == \
            "How many approved foster households have we got?":
        time.sleep(0.1)
    assert exchanges.earlier_question(PRIVATE, ts) == ("How many approved foster households have we got? "
                                                       "and against the target?")


def test_a_failure_replaces_the_working_note_with_an_apology(slack, monkeypatch):
    client, _ = slack

    def broken(*args, **kwargs):
        raise RuntimeError("the index went away")

    monkeypatch.setattr(client.app.state.library.current.answerer, "ask", broken)
    ts = f"{time.time():.6f}"
    send_event(client, mention(PRIVATE, "Anything at all?", ts), "Ev11")
    working = wait_for("chat.postMessage", thread_ts=ts, text=WORKING)[0]
    assert wait_for("chat.update", ts=working["reply"]["ts"])[0]["text"] == FAILED


def test_an_answer_and_its_quotes_longer_than_slacks_limits_arrive_whole_split():
    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    lead = "Lead: " + "word & <term> " * 600  # one line past a section's 3,000 characters
    citations = [{"n": n, "chunk_id": f"c{n}", "text": "t", "rows": "", "document": {
                  "id": "d", "title": f"Paper {n}", "committee": "Cabinet", "meeting_date": "2025-01-30",
                  "path": "pack.pdf", "kind": "report", "visibility": "public"}, "agenda_item": None, "pages": [1, 2],
                  "lines": None, "quotes": [f"Line {n}: " + "word & <term> " * 60] * 2} for n in range(1, 80)]
    response = Answer(question="q", answer=f"{lead}\nthe quotes", answered=True, generated=False,
                      citations=citations, passages=[], timings_ms={})  # about 130,000 characters of quotes
    for messages in (answer_messages(response, 7, ""), passages_messages(response.citations, "")):
        texts = [block["text"]["text"] for message in messages for block in message if block["type"] == "section"]
        assert all(len(message) <= MESSAGE_BLOCKS and within_limits(message) for message in messages)
        assert all(len(text) <= SECTION_LIMIT for text in texts)
        assert all(f"Paper {n}" in "".join(texts) for n in range(1, 80))
    shown = passages_messages(response.citations, "")
    quoted = "".join(block["text"]["text"] for message in shown for block in message)
    assert len(shown) > 1 and quoted.count(f"> {escaped(citations[-1]['quotes'][0])}") == 2
    first = answer_messages(response, 7, "")[0]
    before_sources = first[:[block["type"] for block in first].index("header")]
    assert "".join(block["text"]["text"] for block in before_sources) == escaped(lead)  # the lead line alone
    assert "".join(pieces("x" * 7000)) == "x" * 7000


def test_roles_follow_the_channel_and_public_channels_stay_public():
    roles = SlackRoles.parse("T0COUNCIL:member,G0PRIVATE:officer,U0OFFICER:officer,C0PUBLIC:officer")
    assert roles.role("T0COUNCIL", "C0PUBLIC", "channel", "U0OFFICER") == "public"
    assert roles.role("T0COUNCIL", "G0PRIVATE", "group", "U0ANYONE") == "officer"
    assert roles.role("T0COUNCIL", "D0DIRECT", "im", "U0OFFICER") == "officer"
    assert roles.role("T0COUNCIL", "D0DIRECT", "im", "U0ANYONE") == "member"
    assert roles.role("T0OTHER", "D0DIRECT", "im", "U0ANYONE") == "public"
    assert roles.role("T0COUNCIL", "G0PRIVATE", "mpim", "U0OFFICER") == "public"  # a group DM may hold anyone
    assert roles.role("T0COUNCIL", "G0PRIVATE", "a type Slack adds later", "U0OFFICER") == "public"
    with pytest.raises(ValueError, match="PAPERS_SLACK_ROLES"):
        SlackRoles.parse("C0PUBLIC:admin")


@pytest.mark.parametrize(("changes", "named"), [
    ({"slack_bot_token": ""}, "PAPERS_SLACK_BOT_TOKEN"),
    ({"slack_app_token": ""}, "PAPERS_SLACK_APP_TOKEN"),
    ({"slack_bot_token": "xoxp-user-token"}, "PAPERS_SLACK_BOT_TOKEN"),
    ({"slack_app_token": "xoxb-wrong"}, "PAPERS_SLACK_APP_TOKEN"),
    ({"slack_command": "papers"}, "PAPERS_SLACK_COMMAND"),
    ({"slack_roles": "nonsense"}, "PAPERS_SLACK_ROLES"),
])
def test_a_missing_or_wrong_setting_stops_start_up_naming_it(corpus_settings, changes, named):
    good = corpus_settings.model_copy(update={"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-1"})
    check(good, "socket")
    with pytest.raises(ValueError, match=named):
        check(good.model_copy(update=changes), "socket")
    create_app(good)  # a bot token alone is Socket Mode's: `papers serve` starts without the bot
    with pytest.raises(ValueError, match="PAPERS_SLACK_BOT_TOKEN"):
        create_app(good.model_copy(update={"slack_signing_secret": "s", "slack_bot_token": ""}))
