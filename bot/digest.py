"""New papers told to the Slack conversations that follow their committee, after a sync (`papers sync`).

Each following conversation gets one short message per meeting with papers new to it: the committee, the
meeting's date, and each new paper under its agenda item, linked to its page when `PAPERS_PAGE_BASE_URL` is set
and the paper is public (the page shows no other). The papers are read through the view of the conversation's
role, decided now as for a question asked there (`bot/roles.py`), so a public channel is never told of an exempt
paper. A paper is told to a conversation once (`bot/follows.py`); a meeting's papers added by a later sync get a
message of their own. A conversation Slack refuses is logged and the others are still told.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.blocks import escape, messages, pieces, section
from bot.follows import Follows
from bot.roles import SlackRoles, Standings
from ingest.dates import human_date
from papers.library import Library
from papers.settings import Settings
from papers.view import View
from retrieval.kinds import kind_name

log = logging.getLogger(__name__)
HEADER_CHARS = 150  # Slack's limit for a header's text


@dataclass(frozen=True)
class Posted:
    """One digest message (or the few a long one needed) posted: where, for which meeting, which papers."""

    channel: str
    meeting: str
    documents: tuple[str, ...]
    ts: str


@dataclass(frozen=True)
class Meeting:
    """A meeting's papers new to a conversation, as its role may see them."""

    key: str  # the meeting's id, else committee and date
    committee: str
    date: str | None
    documents: tuple[dict, ...]
    items: dict[str, str]  # agenda item number → title


def post_digests(library: Library, settings: Settings, document_ids: list[str], client: WebClient | None = None,
                 follows: Follows | None = None) -> list[Posted]:
    """Tell each conversation following a committee of the papers among `document_ids` (those a sync added or
    changed) that are new to it; what was posted. Without a bot token, or when no one has followed anything yet
    (no `slack.db`), nothing is posted and nothing is written."""
    if not document_ids or (follows is None and not settings.slack_exchanges.exists()):
        return []
    if client is None:
        if not settings.slack_bot_token:
            log.info("No PAPERS_SLACK_BOT_TOKEN: new papers are not posted to Slack")
            return []
        client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    if follows is None:
        with closing(Follows(settings.slack_exchanges)) as opened:
            return post_digests(library, settings, document_ids, client, opened)
    roles, standings = SlackRoles.parse(settings.slack_roles), Standings()
    views: dict[str, tuple[View, list[dict]]] = {}  # a role's view and the papers it may see among those given
    posted: list[Posted] = []
    for follower in follows.followers():
        try:
            role = roles.role(follower.team, follower.channel, standings.standing(client, follower.channel, None),
                              follower.user)
            if role not in views:
                view = library.view(role)
                views[role] = view, visible(view, document_ids)
            view, documents = views[role]
            for meeting in by_meeting(view, follower.committees, documents):
                posted += post_meeting(client, follows, follower.channel, meeting, settings.page_base_url)
        except Exception:  # Slack refused, or the channel is gone: the others are still told
            log.exception("New papers could not be posted to Slack conversation %s", follower.channel)
    return posted


def visible(view: View, document_ids: Iterable[str]) -> list[dict]:
    """The papers among `document_ids` the view's role may see (one it may not is not found), each once."""
    found = (view.document(document_id) for document_id in dict.fromkeys(document_ids))
    return [document for document, _ in filter(None, found)]


def by_meeting(view: View, committees: Iterable[str], documents: list[dict]) -> list[Meeting]:
    """The papers of these committees grouped by meeting, oldest meeting first, each meeting with its agenda's
    item titles."""
    followed = {name.casefold() for name in committees}
    grouped: dict[str, list[dict]] = {}
    for document in documents:
        if (document["committee"] or "").casefold() in followed:
            key = document["meeting_id"] or f"{document['committee']} {document['meeting_date'] or ''}".strip()
            grouped.setdefault(key, []).append(document)
    meetings = []
    for key, papers in grouped.items():
        first = papers[0]
        agenda = view.meeting(first["meeting_id"]) if first["meeting_id"] else None
        items = {item["number"]: item["title"] for item in agenda["items"]} if agenda else {}
        meetings.append(Meeting(key, first["committee"], first["meeting_date"], tuple(papers), items))
    return sorted(meetings, key=lambda meeting: (meeting.date or "", meeting.committee))


def post_meeting(client: WebClient, follows: Follows, channel: str, meeting: Meeting, base_url: str
                 ) -> list[Posted]:
    """The meeting's papers not yet told of here, claimed and posted; the claim given back if Slack refuses."""
    earlier = follows.told_of(channel, meeting.key)
    claimed = set(follows.claim(channel, meeting.key, [document["id"] for document in meeting.documents]))
    if not claimed:
        return []
    documents = [document for document in meeting.documents if document["id"] in claimed]
    blocks = digest_blocks(meeting, documents, base_url, more=bool(earlier))
    text = escape(f"{len(documents)} {'more' if earlier else 'new'} paper{'s' if len(documents) != 1 else ''}: "
                  f"{meeting.committee}{', meeting of ' + human_date(meeting.date, '%B') if meeting.date else ''}")
    try:
        stamps = [client.chat_postMessage(channel=channel, text=text, blocks=message, unfurl_links=False)["ts"]
                  for message in messages(blocks)]
    except BaseException:
        follows.release(channel, sorted(claimed))
        raise
    return [Posted(channel, meeting.key, tuple(document["id"] for document in documents), stamps[0])]


def digest_blocks(meeting: Meeting, documents: list[dict], base_url: str, more: bool = False) -> list[dict]:
    """A header naming the committee, the meeting's date, then each paper under its agenda item (number and
    title, in agenda order; papers under no item first)."""
    heading = f"{'More' if more else 'New'} papers: {meeting.committee}"
    if len(heading) > HEADER_CHARS:
        heading = heading[:HEADER_CHARS - 1] + "…"
    date = f"Meeting of {human_date(meeting.date, '%B')}" if meeting.date else "Meeting date not printed"
    lines = [f"*{escape(date)}* · {len(documents)} paper{'s' if len(documents) != 1 else ''}"]
    order = {number: position for position, number in enumerate(meeting.items)}
    by_item: dict[str | None, list[dict]] = {}
    for document in sorted(documents, key=lambda d: (bool(d["item"]), order.get(d["item"], len(order)),
                                                     d["item"] or "")):
        by_item.setdefault(document["item"] or None, []).append(document)
    for item, papers in by_item.items():
        if item is not None:
            title = meeting.items.get(item)
            lines.append(f"*Item {escape(item)}*{' ' + escape(title) if title else ''}")
        lines += [f"• {paper_line(paper, base_url)}" for paper in papers]
    return [{"type": "header", "text": {"type": "plain_text", "text": heading}},
            *(section(piece) for piece in pieces("\n".join(lines)))]


def paper_line(document: dict, base_url: str) -> str:
    """"<link|Title> · Report" (or "· Appendix 5"): the title linked to the paper's page when it is public."""
    title = escape(document["title"] or kind_name(document["kind"]))
    if base_url and document["visibility"] == "public":
        title = f"<{base_url.rstrip('/')}/view/{document['id']}|{title}>"
    label = document.get("appendix")  # "Appendix 5" says what its kind would
    parts = [title, escape(label) if label else kind_name(document["kind"])]
    if document["visibility"] != "public":
        parts.append("exempt: not on the public page")
    return " · ".join(parts)
