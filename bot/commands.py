"""The slash command's words that are not questions: `help`, `follow COMMITTEE`, `unfollow [COMMITTEE]` and
`following`, told apart from questions that merely begin with them, and what each replies (to the asker alone).

A committee is named as the papers name it, in any case, or by the start of its name, or by any part of it that
is its alone; only committees of papers the conversation may see can be followed. New papers of a followed
committee's meetings are posted by `bot/digest.py` after each sync.
"""

from __future__ import annotations

import re

from bot.blocks import escape
from bot.follows import Follows, match_committee
from papers.access import PUBLIC

HELP, FOLLOW, UNFOLLOW, FOLLOWING = "help", "follow", "unfollow", "following"
_WORDS = re.compile(r"^(help|follow|unfollow|following)(?:\s+(.*))?$", re.I | re.S)
_FOLLOW_UP = re.compile(r"^up\b", re.I)  # "follow up on the HMO action": a question


def subcommand(text: str) -> tuple[str, str] | None:
    """(word, committee as typed) for one of these subcommands; None for a question, even one that begins with
    such a word ("following the inspection, what…?", "follow up on the HMO action", "help with what?")."""
    found = _WORDS.match(text.strip())
    if not found:
        return None
    word, name = found.group(1).lower(), " ".join((found.group(2) or "").split())
    if name and (word in (HELP, FOLLOWING) or name.endswith("?") or _FOLLOW_UP.match(name)):
        return None
    return word, name


def help_text(command: str) -> str:
    return (f"Ask me about the committee papers: `{command} what is the status of the HMO action?` (or mention "
            f"me with the question).\n"
            f"• `{command} actions [open|done]`: the actions, to you alone\n"
            f"• `{command} follow COMMITTEE`: new papers of the committee's meetings posted here after each sync\n"
            f"• `{command} unfollow [COMMITTEE]`: no more (every committee followed here when none is named)\n"
            f"• `{command} following`: the committees followed here")


def _names(names: list[str] | tuple[str, ...]) -> str:
    return "; ".join(f"*{escape(name)}*" for name in names)


def follow(follows: Follows, *, channel: str, team: str, user: str, typed: str, committees: list[str], role: str,
           command: str) -> str:
    """Follow the committee `typed` names among `committees` (those the conversation's role may see)."""
    if not typed:
        return f"Name a committee to follow: `{command} follow Cabinet`. Committees in the papers: " \
               f"{_names(committees) or 'none yet'}."
    match = match_committee(typed, committees)
    if match.found is None and match.several:
        return f"“{escape(typed)}” could be any of {_names(match.candidates)}: name one more fully."
    if match.found is None:
        offered = f"Did you mean {_names(match.candidates)}?" if match.candidates else \
            f"Committees in the papers: {_names(committees) or 'none yet'}."
        return f"No committee in the papers matches “{escape(typed)}”. {offered}"
    new = follows.follow(channel, match.found, team, user)
    said = (f"Following *{escape(match.found)}* here: new papers of its meetings are posted here after each sync."
            if new else f"*{escape(match.found)}* is followed here already.")
    return said + (" Only public papers are posted here." if role == PUBLIC else "")


def unfollow(follows: Follows, *, channel: str, typed: str) -> str:
    """Stop following the committee `typed` names among those followed here, or every one when none is named."""
    followed = follows.following(channel)
    if not followed:
        return "No committee is followed here."
    if not typed:
        return f"No longer following {_names(follows.unfollow(channel))} here."
    match = match_committee(typed, followed)
    if match.found is None and match.several:
        return f"“{escape(typed)}” could be any of {_names(match.candidates)}: name one more fully."
    if match.found is None:
        return f"“{escape(typed)}” is not one followed here, which are {_names(followed)}."
    follows.unfollow(channel, match.found)
    return f"No longer following *{escape(match.found)}* here."


def following(follows: Follows, *, channel: str, command: str) -> str:
    followed = follows.following(channel)
    if not followed:
        return f"No committee is followed here: `{command} follow COMMITTEE` posts new papers of its meetings here."
    return f"Followed here: {_names(followed)}. New papers of their meetings are posted here after each sync."
