"""The Slack bot (slack-bolt): mentions, direct messages and a slash command answered from the papers.

Every listener acknowledges at once (Slack's 3-second rule) and answers in a lazy listener afterwards: a reaction
and a "Searching the papers…" reply in the question's thread show it is working, and that reply is then updated
with the answer and its sources. The role (public, member, officer) comes from where the question was asked
(`bot/roles.py`); a public channel only ever gets public papers.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from api.library import Library
from bot.blocks import HELPFUL, NOT_HELPFUL, SHOW_PASSAGES, answer_messages, fallback, passages_messages
from bot.exchanges import Exchanges
from bot.roles import DIRECT, PUBLIC_CHANNEL, SlackRoles
from papers.settings import Settings

WORKING = "Searching the papers…"
WORKING_REACTION = "mag"
FAILED = "Sorry: something went wrong while answering. Please ask again in a minute."
_MENTION = re.compile(r"<@[A-Z0-9]+>")
FOLLOW_UP = re.compile(r"^\s*(?:and|also|what about|how about|but|then)\b", re.I)
FOLLOW_UP_WORDS = 6  # a question this short in a thread leans on the one before it
SEEN_EVENTS = 1000


class Bot:
    """What the listeners share: where answers come from, who may see what, what was asked."""

    def __init__(self, settings: Settings, library: Callable[[], Library], exchanges: Exchanges) -> None:
        self.settings = settings
        self.library = library
        self.exchanges = exchanges
        self.roles = SlackRoles.parse(settings.slack_roles)
        self._private: dict[str, bool] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """False for an event already taken (Slack delivers again when it thinks we were slow)."""
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            if len(self._seen) > SEEN_EVENTS:
                self._seen.popitem(last=False)
            return True

    def channel_type(self, client: WebClient, channel: str, given: str | None) -> str:
        """`im`, `group` (private) or `channel` (public); asked of Slack when the event does not say, and taken
        as public when Slack cannot tell us."""
        if given in (DIRECT, "mpim", "group", PUBLIC_CHANNEL):
            return given
        if channel not in self._private:
            try:
                info = client.conversations_info(channel=channel)["channel"]
                self._private[channel] = bool(info.get("is_private") or info.get("is_im"))
            except SlackApiError:
                return PUBLIC_CHANNEL
        return "group" if self._private[channel] else PUBLIC_CHANNEL

    def answer(self, client: WebClient, *, team: str, channel: str, channel_type: str | None, user: str, text: str,
               thread: str, reaction_on: str | None = None) -> None:
        """Answer in the thread: show work, ask with the right role, then replace the working note."""
        question = _MENTION.sub("", text).strip()
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=f"Ask me about the papers, e.g. "
                                    f"`{self.settings.slack_command} what is the status of the HMO action?`")
            return
        if reaction_on:
            with suppress(SlackApiError):  # a reaction is a courtesy; answering matters
                client.reactions_add(channel=channel, timestamp=reaction_on, name=WORKING_REACTION)
        working = client.chat_postMessage(channel=channel, thread_ts=thread, text=WORKING)
        earlier = self.exchanges.earlier_question(channel, thread)
        asked = f"{earlier} {question}" if earlier and self.is_follow_up(question) else question
        role = self.roles.role(team, channel, self.channel_type(client, channel, channel_type), user)
        try:
            response = self.library().current.answerer.ask(asked, role=role)
        except Exception:
            client.chat_update(channel=channel, ts=working["ts"], text=FAILED)  # never leave "Searching…" hanging
            raise
        exchange = self.exchanges.record(team, channel, thread, user, question, asked, response)
        messages = answer_messages(response, exchange, self.settings.page_base_url)
        client.chat_update(channel=channel, ts=working["ts"], text=fallback(response["answer"]), blocks=messages[0])
        for blocks in messages[1:]:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=fallback(response["answer"]),
                                    blocks=blocks)

    @staticmethod
    def is_follow_up(question: str) -> bool:
        return bool(FOLLOW_UP.match(question)) or len(question.split()) <= FOLLOW_UP_WORDS


def build_app(settings: Settings, library: Callable[[], Library], exchanges: Exchanges,
              client: WebClient | None = None) -> App:
    """The Bolt app; `library` gives the papers as they are now (the API swaps in a new index after uploads)."""
    bot = Bot(settings, library, exchanges)
    app = App(token=settings.slack_bot_token, signing_secret=settings.slack_signing_secret or None,
              client=client or WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
              request_verification_enabled=bool(settings.slack_signing_secret))

    @app.middleware
    def once_only(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        """Slack retries an event it thinks we missed; we answered it already, so say so and do nothing."""
        event_id = (req.body or {}).get("event_id") if isinstance(req.body, dict) else None
        if req.headers.get("x-slack-retry-num") or (event_id and not bot.first_time(event_id)):
            return BoltResponse(status=200, body="")
        return next()

    def acknowledge(ack: Ack) -> None:
        ack()

    def on_mention(event: dict, body: dict, client: WebClient) -> None:
        bot.answer(client, team=body.get("team_id", ""), channel=event["channel"],
                   channel_type=event.get("channel_type"), user=event.get("user", ""), text=event.get("text", ""),
                   thread=event.get("thread_ts") or event["ts"], reaction_on=event["ts"])

    def on_direct_message(event: dict, body: dict, client: WebClient) -> None:
        if event.get("channel_type") != DIRECT or event.get("bot_id") or event.get("subtype"):
            return  # only people's own messages in a DM; never the bot's, never edits or joins
        on_mention(event, body, client)

    def acknowledge_command(ack: Ack) -> None:
        ack(WORKING)

    def on_command(command: dict, client: WebClient) -> None:
        channel, user, question = command["channel_id"], command["user_id"], command.get("text", "")
        channel_type = DIRECT if command.get("channel_name") == "directmessage" else None
        posted = client.chat_postMessage(channel=channel, text=f"<@{user}> asked: {question}")
        bot.answer(client, team=command.get("team_id", ""), channel=channel, channel_type=channel_type, user=user,
                   text=question, thread=posted["ts"])

    def show_passages(body: dict, client: WebClient) -> None:
        exchange = bot.exchanges.get(int(body["actions"][0]["value"]))
        if exchange is None:
            return
        for blocks in passages_messages(exchange["citations"]):
            client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], blocks=blocks,
                                      text="The cited passages")

    def feedback(body: dict, client: WebClient) -> None:
        action = body["actions"][0]
        if bot.exchanges.rate(int(action["value"]), body["user"]["id"], action["action_id"] == HELPFUL):
            client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"],
                                      text="Thank you: your verdict is kept with the answer.")

    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.event("message")(ack=acknowledge, lazy=[on_direct_message])
    app.command(settings.slack_command)(ack=acknowledge_command, lazy=[on_command])
    app.action(SHOW_PASSAGES)(ack=acknowledge, lazy=[show_passages])
    app.action(HELPFUL)(ack=acknowledge, lazy=[feedback])
    app.action(NOT_HELPFUL)(ack=acknowledge, lazy=[feedback])
    return app


def check(settings: Settings, mode: str) -> None:
    """Stop start-up, naming the setting, when one a mode needs is missing or malformed."""
    needed = {"socket": ("slack_bot_token", "slack_app_token"), "http": ("slack_bot_token", "slack_signing_secret")}
    missing = [name for name in needed[mode] if not getattr(settings, name)]
    if missing:
        raise ValueError(f"{', '.join('PAPERS_' + name.upper() for name in missing)}: not set, and the Slack bot "
                         f"needs {'it' if len(missing) == 1 else 'them'} ({mode} mode)")
    if not settings.slack_bot_token.startswith("xoxb-"):
        raise ValueError("PAPERS_SLACK_BOT_TOKEN: not a bot token (they start xoxb-)")
    if mode == "socket" and not settings.slack_app_token.startswith("xapp-"):
        raise ValueError("PAPERS_SLACK_APP_TOKEN: not an app-level token (they start xapp-)")
    if not settings.slack_command.startswith("/"):
        raise ValueError(f"PAPERS_SLACK_COMMAND: {settings.slack_command!r} does not start with /")
    SlackRoles.parse(settings.slack_roles)
