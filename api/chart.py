"""A measure's figures as a small line chart in inline SVG, built as a string on the server: the pages need no
JavaScript and no charting package, and the chart is in the HTML a test (or a screen reader) reads."""

from __future__ import annotations

from markupsafe import Markup, escape

from ingest.figure_text import FIGURE_TEXT

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 96, 32, 24, 84  # room for the scale, the last value, and slanted period labels
INSET = 12  # the first and last points kept off the axes
LABEL_CHARS = 16  # a longer period label is cut (whole in the point's tooltip) so it stays inside the chart


def number(value: str) -> float | None:
    """The number a figure states as printed ("12.5 days" → 12.5, "2,410" → 2410, "£2.5m" → 2.5, "-3.2pp" → -3.2,
    "(1,200)" → -1200 as accounts print a loss); None when it states none ("n/a", "TBC"), so such a figure stays
    in the table and out of the chart."""
    found = FIGURE_TEXT.search(value)
    if not found:
        return None
    amount = float(found.group("number").replace(",", ""))
    before = value[:found.start()].rstrip()
    negative = before.endswith(("-", "−")) or (before.endswith("(") and value[found.end():].lstrip().startswith(")"))
    return -amount if negative else amount


def line_chart(points: list[tuple[str, str]], title: str) -> Markup:
    """Points (period label, value as printed) in the order given, one evenly spaced step each, joined by a line
    and labelled by period and value; those whose value is no number are left out. Empty when none is a number.
    The scale starts at zero unless a value is below it, so a change is not drawn larger than it is."""
    plotted = [(label, value, amount) for label, value in points if (amount := number(value)) is not None]
    if not plotted:
        return Markup("")
    low = min(0.0, *(amount for _, _, amount in plotted))
    high = low + ((max(amount for _, _, amount in plotted) - low) or 1.0)  # all zero: zero on the bottom line
    inner_width, inner_height = WIDTH - LEFT - RIGHT - 2 * INSET, HEIGHT - TOP - BOTTOM
    at = [(LEFT + INSET + (index * inner_width / (len(plotted) - 1) if len(plotted) > 1 else inner_width / 2),
           TOP + (high - amount) / (high - low) * inner_height) for index, (_, _, amount) in enumerate(plotted)]
    base = HEIGHT - BOTTOM
    marks = [f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
             f'<text class="scale" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{high:g}</text>',
             f'<text class="scale" x="{LEFT - 6}" y="{base + 4}" text-anchor="end">{low:g}</text>']
    if len(at) > 1:
        marks.append(f'<polyline class="line" points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in at)}"/>')
    for (label, value, _), (px, py) in zip(plotted, at, strict=True):
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        marks.append(f'<g class="point"><circle cx="{px:.1f}" cy="{py:.1f}" r="4"><title>{escape(label)}: '
                     f'{escape(value)}</title></circle><text class="value" x="{px:.1f}" y="{py - 8:.1f}" '
                     f'text-anchor="middle">{escape(value)}</text><text class="period" x="{px:.1f}" y="{base + 16}" '
                     f'text-anchor="end" transform="rotate(-35 {px:.1f} {base + 16})">{escape(short)}</text></g>')
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
                  f'<title>{escape(title)}</title>{"".join(marks)}</svg>')
