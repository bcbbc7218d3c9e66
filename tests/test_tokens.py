"""The BM25 tokenizer keeps what councillors type whole enough to match."""

import pytest

from index.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("67.1% of new EHCPs", {"67.1%", "67.1"}),
        ("within the 20-week timescale", {"20-week", "20", "week"}),
        ("deadline 30/06/22", {"30/06/22"}),
        ("budget 2023/24", {"2023/24"}),
        ("Item 6a", {"6a"}),
        ("1,030 children", {"1030"}),
        ("Q3 performance", {"q3"}),
    ],
)
def test_figures_dates_and_references_stay_whole(text, kept):
    assert kept <= set(tokenize(text))


def test_case_accents_and_apostrophes_are_folded():
    assert tokenize("CAFÉ") == tokenize("café") == ["cafe"]
    assert tokenize("Children’s services") == tokenize("children's services")


def test_english_is_stemmed_and_stopwords_dropped():
    assert tokenize("assessments completed") == tokenize("assessment completing") == ["assess", "complet"]
    assert tokenize("the assessment of a plan") == ["assess", "plan"]


def test_a_split_reference_meets_its_joined_form():
    assert {"mv", "3"} <= set(tokenize("MV3")) and {"mv", "3"} <= set(tokenize("MV 3"))
    assert "20" in tokenize("20 weeks") and "20" in tokenize("20-week")


def test_an_acronyms_plural_meets_its_singular():
    assert tokenize("agency SWs") == tokenize("agency SW")
    assert tokenize("EHCPs and HMOs") == tokenize("EHCP and HMO")
