"""The gold records (tests/gold/records.jsonl, read off the papers by hand) quote their papers exactly: every
verbatim text, measure and value is printed in the paper it names (on the page it names, for a PDF), so the
yardstick for record extraction cannot drift from the papers it measures."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pypdf

from .conftest import shared_path

GOLD = Path(__file__).with_name("gold") / "records.jsonl"
VERBATIM = ("text", "measure", "value")


def folded(text: str) -> str:
    return " ".join(text.split())


@cache
def pdf_pages(path: Path) -> list[str]:
    return [folded(page.extract_text() or "") for page in pypdf.PdfReader(path).pages]


def printed_in(record: dict) -> str:
    path = shared_path("corpus", record["doc"])
    if path.suffix == ".pdf":
        return pdf_pages(path)[record["page"] - 1] if record.get("page") else " ".join(pdf_pages(path))
    return folded(path.read_text(encoding="utf-8"))


RECORDS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_gold_file_holds_every_kind_from_several_councils():
    kinds = {kind: [r for r in RECORDS if r["kind"] == kind] for kind in ("decision", "action", "figure")}
    assert all(len(records) >= 50 for records in kinds.values())
    assert {r["doc"].split("/")[0] for r in kinds["decision"]} == {"bcp", "pdf"}
    assert len({r["same_as"] for r in kinds["action"] if r.get("same_as")}) >= 1  # an action on two sheets


def test_every_verbatim_string_is_printed_in_its_paper():
    missing = [(key, record[key][:60], record["doc"]) for record in RECORDS for key in VERBATIM
               if record.get(key) and folded(record[key]) not in printed_in(record)]
    assert not missing
