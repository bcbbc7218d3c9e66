"""A caller's role decides whether exempt papers are used, in the view every read goes through."""

import pytest

from index.errors import BadQuery
from index.filters import Filter

QUESTION = "children's social care improvement journey and monitoring visits"


def visibilities(response: dict) -> set[str]:
    return {passage["document"]["visibility"] for passage in response["passages"]}


def test_members_and_officers_see_exempt_papers_the_public_does_not(corpus_ask):
    assert "exempt" in visibilities(corpus_ask(QUESTION, k=20, role="officer"))
    assert "exempt" in visibilities(corpus_ask(QUESTION, k=20, role="member"))
    public = corpus_ask(QUESTION, k=20, role="public")
    assert visibilities(public) == {"public"} and len(public["passages"]) == 20


def test_the_role_narrows_whatever_filter_the_caller_gave(corpus_library):
    assert corpus_library.view("public").narrow(Filter()).visibility == ("public",)
    assert corpus_library.view("officer").narrow(Filter(visibility=("exempt",))).visibility == ("exempt",)
    with pytest.raises(BadQuery, match="may not see exempt"):
        corpus_library.view("public").narrow(Filter(visibility=("exempt",)))
    with pytest.raises(BadQuery, match="role: 'guest'"):
        corpus_library.view("guest")


def test_asking_defaults_to_the_public_role(corpus_ask):
    assert visibilities(corpus_ask(QUESTION, k=20)) == {"public"}
