"""A caller's role decides whether exempt papers are used, inside retrieval, whatever filter was asked for."""

import pytest

from index.errors import BadQuery
from index.filters import Filter
from retrieval.access import restrict

QUESTION = "children's social care improvement journey and monitoring visits"


def visibilities(response: dict) -> set[str]:
    return {passage["document"]["visibility"] for passage in response["passages"]}


def test_members_and_officers_see_exempt_papers_the_public_does_not(corpus_answerer):
    assert "exempt" in visibilities(corpus_answerer.ask(QUESTION, k=20, role="officer"))
    assert "exempt" in visibilities(corpus_answerer.ask(QUESTION, k=20, role="member"))
    public = corpus_answerer.ask(QUESTION, k=20, role="public")
    assert visibilities(public) == {"public"} and len(public["passages"]) == 20


def test_the_role_narrows_whatever_filter_the_caller_gave():
    assert restrict(Filter(), "public").visibility == ("public",)
    assert restrict(Filter(visibility=("exempt",)), "officer").visibility == ("exempt",)
    with pytest.raises(BadQuery, match="may not see exempt"):
        restrict(Filter(visibility=("exempt",)), "public")
    with pytest.raises(BadQuery, match="role: 'guest'"):
        restrict(Filter(), "guest")


def test_asking_defaults_to_the_public_role(corpus_answerer):
    assert visibilities(corpus_answerer.ask(QUESTION, k=20)) == {"public"}
