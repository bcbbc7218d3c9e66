"""What a committee site says of a paper wins over what its text suggests, on real Kent papers from a ModernGov
site: the meeting, the agenda item, the title and whether it is restricted."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.given import Given
from ingest.pipeline import ingest_file
from ingest.store import Store
from ingest.understand import understand
from papers.backends import reading
from papers.settings import Settings
from tests.conftest import shared_path

SITE_ITEMS = (("7", "Children's Services SIS 18-25 Transfer"), ("8", "Budget 2025-26 and Medium Term Financial Plan"))
RISKS = Given(committee="Cabinet", date="2025-01-30", time="10:00", venue="Council Chamber, Sessions House",
              items=SITE_ITEMS, item="8", title="Appendix I - Budget Risk Register", restricted=True)


def kent(name: str) -> Path:
    return next(shared_path("corpus", "pdf").glob(f"uk_kent_cabinet_2025-01-30_{name}*.pdf"))


def test_a_report_without_a_cover_takes_the_sites_meeting_item_title_and_restriction():
    path = kent("appendix-i")
    alone = understand(str(path), path.read_bytes(), reading(Settings()).sizes)
    assert alone.meeting.id is None and alone.documents[0].visibility == "public"  # its text names no meeting

    paper = understand(str(path), path.read_bytes(), reading(Settings()).sizes, given=RISKS)
    assert paper.meeting.id == "cabinet-2025-01-30"
    assert (paper.meeting.time, paper.meeting.venue) == ("10:00", "Council Chamber, Sessions House")
    assert [(item.number, item.title) for item in paper.items] == list(SITE_ITEMS)
    assert {document.item for document in paper.documents} == {"8"}
    assert {document.visibility for document in paper.documents} == {"exempt"}
    assert paper.documents[0].title == "Appendix I - Budget Risk Register"
    assert all("Item 8 Budget 2025-26" in chunk.context for chunk in paper.chunks)


def test_a_pack_filed_under_an_item_keeps_its_own_documents_under_it():
    path = kent("supplementary-pack")
    given = Given(committee="Cabinet", date="2025-01-30", items=SITE_ITEMS, item="7")
    paper = understand(str(path), path.read_bytes(), reading(Settings()).sizes, given=given)
    assert len(paper.documents) > 1 and {document.item for document in paper.documents} == {"7"}
    assert {document.visibility for document in paper.documents} == {"public"}
    assert {document.title for document in paper.documents} != {None}  # several documents: their own titles kept


def test_the_sites_facts_changing_reads_an_unchanged_file_again(tmp_path: Path):
    path = tmp_path / "risks.pdf"
    shutil.copy(kent("appendix-i"), path)
    store = Store(tmp_path / "papers.db")
    settings = Settings(home=tmp_path)
    assert ingest_file(path, store, reading(settings), RISKS).status == "ingested"
    assert ingest_file(path, store, reading(settings), RISKS).status == "unchanged"
    public = Given(**{**vars(RISKS), "restricted": False})
    assert ingest_file(path, store, reading(settings), public).status == "ingested"
    assert {row["visibility"] for row in store.documents(("public", "exempt"))} == {"public"}
    store.close()
