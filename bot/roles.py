"""Who may see exempt papers in Slack: roles for workspaces, private channels and users in direct messages.

`PAPERS_SLACK_ROLES="T0123:member,C0456:officer,U0789:officer"`. Only two kinds of conversation get a mapped
role: a private channel that Slack says is private, not a group DM and not shared with another workspace or
organisation (its own role, else its workspace's), and a direct message with the bot (the user's role, else the
workspace's). Everything else is public whatever is mapped: a public channel, a group DM (anyone may be added),
a shared channel (people from outside read it), and any conversation Slack does not clearly describe.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from papers.access import PUBLIC, role_map

DIRECT = "im"
PRIVATE_CHANNEL = "group"
PUBLIC_CHANNEL = "channel"
GROUP_DM = "mpim"
SHARED = ("is_shared", "is_ext_shared", "is_org_shared", "is_pending_ext_shared")  # any one: outsiders may read
PRIVACY_SECONDS = 300  # how long a channel's public or private standing is trusted before asking Slack again


def standing_from(info: Mapping[str, object]) -> str:
    """A conversation's standing from Slack's conversations.info. Private only when Slack says outright that it is
    private and that it is neither a DM, a group DM nor shared in any way: a field left out is a doubt, and a
    doubt is public."""
    if any(info.get(flag) for flag in SHARED):
        return PUBLIC_CHANNEL
    if info.get("is_mpim"):
        return GROUP_DM
    if info.get("is_im") is True:
        return DIRECT
    described = all(info.get(flag) is False for flag in (*SHARED, "is_mpim", "is_im"))
    return PRIVATE_CHANNEL if described and info.get("is_private") is True else PUBLIC_CHANNEL


def command_standing(channel_name: str) -> str | None:
    """What a slash command's `channel_name` settles (its payload has no type): a DM, or a group DM (`mpdm-…`).
    None when only Slack can say: `privategroup` names private channels and group DMs alike."""
    if channel_name == "directmessage":
        return DIRECT
    return GROUP_DM if channel_name.startswith("mpdm-") else None


@dataclass(frozen=True)
class SlackRoles:
    roles: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> SlackRoles:
        return cls(role_map(text, "PAPERS_SLACK_ROLES", "ID (a workspace T…, channel C…/G… or user U…/W…)",
                            lambda name: name[:1] in ("T", "C", "G", "U", "W")))

    def role(self, team: str, channel: str, channel_type: str, user: str) -> str:
        """The role a question asked here gets: mapped only in a DM with the bot or a private channel."""
        if channel_type == DIRECT:
            own = self.roles.get(user)
        elif channel_type == PRIVATE_CHANNEL:
            own = self.roles.get(channel)
        else:
            return PUBLIC
        return own or self.roles.get(team, PUBLIC)


@dataclass
class Standings:
    """Conversations' standings as Slack gave them, each trusted for `seconds` (the listeners share one; a digest
    run makes its own, so it asks Slack afresh)."""

    seconds: float = PRIVACY_SECONDS
    _known: dict[str, tuple[str, float]] = field(default_factory=dict)

    def standing(self, client: WebClient, channel: str, channel_type: str | None) -> str:
        """`im`, `group` (a private channel only this workspace reads) or a public standing (`channel`, `mpim`).

        The `channel_type` an event or command gives is taken when it means a DM or something public. A private
        channel is asked of Slack (an event cannot say whether it is shared), and so is a conversation of no stated
        type (mentions, buttons, most commands, digests); a type we do not know, or a question Slack does not
        answer, is public. Only Slack's own answers are kept, for `seconds`."""
        if channel_type in (DIRECT, GROUP_DM, PUBLIC_CHANNEL):
            return channel_type
        if channel_type not in (None, PRIVATE_CHANNEL):
            return PUBLIC_CHANNEL
        if channel.startswith("D"):  # a direct message with the bot: its id says so
            return DIRECT
        known = self._known.get(channel)
        if known and time.monotonic() - known[1] < self.seconds:
            return known[0]
        try:
            info = client.conversations_info(channel=channel).get("channel")
        except (SlackClientError, OSError):
            return PUBLIC_CHANNEL  # not kept: Slack is asked again next time
        found = standing_from(info) if isinstance(info, dict) else PUBLIC_CHANNEL
        self._known[channel] = (found, time.monotonic())
        return found
