"""Following committees in Slack and the digest of new papers after a sync: the real Bolt app over the real papers,
signed slash commands, and the local mock of Slack's Web API from the bot's own tests."""

from __future__ import annotations

import html
import json
import logging

import pytest

from bot.commands import subcommand
from bot.digest import post_digests
from bot.follows import Follows, match_committee

from .test_bot import (  # the local mock of Slack's Web API and signed requests, as the bot's own tests use them
    CONVERSATIONS,
    MockSlack,
    calls,
    conversation,
    send_form,
    slack,  # noqa: F401 -- a fixture, found by pytest under this name
    slack_api,  # noqa: F401 -- a fixture, found by pytest under this name
    wait_for,
)

CSOSC = "Children's Services Overview and Scrutiny Committee"
PUBLIC_FOLLOWER, OFFICER_FOLLOWER, BYSTANDER = "C0DIGESTPUB", "G0DIGESTOFF", "C0DIGESTNONE"
OUTSIDE = "C0OUTSIDE"  # the mock refuses every message there: the bot was never invited
CONVERSATIONS.update({  # a private channel is an officer's through the workspace (T0COUNCIL:officer)
    PUBLIC_FOLLOWER: conversation(PUBLIC_FOLLOWER, "childrens-news", private=False),
    OFFICER_FOLLOWER: conversation(OFFICER_FOLLOWER, "childrens-officers", private=True),
    BYSTANDER: conversation(BYSTANDER, "random", private=False),
    "C0ROUNDTRIP": conversation("C0ROUNDTRIP", "following", private=False),
    "C0UNKNOWN": conversation("C0UNKNOWN", "typos", private=False),
})


@pytest.fixture(scope="module")
def papers_bot(slack):  # noqa: F811
    """`papers serve` over the real papers with the bot in HTTP mode: the bot's own tests' `slack`, this module's own
    instance, its `slack.db` (follows and exchanges) kept apart from the corpus and started afresh."""
    return slack


def command(client, channel: str, text: str, user: str, channel_name: str = "general", response_url: str = ""):
    response = send_form(client, {
        "command": "/papers", "text": text, "channel_id": channel, "channel_name": channel_name, "user_id": user,
        "team_id": "T0COUNCIL", "response_url": response_url or "https://hooks.example/follow",
        "trigger_id": "1.2.3"})
    assert response.status_code == 200
    return response


def reply(client, channel: str, text: str, user: str, **extra) -> str:
    """What the command says to the asker alone, as they read it."""
    before = len(calls("chat.postEphemeral", channel=channel, user=user))
    response = command(client, channel, text, user, **extra)
    assert "Searching" not in response.text  # acknowledged at once, with no "Searching the papers…"
    said = wait_for("chat.postEphemeral", channel=channel, user=user, count=before + 1)[before]["text"]
    return html.unescape(said)


@pytest.fixture(scope="module")
def csosc(papers_bot) -> dict[str, list[str]]:
    """The committee's papers from the store: two public ones of item 8 and one of item 9 at its meeting of 24 July
    2024, and its exempt report (the only paper of its meeting of 19 September 2024)."""
    client, _ = papers_bot
    officer = client.app.state.library.view("officer")
    papers = [d for d in officer.documents() if d["committee"] == CSOSC]
    july = [d for d in papers if d["meeting_date"] == "2024-07-24"]
    found = {"item 8": [d["id"] for d in july if d["item"] == "8"][:2],
             "item 9": [d["id"] for d in july if d["item"] == "9"][:1],
             "exempt": [d["id"] for d in papers if d["visibility"] == "exempt"]}
    assert len(found["item 8"]) == 2 and found["item 9"] and found["exempt"], "the corpus's committee papers"
    return found


def posted_to(channel: str) -> list[dict]:
    return calls("chat.postMessage", channel=channel)


def shown(posts: list[dict]) -> str:
    return html.unescape(json.dumps([post.get("blocks") for post in posts] + [post["text"] for post in posts],
                                    ensure_ascii=False))


def test_follow_unfollow_and_following_round_trip_to_the_asker_alone(papers_bot):
    client, settings = papers_bot
    channel, user = "C0ROUNDTRIP", "U0FOLLOWER"
    assert "No committee is followed here" in reply(client, channel, "following", user)
    assert reply(client, channel, "follow cabinet", user).startswith("Following *Cabinet* here")
    said = reply(client, channel, "follow Corporate", user)
    assert "Following *Corporate Parenting Panel* here" in said and "Only public papers are posted here." in said
    assert "followed here already" in reply(client, channel, "follow CABINET", user)
    listed = reply(client, channel, "following", user)
    assert "*Cabinet*" in listed and "*Corporate Parenting Panel*" in listed
    assert Follows(settings.slack_exchanges).following(channel) == ["Cabinet", "Corporate Parenting Panel"]
    assert reply(client, channel, "unfollow cab", user) == "No longer following *Cabinet* here."
    assert "Cabinet" not in reply(client, channel, "following", user)
    assert "not one followed here" in reply(client, channel, "unfollow Library", user)
    assert reply(client, channel, "unfollow", user) == "No longer following *Corporate Parenting Panel* here."
    assert "No committee is followed here" in reply(client, channel, "following", user)
    assert not posted_to(channel)  # every reply was to the asker alone


