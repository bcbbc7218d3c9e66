"""The gold set's scoring rules, checked on the cases its README spells out."""

from eval.scoring import contains_fact, first_hit, mrr_at, normalise, recall_at, supports


def test_normalise_follows_the_readme():
    assert normalise("  “Red”\u2013<u>rated</u>\t1,030 CHILDREN’S\n") == '"red"-rated 1030 children\'s'


def test_a_passage_supports_a_quote_it_holds_or_80_percent_of_it_in_one_run():
    quote = "one two three four five six seven eight nine ten"
    assert supports("before ONE two three four five six seven eight nine ten after", quote)
    assert supports("one two three four five six seven eight | cut", quote)
    assert not supports("one two three four five six seven | cut", quote)
    assert not supports("one two three four five six seven eight", "one two three four five nine seven eight x y")


def test_facts_match_as_whole_words_and_numbers():
    assert contains_fact("Rated Red in Q3", "red")
    assert not contains_fact("reduced", "Red")
    assert not contains_fact("none", "one")
    assert not contains_fact("in 2014", "14")
    assert contains_fact("six actions", ["6", "six"])


def test_ranks_give_recall_and_mrr():
    assert first_hit(["nothing", "a quote here"], ["a quote"]) == 2
    ranks = [1, 2, None, 10]
    assert recall_at(ranks, 1) == 0.25 and recall_at(ranks, 10) == 0.75
    assert mrr_at(ranks, 10) == (1 + 0.5 + 0.1) / 4


def test_a_quote_cut_by_a_chunk_boundary_still_counts_when_80_percent_is_in_one_run():
    quote = "Young people living in HMOs reduced from 14 to 2 by 14.3.22 and 50 self-contained options secured"
    first_chunk = "Progress: Young people living in HMOs reduced from 14 to 2 by 14.3.22 and 50 self-contained"
    second_chunk = "options secured from DW properties."
    assert supports(first_chunk, quote)  # 15 of the quote's 17 words
    assert not supports(second_chunk, quote)


def test_tabs_newlines_and_markup_in_a_quote_match_plain_text():
    quote = "accommodation offered.\tJane White Sarah Langdale\t30/06/22\tOn track"
    assert supports("accommodation offered. Jane White  Sarah Langdale\n30/06/22 On track", quote)
    assert supports("the <u>Safety Valve</u> programme", "the Safety Valve programme")


def test_facts_match_whatever_their_case_and_spacing():
    assert contains_fact("rated ON   TRACK by\nthe board", "On track")
    assert contains_fact("1,030 children", "1030")
    assert contains_fact("the 20–week target", "20-week")


def test_a_fact_is_not_found_inside_a_decimal_and_may_carry_its_own_symbols():
    assert not contains_fact("rose to 12.2%", "2%")
    assert not contains_fact("a ratio of 1.14", "14")
    assert not contains_fact("14.5 weeks", "14")
    assert contains_fact("raise it by 2.99% and 2% more", "2%")
    assert contains_fact("a contract of $895,000.00 to Ray Martin", "$895,000")
    assert contains_fact("worth GBP£59m", "£59m")
