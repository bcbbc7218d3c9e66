"""Every file in ../shared/corpus/robustness gets what a user should get, and a failure leaves nothing behind."""

from pathlib import Path

import pytest

from ingest.pipeline import ingest_file
from papers.backends import reading

from .conftest import shared_ocr, shared_path

# file -> None when its text ingests, else the problem the user is told
EXPECTED = {
    "pypdf_crazyones-encrypted-256.pdf": "encrypted PDF: the password is not known",
    "pypdf_encryption_r6-user-password.pdf": None,  # opens with the empty password
    "pypdf_libreoffice-writer-password.pdf": "encrypted PDF: the password is not known",
    "pypdf_encryption_r2-empty-password.pdf": None,
    "pypdf_Seige_of_Vicksburg_Sample_OCR.pdf": None,
    # a 16-pixel smiley, with no text layer: OCR finds no words on it ("no text layer on page 1" with OCR off)
    "pypdf_imagemagick-CCITTFaxDecode.pdf": "no text on page 1, not even by OCR: nothing to index",
    "pypdf_indirect-rotation.pdf": None,
    "pypdf_outlines-with-invalid-destinations.pdf": None,
    "pypdf_missing_info.pdf": None,
    "pypdf_multilang.pdf": None,
    "pypdf_issue-297.pdf": None,
    "made_truncated-kent-minutes.pdf": "truncated or damaged PDF",
    "made_corrupted-middle-kent-pack.pdf": None,
    "made_empty.pdf": "empty file",
    "made_html-error-page-saved-as.pdf": "not a PDF: looks like an HTML page",
    "made_plain-text-named-as.pdf": None,
    "made_random-bytes.pdf": "not a PDF or a text file",
}


def test_the_table_covers_every_robustness_file():
    folder = shared_path("corpus", "robustness")
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_robustness_file(store, settings, name):
    path = shared_path("corpus", "robustness", name)
    before = store.counts()
    result = ingest_file(path, store, shared_ocr(settings))
    problem = EXPECTED[name]
    if problem is None:
        assert result.status == "ingested", result.error
        assert result.chunks > 0
    else:
        assert result.status == "failed"
        assert result.error.startswith(str(path.resolve())) and problem in result.error
        assert store.counts() == before  # nothing partial is stored


def test_with_ocr_off_an_image_without_text_is_refused_as_a_scan(store, settings):
    path = shared_path("corpus", "robustness", "pypdf_imagemagick-CCITTFaxDecode.pdf")
    result = ingest_file(path, store, reading(settings.model_copy(update={"ocr": False})))
    assert result.status == "failed" and result.error == (
        f"{path.resolve()}: no text layer on page 1: a scan without OCR, nothing to index")


def test_plain_text_named_pdf_is_read_as_text_and_says_so(store, settings):
    result = ingest_file(shared_path("corpus", "robustness", "made_plain-text-named-as.pdf"), store, reading(settings))
    assert result.warnings == ["named .pdf but holds plain text: read as text"]


def test_damaged_pdf_is_read_with_a_warning(store, settings):
    result = ingest_file(shared_path("corpus", "robustness", "pypdf_issue-297.pdf"), store, reading(settings))
    assert result.status == "ingested" and result.warnings[0].startswith("damaged PDF, read as far as possible")


def test_multilang_text_is_not_mangled(read_paper):
    paper = read_paper(shared_path("corpus", "robustness", "pypdf_multilang.pdf"))
    text = " ".join(c.text for c in paper.chunks)
    assert any("\u0400" <= ch <= "\u04ff" for ch in text)  # Cyrillic survives
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # and Arabic


def test_a_configured_password_opens_an_encrypted_pdf(tmp_path: Path):
    from fpdf import FPDF

    from ingest.errors import IngestError
    from ingest.understand import understand
    from papers.backends import reading
    from papers.settings import Settings

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Minutes of the Meeting held on 3 March 2026: the committee noted the report.")
    pdf.set_encryption(owner_password="owner", user_password="s3cret")
    data = bytes(pdf.output())
    with pytest.raises(IngestError, match="password is not known"):
        understand("locked.pdf", data, reading(Settings()).sizes)
    paper = understand("locked.pdf", data, reading(Settings()).sizes, pdf_password="s3cret")
    assert "committee noted the report" in paper.chunks[0].text


def test_a_bad_file_never_stops_the_batch(store, settings):
    from ingest.pipeline import ingest_paths

    folder = shared_path("corpus", "robustness")
    summary = ingest_paths([folder], store, shared_ocr(settings))
    failed = {Path(path).name for path, _ in summary.errors}
    assert failed == {name for name, problem in EXPECTED.items() if problem}
    assert summary.count("ingested") == sum(problem is None for problem in EXPECTED.values())
