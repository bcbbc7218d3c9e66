"""Who may see exempt papers in Slack: roles for workspaces, private channels and users in direct messages.

`PAPERS_SLACK_ROLES="T0123:member,C0456:officer,U0789:officer"`. A public channel, a channel shared with another
organisation and a group DM always get public papers, whatever is mapped (anyone in the workspace, or people from
outside it, can read them); a private channel gets its own role, else its workspace's; a direct message with the
bot gets the user's role, else the workspace's; anything unmapped is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from papers.access import PUBLIC, role_map

DIRECT = "im"
PUBLIC_CHANNEL = "channel"
GROUP_DM = "mpim"


@dataclass(frozen=True)
class SlackRoles:
    roles: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> SlackRoles:
        return cls(role_map(text, "PAPERS_SLACK_ROLES", "ID (a workspace T…, channel C…/G… or user U…/W…)",
                            lambda name: name[:1] in ("T", "C", "G", "U", "W")))

    def role(self, team: str, channel: str, channel_type: str, user: str) -> str:
        """The role a question asked here gets."""
        if channel_type in (PUBLIC_CHANNEL, GROUP_DM):
            return PUBLIC
        own = self.roles.get(user) if channel_type == DIRECT else self.roles.get(channel)
        return own or self.roles.get(team, PUBLIC)
