"""Following committees in Slack: the real Bolt app over the real papers, signed slash commands, and the local mock
of Slack's Web API from the bot's own tests."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bot.commands import subcommand
from bot.follows import Follows, match_committee

from .test_bot import (  # the local mock of Slack's Web API and signed requests, as the bot's own tests use them
    CONVERSATIONS,
    ROLES,
    SECRET,
    calls,
    conversation,
    send_form,
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
def papers_bot(slack_api, corpus_searcher, corpus_settings):  # noqa: F811
    """`papers serve` over the real papers with the bot in HTTP mode, as in the bot's own tests; its `slack.db`
    (follows and exchanges) kept apart from the corpus and started afresh."""
    settings = corpus_settings.model_copy(update={
        "slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_api_url": slack_api,
        "slack_roles": ROLES, "page_base_url": "https://papers.example.gov.uk"})
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()
    with TestClient(create_app(settings)) as client:
        yield client, settings
    for leftover in settings.home.glob("slack.db*"):
        leftover.unlink()


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


def posted_to(channel: str) -> list[dict]:
    return calls("chat.postMessage", channel=channel)


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
