"""Render the sample agenda pack (text, pages split by form feeds) as a PDF whose pages are the pack's pages.

The agenda's page ranges ("7 - 10") then name real PDF pages, so ingest's PDF path is exercised on any clone.
Usage: python samples/make_pdf.py samples/committee-pack.txt samples/committee-pack.pdf
"""

import sys
from pathlib import Path

from fpdf import FPDF


def render(text: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(18, 16, 18)
    for number, page in enumerate(text.split("\f"), 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        for line in page.splitlines():
            if not line.strip():
                pdf.ln(2.5)
                continue
            # Table rows keep their cells apart, as a PDF table does.
            pdf.multi_cell(0, 4.2, line.replace("\t", "  |  "), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-14)
        pdf.cell(0, 5, str(number), align="C")
    return pdf


def main(source: str, target: str) -> None:
    render(Path(source).read_text(encoding="utf-8")).output(target)


if __name__ == "__main__":
    main(*sys.argv[1:3])
