"""Answers as Slack Block Kit messages, within Slack's limits: 3,000 characters a section, 50 blocks and under
40,000 characters a message.

An answer shows its lead line and its sources; the quotes wait behind "Show passages". A long text is split into
as many sections (and messages) as it needs, never cut: joined again, the pieces are the text. Each source is the
citation's one label (`retrieval/compose.py`), its title linked to its passage on the search page when
`PAPERS_PAGE_BASE_URL` is set.
"""

from __future__ import annotations

from retrieval.compose import source_label
from retrieval.contract import Answer, Citation

SECTION_LIMIT = 3000
MESSAGE_BLOCKS = 50
MESSAGE_CHARS = 36_000  # Slack cuts a message past 40,000 characters
FALLBACK_CHARS = 300
SHOW_PASSAGES, HELPFUL, NOT_HELPFUL = "show_passages", "feedback_helpful", "feedback_not_helpful"


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pieces(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """The text in pieces of at most `limit` characters, broken between lines, else between words (so never
    inside an `&amp;` of escaped text)."""
    out: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:  # a line too long for one piece: break it at its last space in reach
            cut = line.rfind(" ", 0, limit) + 1 or limit
            if current:
                out.append(current)
                current = ""
            out.append(line[:cut])
            line = line[cut:]
        if len(current) + len(line) > limit:
            out.append(current)
            current = ""
        current += line
    if current:
        out.append(current)
    return out


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def source(citation: Citation, base_url: str) -> str:
    """"[1] <link|Title> · committee · 24 July 2024 · item 8 Title · pp. 3–4 · pack.pdf": the citation's label,
    its title linked to the passage on the page when the paper is public (the page shows no other)."""
    label = source_label(citation)
    title = escape(label.title)
    if base_url and citation.document.visibility == "public":
        title = f"<{base_url.rstrip('/')}/view/{citation.document.id}#chunk-{citation.chunk_id}|{title}>"
    return f"*[{citation.n}]* {title} · {escape(label.where)}"


def lead_line(response: Answer) -> str:
    """The answer in one line, what a busy reader sees first: its lead when a record gives one, else its first
    line."""
    return response.lead or response.answer.split("\n", 1)[0]


def answer_messages(response: Answer, exchange: int, base_url: str) -> list[list[dict]]:
    """The lead line, the sources and the buttons, as one or more messages of at most 50 blocks. The quotes
    stay behind "Show passages", so the answer reads at a glance in the channel."""
    blocks = [section(piece) for piece in pieces(escape(lead_line(response)))]
    if response.citations:
        heading = "Sources" if response.answered else "Closest matches"
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": heading}})
        blocks += [section(piece) for piece in pieces("\n".join(source(c, base_url) for c in response.citations))]
    buttons = [("Show passages", SHOW_PASSAGES)] if response.citations else []
    buttons += [("Helpful", HELPFUL), ("Not helpful", NOT_HELPFUL)]
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action, "value": str(exchange)}
        for label, action in buttons]})
    return messages(blocks)


def actions_messages(actions: list[dict], base_url: str) -> list[list[dict]]:
    """Actions (`View.actions`), latest printed first: where each stands now and since when, when it was raised,
    the action, and the paper that last printed it (linked to the page when public)."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": f"Actions ({len(actions)})"}}]
    for action in actions:
        latest = action["history"][-1]
        title = escape(latest["document_title"] or "a paper")
        if base_url and latest["visibility"] == "public":
            title = f"<{base_url.rstrip('/')}/view/{latest['document_id']}#chunk-{latest['chunk_id']}|{title}>"
        raised = f" · raised {action['raised']}" if action["raised"] else ""
        text = (f"*{escape(action['status'] or 'No status printed')}* · {latest['date'] or ''}{raised}\n"
                f"{escape(action['text'])}\n{title}")
        blocks += [section(piece) for piece in pieces(text)]
    return messages(blocks)


def passages_messages(citations: list[Citation], base_url: str) -> list[list[dict]]:
    """Each citation's label, then the sentences and rows the answer quotes from it (a closest match, which
    quotes nothing, shown whole), for the one who asked to see them."""
    blocks = []
    for citation in citations:
        blocks.append(section(source(citation, base_url)))
        lines = [line for quote in citation.quotes for line in quote.splitlines() if line.strip()]
        shown = "\n".join(f"> {escape(line)}" for line in lines)
        blocks += [section(piece) for piece in pieces(shown or escape(citation.text))]
    return messages(blocks)


def messages(blocks: list[dict]) -> list[list[dict]]:
    """The blocks in order, as few messages as Slack's per-message limits allow."""
    out: list[list[dict]] = [[]]
    size = 0
    for block in blocks:
        length = len(block.get("text", {}).get("text", ""))
        if out[-1] and (len(out[-1]) == MESSAGE_BLOCKS or size + length > MESSAGE_CHARS):
            out.append([])
            size = 0
        out[-1].append(block)
        size += length
    return out


def fallback(text: str) -> str:
    """The plain text notifications show."""
    return text if len(text) <= FALLBACK_CHARS else text[:FALLBACK_CHARS - 1] + "…"
