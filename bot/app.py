"""The Slack bot (slack-bolt): mentions, direct messages and a slash command answered from the papers.

Every listener acknowledges at once (Slack's 3-second rule) and answers in a lazy listener afterwards: a reaction
and a "Searching the papers…" reply in the question's thread show it is working, and that reply is then updated
with the answer's lead line and its sources; "Show passages" shows the quotes behind it. The role (public, member,
officer) comes from where the question was asked (`bot/roles.py`), looked up afresh for every question and every
"Show passages" click.
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import (
    HELPFUL,
    NOT_HELPFUL,
    SHOW_PASSAGES,
    actions_messages,
    answer_messages,
    escape,
    fallback,
    lead_line,
    passages_messages,
)
from bot.commands import FOLLOW, FOLLOWING, HELP, UNFOLLOW, follow, following, help_text, subcommand, unfollow
from bot.exchanges import Exchanges
from bot.follows import Follows
from bot.roles import DIRECT, SlackRoles, Standings, command_standing
from papers.library import Library
from papers.settings import Settings
from retrieval.compose import citation

WORKING = "Searching the papers…"
WORKING_REACTION = "mag"
FAILED = "Sorry: something went wrong while answering. Please ask again in a minute."
ELSEWHERE = "Those passages can be shown only in the conversation where the question was asked."
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^>|]+)\|([^>]+)>|<([^>]+)>")
ACTIONS = re.compile(r"^actions(?:\s+(open|done))?$", re.I)
FOLLOW_UP = re.compile(r"^\s*(?:and|also|what about|how about|but|then)\b", re.I)
FOLLOW_UP_WORDS = 6  # a question this short in a thread leans on the one before it
SEEN_EVENTS = 1000
WORKERS = 16


def plain(text: str) -> str:
    """A Slack message as the words typed: mentions out, links as their text, entities back to characters."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(3), _MENTION.sub("", text))
    return html.unescape(text).strip()


class Bot:
    """What the listeners share: where answers come from, who may see what, what was asked."""

    def __init__(self, settings: Settings, library: Callable[[], Library], exchanges: Exchanges,
                 follows: Follows) -> None:
        self.settings = settings
        self.library = library
        self.exchanges = exchanges
        self.follows = follows
        self.roles = SlackRoles.parse(settings.slack_roles)
        self.standings = Standings()
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

    def standing(self, client: WebClient, channel: str, channel_type: str | None) -> str:
        return self.standings.standing(client, channel, channel_type)

    def role(self, client: WebClient, team: str, channel: str, channel_type: str | None, user: str) -> str:
        return self.roles.role(team, channel, self.standing(client, channel, channel_type), user)

    def answer(self, client: WebClient, *, team: str, channel: str, channel_type: str | None, user: str, text: str,
               thread: str, reaction_on: str | None = None) -> None:
        """Answer in the thread: show work, ask with the right role, then replace the working note."""
        question = plain(text)
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread, text=help_text(self.settings.slack_command))
            return
        if reaction_on:
            with suppress(SlackApiError):  # a reaction is a courtesy; answering matters
                client.reactions_add(channel=channel, timestamp=reaction_on, name=WORKING_REACTION)
        working = client.chat_postMessage(channel=channel, thread_ts=thread, text=WORKING)
        try:
            earlier = self.exchanges.earlier_question(channel, thread)
            asked = f"{earlier} {question}" if earlier and self.is_follow_up(question) else question
            role = self.role(client, team, channel, channel_type, user)
            response = self.library().view(role).ask(asked)
            exchange = self.exchanges.record(team, channel, thread, user, question, asked, response)
            messages = answer_messages(response, exchange, self.settings.page_base_url)
            summary = escape(fallback(lead_line(response)))
            client.chat_update(channel=channel, ts=working["ts"], text=summary, blocks=messages[0])
            for blocks in messages[1:]:
                client.chat_postMessage(channel=channel, thread_ts=thread, text=summary, blocks=blocks)
        except Exception:
            client.chat_update(channel=channel, ts=working["ts"], text=FAILED)  # never leave "Searching…" hanging
            raise

    def passages_for(self, client: WebClient, body: dict) -> list[list[dict]] | None:
        """The cited passages of a clicked answer, checked now: only in the conversation it was given in, and only
        those the conversation may still see (a mapping or a paper may have changed since). None elsewhere."""
        exchange = self.exchanges.get(int(body["actions"][0]["value"]))
        channel = body["channel"]["id"]
        if exchange is None or exchange["channel"] != channel:
            return None
        papers = self.library().view(self.role(client, body.get("team", {}).get("id", ""), channel, None,
                                               body["user"]["id"]))
        current = []
        for cited in exchange["citations"]:
            found = papers.chunk(cited["chunk_id"])
            if found is not None:  # an exchange kept before quotes were stored has none: shown whole
                current.append(citation(cited["n"], found[1], cited.get("quotes", [])))
        return passages_messages(current, self.settings.page_base_url)

    def subcommand(self, client: WebClient, command: dict, word: str, typed: str) -> str:
        """The reply to `help`, `follow`, `unfollow` or `following` in the conversation the command came from."""
        channel, slash = command["channel_id"], self.settings.slack_command
        if word == HELP:
            return help_text(slash)
        if word == FOLLOWING:
            return following(self.follows, channel=channel, command=slash)
        if word == UNFOLLOW:
            return unfollow(self.follows, channel=channel, typed=typed)
        team, user = command.get("team_id", ""), command["user_id"]
        role = self.role(client, team, channel, command_standing(command.get("channel_name", "")), user)
        return follow(self.follows, channel=channel, team=team, user=user, typed=typed, role=role, command=slash,
                      committees=self.library().view(role).committees())

    @staticmethod
    def is_follow_up(question: str) -> bool:
        return bool(FOLLOW_UP.match(question)) or len(question.split()) <= FOLLOW_UP_WORDS


