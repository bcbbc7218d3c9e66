"""Optional generation, against a local fake of an OpenAI-compatible endpoint: used when it checks out, and the
extractive answer kept when the model invents a figure, cites a passage it was not given, or fails."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from papers.library import Library

QUESTION = "What is the most recent figure for EHC plans issued on time?"


class FakeModel(BaseHTTPRequestHandler):
    """Answers chat completions the way `behaviour` says; keeps every request it was sent."""

    behaviour = "faithful"
    requests: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeModel.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        passages = body["messages"][-1]["content"]
        figure = re.search(r"\d+(?:\.\d+)?%", passages.split("[2]")[0]).group()
        content = {
            "faithful": f"The latest figure in the papers is {figure} [1].",
            "inventive": "The latest figure in the papers is 99.9% [1].",
            "miscites": f"The latest figure in the papers is {figure} [7].",
            "unmarked": f"The latest figure in the papers is {figure}.",
        }.get(self.behaviour)
        if content is None:
            self.send_response(500)
            self.end_headers()
            return
        reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def library_with_model(corpus_settings, url: str, key: str = "secret-key") -> Library:
    """The corpus's library with the model behind `url` built by the generator factory from the settings."""
    return Library(corpus_settings.model_copy(update={
        "llm_base_url": url, "llm_model": "council-model", "llm_api_key": key, "llm_timeout_s": 5}))


@pytest.fixture
def answer_with(endpoint, corpus_library, corpus_settings):
    def answer(behaviour: str, url: str = endpoint) -> dict:
        FakeModel.behaviour, FakeModel.requests = behaviour, []
        library = library_with_model(corpus_settings, url)
        return library.view("officer").ask(QUESTION).model_dump(mode="json")
    return answer


def test_a_faithful_model_answer_is_used_and_it_saw_only_the_cited_passages(answer_with):
    response = answer_with("faithful")
    assert response["generated"] and response["answer"].startswith("The latest figure in the papers is")
    sent = FakeModel.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer secret-key"
    assert sent["body"]["model"] == "council-model"
    prompt = sent["body"]["messages"][-1]["content"]
    assert QUESTION in prompt and response["citations"][0]["text"] in prompt
    numbered = [int(n) for n in re.findall(r"(?m)^\[(\d+)\] ", prompt)]
    assert numbered == [citation["n"] for citation in response["citations"]]  # the cited passages, no others


@pytest.mark.parametrize("behaviour", ["inventive", "miscites", "unmarked", "error"])
def test_an_answer_that_does_not_check_out_falls_back_to_the_extractive_one(answer_with, behaviour):
    extractive = answer_with("faithful")["citations"]
    response = answer_with(behaviour)
    assert FakeModel.requests and not response["generated"]
    assert "99.9%" not in response["answer"] and "[1]" in response["answer"]
    assert response["citations"] == extractive


def test_an_endpoint_that_is_down_leaves_the_extractive_answer(answer_with):
    response = answer_with("faithful", url="http://127.0.0.1:9/v1")
    assert not response["generated"] and response["answered"] and "[1]" in response["answer"]


def test_an_unanswered_question_is_not_sent_to_the_model(endpoint, corpus_library, corpus_settings):
    FakeModel.requests = []
    response = library_with_model(corpus_settings, endpoint, key="").view("officer").ask(
        "How much is the mileage allowance for councillors?")
    assert not response.answered and not FakeModel.requests
