"""The Slack bot for councillors (slack-bolt): mentions, direct messages and a slash command, answered in threads."""
