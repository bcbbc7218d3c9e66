"""Acronyms defined in the papers, found and used to widen a query."""

from index.glossary import Glossary, find_definitions, glossary_row, long_form


def test_the_long_form_is_the_shortest_run_of_words_the_letters_match():
    assert long_form("SLIP", "working with our Sector Led Improvement Partner") == "Sector Led Improvement Partner"
    assert long_form("EHCPs", "the number of Education, Health and Care Plans") == "Education Health and Care Plans"
    assert long_form("HMO", "young people in houses of multiple occupation") == "houses of multiple occupation"


def test_no_long_form_when_the_letters_do_not_match_or_the_acronym_is_one_letter():
    assert long_form("DfE", "as the committee agreed") is None
    assert long_form("A", "Appendix") is None


def test_the_most_written_long_form_comes_first_and_plurals_share_an_entry():
    texts = ["our Sector Led Improvement Partner (SLIP) said", "the Sector Led Improvement Partner (SLIP)",
             "a Sector Lead Improvement Partner (SLIP)", "Houses of Multiple Occupation (HMOs) are"]
    definitions = find_definitions(texts)
    assert definitions["SLIP"] == ["Sector Led Improvement Partner", "Sector Lead Improvement Partner"]
    assert definitions["HMO"] == ["Houses of Multiple Occupation"]


def test_a_query_gains_long_forms_of_its_acronyms_and_acronyms_of_its_long_forms():
    glossary = Glossary({"HMO": ["houses of multiple occupation"], "SLIP": ["Sector Led Improvement Partner"]})
    assert glossary.additions("SLIP for SEND?") == "Sector Led Improvement Partner"
    assert glossary.additions("care leavers in houses in multiple occupation") == "HMO"
    assert glossary.additions("HMOs") == "houses of multiple occupation"
    assert glossary.additions("foster carers") == ""


def test_a_glossary_tables_rows_define_acronyms():
    assert glossary_row("\tEHCNA\tEducation, Health and Care Needs Assessment\t\t\t") == (
        "EHCNA", "Education, Health and Care Needs Assessment")
    assert glossary_row("163\tE&S\tEducation and Skills\t\t") == ("E&S", "Education and Skills")  # a page number
    assert glossary_row("Ref\tOrigin\tAction") is None
    assert glossary_row("\t1.2\tSEND Governance review") is None
    definitions = find_definitions(["Glossary:\n\tAR\tAnnual Review\t\t\n\tCiC\tChildren in Care\t\t"])
    assert definitions == {"AR": ["Annual Review"], "CiC": ["Children in Care"]}