def build_app(settings: Settings, library: Callable[[], Library], exchanges: Exchanges,
              client: WebClient | None = None, follows: Follows | None = None) -> App:
    """The Bolt app; `library` gives the papers as they are now (the API swaps in a new index after uploads);
    `follows` are kept beside the exchanges unless given.

    The token is checked with Slack on the first request, not at start-up, so the API serves even while Slack
    cannot be reached."""
    bot = Bot(settings, library, exchanges, follows or Follows(settings.slack_exchanges))
    app = App(signing_secret=settings.slack_signing_secret or None,  # the client carries the bot token
              client=client or WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
              request_verification_enabled=bool(settings.slack_signing_secret), token_verification_enabled=False,
              listener_executor=ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="slack"))

    @app.middleware
    def once_only(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:
        """An event delivered again (Slack retries when it thinks we were slow) is acknowledged and left alone."""
        event_id = req.body.get("event_id")
        if event_id and not bot.first_time(event_id):
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

    def acknowledge_command(ack: Ack, command: dict) -> None:
        if subcommand(plain(command.get("text", ""))):
            ack()  # its reply follows in a moment, to the asker alone
        else:
            ack(WORKING)  # the asker sees at once that the question was taken

    def on_command(command: dict, client: WebClient, respond: Respond) -> None:
        channel, user, question = command["channel_id"], command["user_id"], command.get("text", "")
        channel_type = command_standing(command.get("channel_name", ""))
        asked = subcommand(plain(question))
        if asked:  # help, follow, unfollow, following: to the asker alone
            reply = bot.subcommand(client, command, *asked)
            try:
                client.chat_postEphemeral(channel=channel, user=user, text=reply)
            except SlackApiError:  # a conversation the bot is not in: it can post nothing here until invited
                invite = " I am not in this conversation: invite me, or nothing can be posted here." \
                    if asked[0] == FOLLOW else ""
                respond(text=reply + invite, response_type="ephemeral")
            return
        listing = ACTIONS.match(plain(question))
        if listing:  # "/papers actions [open|done]": the actions as the conversation may see them, to the asker
            view = bot.library().view(bot.role(client, command.get("team_id", ""), channel, channel_type, user))
            found = view.actions(state=(listing.group(1) or '').lower() or None)
            for blocks in actions_messages(found, settings.page_base_url):
                try:
                    client.chat_postEphemeral(channel=channel, user=user, blocks=blocks, text=f"{len(found)} actions")
                except SlackApiError:  # a conversation the bot is not in
                    respond(blocks=blocks, response_type="ephemeral", text=f"{len(found)} actions")
            return
        try:
            posted = client.chat_postMessage(channel=channel, text=f"<@{user}> asked: {escape(question)}")
        except SlackApiError:  # a conversation the bot is not in: answer the asker alone
            response = bot.library().view(bot.role(
                client, command.get("team_id", ""), channel, channel_type, user)).ask(plain(question))
            summary = escape(fallback(lead_line(response)))  # no exchange kept, so no buttons: the quotes follow
            for blocks in [*answer_messages(response, 0, settings.page_base_url),
                           *passages_messages(response.citations, settings.page_base_url)]:
                respond(blocks=[b for b in blocks if b["type"] != "actions"], response_type="ephemeral",
                        text=summary)
            return
        bot.answer(client, team=command.get("team_id", ""), channel=channel, channel_type=channel_type, user=user,
                   text=question, thread=posted["ts"])

    def show_passages(body: dict, client: WebClient) -> None:
        found = bot.passages_for(client, body)
        for blocks in found if found is not None else [[]]:
            client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"],
                                      blocks=blocks, text="The cited passages" if found is not None else ELSEWHERE)

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