def test_an_unknown_or_ambiguous_committee_is_answered_with_the_names_it_might_mean(papers_bot):
    client, settings = papers_bot
    said = reply(client, "C0UNKNOWN", "follow Childrens Scrutiny Comittee", "U0TYPO")
    assert "No committee in the papers matches “Childrens Scrutiny Comittee”" in said and f"*{CSOSC}*" in said
    said = reply(client, "C0UNKNOWN", "follow council", "U0TYPO")
    assert "could be any of" in said and "*City Council*" in said and "*Kent County Council*" in said
    assert "Committees in the papers:" in reply(client, "C0UNKNOWN", "follow", "U0TYPO")
    assert Follows(settings.slack_exchanges).following("C0UNKNOWN") == []


def test_help_lists_the_subcommands_and_questions_that_begin_like_them_are_still_questions(papers_bot):
    client, _ = papers_bot
    said = reply(client, "C0UNKNOWN", "help", "U0HELP")
    assert all(f"`/papers {word}" in said for word in ("actions", "follow COMMITTEE", "unfollow", "following"))
    assert subcommand("follow up on the HMO action") is None and subcommand("following the inspection, what?") \
        is None and subcommand("follow Cabinet?") is None and subcommand("help with budgets") is None
    assert subcommand("Follow  Cabinet ") == ("follow", "Cabinet") and subcommand("unfollow") == ("unfollow", "")
    assert match_committee("scrutiny", [CSOSC, "Cabinet"]).found == CSOSC
    assert match_committee("c", [CSOSC, "Cabinet"]).several


def test_a_follow_where_the_bot_was_never_invited_says_so(papers_bot, slack_api):  # noqa: F811
    client, settings = papers_bot
    command(client, OUTSIDE, f"follow {CSOSC}", "U0OUTSIDER", response_url=f"{slack_api}response")
    said = wait_for("response")[-1]["text"]
    assert said.startswith(f"Following *{CSOSC}* here") and "invite me" in said
    assert Follows(settings.slack_exchanges).following(OUTSIDE) == [CSOSC]


def test_new_papers_are_posted_once_to_the_channels_following_their_committee(papers_bot, csosc, caplog):
    client, settings = papers_bot
    library = client.app.state.library
    for channel, name in ((PUBLIC_FOLLOWER, "childrens-news"), (OFFICER_FOLLOWER, "privategroup")):
        reply(client, channel, "follow children", "U0FOLLOWER", channel_name=name)
    reply(client, BYSTANDER, "follow Cabinet", "U0FOLLOWER", channel_name="random")
    Follows(settings.slack_exchanges).follow(OUTSIDE, CSOSC, "T0COUNCIL", "U0OUTSIDER")  # may be followed already

    with caplog.at_level(logging.ERROR, logger="bot.digest"):
        first = post_digests(library, settings, csosc["item 8"] + csosc["exempt"])
    assert any(OUTSIDE in record.getMessage() for record in caplog.records)  # logged, and the others still told
    assert calls("chat.postMessage", channel=OUTSIDE)[-1]["reply"]["error"] == "not_in_channel"
    assert Follows(settings.slack_exchanges).told_of(OUTSIDE, "childrens-services-overview-and-scrutiny-committee"
                                                               "-2024-07-24") == 0  # to be tried again next time
    assert not posted_to(BYSTANDER)  # it follows Cabinet only

    public = posted_to(PUBLIC_FOLLOWER)
    assert len(public) == 1 and [(p.channel, set(p.documents)) for p in first if p.channel == PUBLIC_FOLLOWER] == [
        (PUBLIC_FOLLOWER, set(csosc["item 8"]))]
    text = shown(public)
    assert f"New papers: {CSOSC}" in text and "Meeting of 24 July 2024" in text and "2 papers" in text
    assert "*Item 8* SEND Progress Update re SEND Improvement Plan and Safety Valve" in text
    assert all(f"<https://papers.example.gov.uk/view/{document}|" in text for document in csosc["item 8"])
    assert "Improvement Journey" not in text and csosc["exempt"][0] not in text and "exempt" not in text

    officers = posted_to(OFFICER_FOLLOWER)  # its two meetings, oldest first: July's papers, then September's report
    assert len(officers) == 2 and "Meeting of 24 July 2024" in shown(officers[:1])
    september = shown(officers[1:])
    assert "Meeting of 19 September 2024" in september and "Children's Social Care Improvement Journey" in september
    assert "/view/" not in september and "exempt: not on the public page" in september  # the page shows no exempt

    assert post_digests(library, settings, csosc["item 8"] + csosc["exempt"]) == []  # the same papers again
    assert len(posted_to(PUBLIC_FOLLOWER)) == 1 and len(posted_to(OFFICER_FOLLOWER)) == 2

    later = post_digests(library, settings, csosc["item 8"] + csosc["item 9"])  # a later sync adds item 9
    assert {p.channel: p.documents for p in later} == {PUBLIC_FOLLOWER: tuple(csosc["item 9"]),
                                                       OFFICER_FOLLOWER: tuple(csosc["item 9"])}
    more = shown(posted_to(PUBLIC_FOLLOWER)[1:])
    assert f"More papers: {CSOSC}" in more and "*Item 9* Child Exploitation Working Group Findings Report" in more
    assert "Item 8" not in more and csosc["item 8"][0] not in more


def test_no_token_or_no_follows_posts_nothing(papers_bot, csosc, tmp_path):
    client, settings = papers_bot
    library, before = client.app.state.library, len(MockSlack.calls)
    assert post_digests(library, settings.model_copy(update={"home": tmp_path}), csosc["item 8"]) == []
    assert not (tmp_path / "slack.db").exists()
    assert post_digests(library, settings.model_copy(update={"slack_bot_token": ""}), csosc["item 8"]) == []
    assert post_digests(library, settings, []) == [] and len(MockSlack.calls) == before

