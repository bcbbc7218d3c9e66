"""Quotes cut to what answers: a real tracker row of the BCP SEND improvement plan, and the rules on any text."""

from __future__ import annotations

import pytest

from index.units import units_of
from retrieval.excerpt import GAP, excerpt
from retrieval.query import analyse
from tests.conftest import bcp

QUESTION = "Who leads the action to remove the EHCNA backlog, and what was its deadline?"


@pytest.fixture(scope="module")
def backlog_row(read_paper) -> str:
    """The improvement plan's row for the EHCNA backlog action, as an answer would quote it whole."""
    paper = read_paper(bcp("003"))
    rows = [unit.text for chunk in paper.chunks
            for unit in units_of("c", chunk.text, chunk.fields_text, chunk.section)
            if "Remove Education Health Care Needs Assessments" in unit.text]
    assert rows, "the backlog action's row was not found in the SEND improvement plan"
    return max(rows, key=lambda row: len(row.split()))


def test_a_long_row_is_cut_to_the_cells_that_answer(backlog_row: str):
    query = analyse(QUESTION, {}, [])
    cut = excerpt(backlog_row, query, {}, limit=30)
    assert len(backlog_row.split()) > 60
    assert len(cut.split()) <= 32  # the limit, and the marks where text was left out
    assert "Mary Diffey" in cut and "31/03/24" in cut
    for piece in cut.split(GAP.strip()):
        assert piece.strip(" ;") in backlog_row  # every piece quoted verbatim


def test_a_short_text_is_quoted_whole():
    query = analyse("What is the status of the HMO action?", {}, [])
    text = "Status: Actioned; Action: Reduce the number of young people placed in HMOs"
    assert excerpt(text, query, {}, limit=30) == text


def test_the_best_piece_is_kept_even_when_it_alone_passes_the_limit():
    query = analyse("what did the board approve", {}, [])
    long_clause = "the board approved " + " ".join(["the revised scheme"] * 20)
    text = f"{long_clause}; Note: unrelated cell about something else entirely"
    cut = excerpt(text, query, {}, limit=10)
    assert cut.startswith("the board approved") and "unrelated" not in cut
