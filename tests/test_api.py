"""The HTTP API and the search page, through FastAPI's TestClient: every endpoint, every role against exempt papers,
bad input of each kind, and uploads and deletes, including one that fails half way."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from index.storage import build_lock, read_manifest
from papers.library import Library
from sync.http import Fetcher, Politeness
from sync.moderngov import ModernGov
from sync.run import Syncer, Window
from sync.state import Source
from tests.conftest import shared_path
from tests.fakes import moderngov as moderngov_fake

from .test_index_storage import MAY_MINUTES

KEYS = "officer-key:officer,member-key:member"
OFFICER = {"Authorization": "Bearer officer-key"}
MEMBER = {"Authorization": "Bearer member-key"}
ROLES = {"public": {}, "member": MEMBER, "officer": OFFICER}
EXEMPT_QUESTION = "children's social care improvement journey monitoring visits"


@pytest.fixture(scope="module")
def corpus(corpus_searcher, corpus_settings):
    """The real papers (one exempt report among them), served read-only."""
    with TestClient(create_app(corpus_settings.model_copy(update={"api_keys": KEYS}))) as client:
        yield client


@pytest.fixture(scope="module")
def exempt(corpus) -> dict:
    documents = corpus.get("/documents", headers=OFFICER).json()
    found = [d for d in documents if d["visibility"] == "exempt"]
    assert found, "the shared corpus holds an exempt report"
    document = corpus.get(f"/documents/{found[0]['id']}", headers=OFFICER).json()
    return document


@pytest.fixture
def samples(sample_settings):
    """The sample pack in a store and index of this test's own, to change freely; small limits on bodies."""
    settings = sample_settings.model_copy(update={"api_keys": KEYS, "upload_max_mb": 1, "body_max_kb": 1})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, settings


def test_health_reports_what_the_caller_may_see_the_index_and_the_model(corpus):
    public, officer = corpus.get("/health").json(), corpus.get("/health", headers=OFFICER).json()
    assert public["status"] == "ok" and public["model"] == "all-MiniLM-L6-v2" and "chunks" in public["index"]
    assert 1000 < public["store"]["chunks"] < officer["store"]["chunks"]
    assert public["store"]["documents"] < officer["store"]["documents"]


def test_health_counts_in_the_index_only_what_the_caller_may_see(corpus):
    """The public's figure is the officer's less every exempt passage: the index's size says nothing of them."""
    def index_size(headers: dict) -> tuple[int, int]:
        index = corpus.get("/health", headers=headers).json()["index"]
        chunks, vectors = re.fullmatch(r"(\d+) chunks, (\d+) vectors", index).groups()
        return int(chunks), int(vectors)

    (public_chunks, public_vectors), (officer_chunks, officer_vectors) = index_size({}), index_size(OFFICER)
    listed = corpus.get("/documents", params={"per_page": 500}, headers=OFFICER).json()
    exempt_chunks = sum(document["chunks"] for document in listed if document["visibility"] == "exempt")
    assert exempt_chunks and public_chunks == officer_chunks - exempt_chunks
    assert public_vectors < officer_vectors


def test_search_pages_and_filters(corpus):
    first = corpus.get("/search", params={"q": "EHCNA backlog", "k": 5}).json()
    second = corpus.get("/search", params={"q": "EHCNA backlog", "k": 5, "page": 2}).json()
    assert [p["rank"] for p in first["passages"]] == [1, 2, 3, 4, 5]
    assert [p["rank"] for p in second["passages"]] == [6, 7, 8, 9, 10]
    assert not {p["chunk_id"] for p in first["passages"]} & {p["chunk_id"] for p in second["passages"]}
    cabinet = corpus.get("/search", params={"q": "budget", "committee": "Cabinet", "from": "2025-01-01"}).json()
    assert cabinet["passages"] and all(p["document"]["committee"] == "Cabinet" for p in cabinet["passages"])


def test_ask_returns_the_answer_contract_with_citations(corpus):
    response = corpus.post("/ask", json={"question": "How are we doing on SEND 20-week EHCP timeliness?"},
                           headers=OFFICER).json()
    assert response["answered"] and "[1]" in response["answer"] and response["citations"][0]["n"] == 1
    assert {"question", "answered", "answer", "generated", "citations", "passages", "timings_ms"} <= set(response)


@pytest.mark.parametrize(("method", "path", "kwargs", "loc"), [
    ("get", "/search", {"params": {"q": ""}}, ["query", "q"]),
    ("get", "/search", {"params": {"q": " \x1c "}}, ["query", "q"]),
    ("get", "/search", {"params": {"q": "x" * 501}}, ["query", "q"]),
    ("get", "/search", {"params": {"q": "caseloads", "k": 0}}, ["query", "k"]),
    ("get", "/search", {"params": {"q": "caseloads", "k": 51}}, ["query", "k"]),
    ("get", "/search", {"params": {"q": "caseloads", "page": 21}}, ["query", "page"]),
    ("get", "/search", {"params": {"q": "caseloads", "from": "March 2024"}}, ["query", "from"]),
    ("get", "/search", {"params": {"q": "caseloads", "to": "2024-02-30"}}, ["query", "to"]),
    ("get", "/search", {"params": {"q": "caseloads", "from": "2025-01-01", "to": "2024-01-01"}}, ["query", "from"]),
    ("get", "/search", {"params": {"q": "caseloads", "kind": "novel"}}, ["query", "kind"]),
    ("get", "/search", {"params": {"q": "caseloads", "mode": "psychic"}}, ["query", "mode"]),
    ("get", "/search", {"params": {"q": "caseloads", "committee": "Parish Pump"}}, ["query", "committee"]),
    ("get", "/decisions", {"params": {"committee": "Parish Pump"}}, ["query", "committee"]),
    ("get", "/decisions", {"params": {"from": "2025-01-01", "to": "2024-01-01"}}, ["query", "from"]),
    ("get", "/decisions", {"params": {"per_page": 501}}, ["query", "per_page"]),
    ("post", "/ask", {"json": {}}, ["body", "question"]),
    ("post", "/ask", {"json": {"question": "   "}}, ["body", "question"]),
    ("post", "/ask", {"json": {"question": "caseloads", "k": "many"}}, ["body", "k"]),
    ("post", "/ask", {"json": {"question": "caseloads", "k": True}}, ["body", "k"]),
    ("post", "/ask", {"json": {"question": "caseloads", "k": "3"}}, ["body", "k"]),
    ("post", "/ask", {"json": {"question": "caseloads", "date_from": "March 2024"}}, ["body", "date_from"]),
    ("post", "/ask", {"json": {"question": "caseloads", "date_to": 20240101}}, ["body", "date_to"]),
    ("post", "/ask", {"json": {"question": "caseloads", "date_from": "2025-01-01", "date_to": "2024-01-01"}},
     ["body", "date_from"]),
    ("post", "/ask", {"json": {"question": "caseloads", "committee": "Parish Pump"}}, ["body", "committee"]),
    ("post", "/ask", {"json": {"question": "caseloads", "kind": "novel"}}, ["body", "kind"]),
    ("post", "/ask", {"content": b"not json", "headers": {"Content-Type": "application/json"}}, ["body", 0]),
])
def test_bad_input_is_a_422_that_names_what_was_wrong_where_the_client_sent_it(corpus, method, path, kwargs, loc):
    """FastAPI's own 422s and the papers' (an unknown committee, dates the wrong way round) alike: the body's field
    by its name, a query parameter by the name the client used (`from`, not `date_from`), never both mixed up."""
    response = getattr(corpus, method)(path, **kwargs)
    assert response.status_code == 422, response.text
    assert [problem["loc"] for problem in response.json()["detail"]] == [loc]
    assert all(problem["msg"] and problem["type"] for problem in response.json()["detail"])


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "chunked"])
def test_a_body_past_its_limit_is_413_naming_the_limit_with_a_length_or_without(samples, chunked):
    """JSON bodies are held to `PAPERS_BODY_MAX_KB` (1 KB here), counted as they arrive when no length is declared;
    an upload has its own limit (`PAPERS_UPLOAD_MAX_MB`, 1 MB here), larger than the JSON one."""
    client, _ = samples

    def sent(data: bytes) -> bytes | Iterator[bytes]:
        return iter([data[:100], data[100:]]) if chunked else data

    question = b'{"question": "How many approved foster households are there?"' + b" " * 2048 + b"}"
    asked = client.post("/ask", content=sent(question), headers={"Content-Type": "application/json"})
    assert asked.status_code == 413 and "PAPERS_BODY_MAX_KB" in asked.json()["detail"]
    assert ("content-length" in asked.request.headers) != chunked
    for size, status in ((4096, 422), (2 * 1024 * 1024, 413)):  # past the JSON limit, within the upload's; past it
        form = httpx.Request("POST", "/", files={"file": ("blob.pdf", bytes(range(256)) * (size // 256))})
        uploaded = client.post("/documents", content=sent(form.read()), headers=OFFICER | {
            "Content-Type": form.headers["Content-Type"]})
        assert uploaded.status_code == status, uploaded.text
    assert "PAPERS_UPLOAD_MAX_MB" in uploaded.json()["detail"]


@pytest.mark.parametrize(("path", "allowed"), [
    ("/documents", {"GET", "POST"}),
    ("/documents/anything", {"GET", "DELETE"}),
    ("/ask", {"POST"}),
])
def test_a_method_not_allowed_is_a_405_listing_every_method_the_path_allows(corpus, path, allowed):
    response = corpus.put(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_keys_are_checked_401_for_who_are_you_403_for_you_may_not(corpus, samples):
    assert corpus.get("/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert corpus.get("/documents", headers={"Authorization": "Basic b2ZmaWNlcg=="}).status_code == 401
    assert corpus.get("/documents", headers={"Authorization": "Bearer wrong"}).headers["WWW-Authenticate"] == "Bearer"
    client, _ = samples
    paper = {"file": ("note.txt", b"Minutes of a meeting.\n", "text/plain")}
    assert client.post("/documents", files=paper).status_code == 401
    assert client.post("/documents", files=paper, headers=MEMBER).status_code == 403
    assert client.delete("/documents/anything", headers=MEMBER).status_code == 403
    assert client.delete("/documents/anything").status_code == 401


@pytest.mark.parametrize("role", ["public", "member", "officer"])
def test_an_exempt_paper_reaches_members_and_officers_and_never_the_public(corpus, exempt, role):
    headers = ROLES[role]
    sees = role != "public"
    chunk_id = exempt["passages"][0]["id"]
    found = corpus.get("/search", params={"q": EXEMPT_QUESTION, "k": 50}, headers=headers).json()["passages"]
    asked = corpus.post("/ask", json={"question": EXEMPT_QUESTION, "k": 50}, headers=headers).json()
    listed = corpus.get("/documents", headers=headers).json()
    meeting = corpus.get(f"/meetings/{exempt['meeting_id']}", headers=headers)  # its only paper is the exempt one
    reached = {
        "search": any(p["document"]["visibility"] == "exempt" for p in found),
        "ask": any(p["document"]["visibility"] == "exempt" for p in asked["passages"] + asked["citations"]),
        "documents": any(d["id"] == exempt["id"] for d in listed),
        "document": corpus.get(f"/documents/{exempt['id']}", headers=headers).status_code == 200,
        "chunk": corpus.get(f"/chunks/{chunk_id}", headers=headers).status_code == 200,
        "meeting": meeting.status_code == 200 and meeting.json()["documents"] == 1,
        "meetings": any(m["id"] == exempt["meeting_id"] for m in corpus.get("/meetings", headers=headers).json()),
        # Its one decision is its cover's recommendation ("For information and scrutiny").
        "decisions": any(d["document"]["id"] == exempt["id"] for d in corpus.get(
            "/decisions", params={"per_page": 500}, headers=headers).json()),
        "figures": any(f["document"]["id"] == exempt["id"] for f in corpus.get(
            "/figures", params={"per_page": 500}, headers=headers).json()),
        "health": corpus.get("/health", headers=headers).json()["store"]["documents"] == len(
            corpus.get("/documents", params={"per_page": 500}, headers=OFFICER).json()),
    }
    assert reached == dict.fromkeys(reached, sees)
    page = corpus.get("/", params={"q": EXEMPT_QUESTION, "mode": "ask"}).text + corpus.get(
        "/", params={"q": EXEMPT_QUESTION}).text
    assert exempt["id"] not in page and corpus.get(f"/view/{exempt['id']}").status_code == 404


def test_meetings_documents_and_chunks(corpus):
    meetings = corpus.get("/meetings").json()
    pack = next(m for m in meetings if m["date"] == "2024-07-24")
    agenda = corpus.get(f"/meetings/{pack['id']}").json()
    numbers = [item["number"] for item in agenda["items"]]
    assert "8" in numbers and any(item["documents"] for item in agenda["items"])
    document = next(d for item in agenda["items"] for d in item["documents"] if d["chunks"])
    shown = corpus.get(f"/documents/{document['id']}").json()
    assert len(shown["passages"]) == document["chunks"]
    chunk = corpus.get(f"/chunks/{shown['passages'][0]['id']}").json()
    assert chunk["document"]["id"] == document["id"] and chunk["text"]
    for missing in ("/meetings/nope", "/documents/nope", "/chunks/nope"):
        assert corpus.get(missing).status_code == 404
    every = corpus.get("/documents", params={"per_page": 500}).json()
    pages = corpus.get("/documents", params={"per_page": 10}).json() + corpus.get(
        "/documents", params={"per_page": 10, "page": 2}).json()
    assert [d["id"] for d in pages] == [d["id"] for d in every[:20]]
    assert corpus.get("/documents", params={"per_page": 501}).status_code == 422


def test_decisions_newest_first_filtered_and_paged_each_with_its_vote_and_place(corpus):
    every = corpus.get("/decisions", params={"per_page": 500}).json()
    assert [d["date"] for d in every] == sorted((d["date"] for d in every), reverse=True)
    pages = corpus.get("/decisions", params={"per_page": 10}).json() + corpus.get(
        "/decisions", params={"per_page": 10, "page": 2}).json()
    assert [d["id"] for d in pages] == [d["id"] for d in every[:20]]
    deferred = [d for d in every if d["decision"] == "deferred"]
    assert [(d["votes_for"], d["votes_against"], d["section"]) for d in deferred] == [
        (8, 1, "74. Confirmation of Minutes")] * 2
    assert deferred[0]["lines"] and deferred[0]["document"]["kind"] == "minutes"
    cabinet = corpus.get("/decisions", params={"committee": "Cabinet", "from": "2025-01-30", "to": "2025-01-30"})
    adopted = next(d for d in cabinet.json() if "Integrated Care Strategy Delivery Plan" in d["text"])
    assert adopted["pages"] == [15, 16] and adopted["agenda_item"]["number"] == "8"
    assert corpus.get(f"/chunks/{adopted['chunk_id']}").json()["text"].count("RESOLVED that Cabinet agree to:") == 1


def test_an_action_is_one_timeline_across_the_meetings_that_printed_it(corpus):
    every = corpus.get("/actions", params={"per_page": 500}).json()
    hmo = next(a for a in every if "HMOs" in a["text"] and len(a["history"]) > 1)
    assert [(p["date"], p["status"]) for p in hmo["history"]] == [
        ("2022-03-22", "ACTION add to action sheet"), ("2022-05-03", "Action – Officers aware"),
        ("2024-07-24", "Actioned.")]
    assert (hmo["raised"], hmo["status"], hmo["state"]) == ("2022-03-22", "Actioned.", "done")
    assert {p["document"]["path"][:3] for p in hmo["history"]} == {"000", "003"} and all(
        p["lines"] for p in hmo["history"])
    assert corpus.get(f"/actions/{hmo['id']}").json() == hmo
    still_open = corpus.get("/actions", params={"status": "open", "per_page": 500}).json()
    assert still_open and all(a["state"] == "open" for a in still_open) and hmo["id"] not in {a["id"] for a in
                                                                                            still_open}
    latest = [a["history"][-1]["date"] or "" for a in every]
    assert latest == sorted(latest, reverse=True)
    assert corpus.get("/actions/nope").status_code == 404
    assert corpus.get("/actions", params={"status": "late"}).status_code == 422


def test_figures_of_one_measure_come_with_their_periods_targets_and_places(corpus):
    series = corpus.get("/figures", params={"measure": "issued within 20 weeks", "per_page": 500}).json()
    assert series and all("within 20 weeks" in f["measure"].lower() for f in series)
    bcp = {f["period_normalised"]: f for f in series if f["document"]["committee"].startswith("Children")
           and f["period"] == f"{f['period'][:3]}-24"}  # the improvement plan's KPI table, one column a month
    assert [bcp[month]["value"] for month in ("2024-01", "2024-02", "2024-03")] == ["27.9%", "52.9%", "67.1%"]
    assert bcp["2024-03"]["target"] == "95%" and bcp["2024-03"]["lines"] and bcp["2024-03"]["unit"] == "%"
    assert all(f["date"] == (f["document"]["original_date"] or f["document"]["meeting_date"]) for f in series)
    kent = [f for f in series if f["document"]["path"].startswith("uk_kent")]
    assert kent and all(f["pages"] for f in kent)
    assert corpus.get("/figures", params={"measure": "zebracorn"}).json() == []


def test_an_upload_is_ingested_and_indexed_and_a_delete_takes_it_out(samples):
    client, _ = samples
    paper = (b"Planning Committee\nDate: Tuesday, 3 February 2026\n\nMINUTES\n\n1. Beach huts\n"
             b"RESOLVED that the zebracorn beach hut licences be renewed for two years.\n")
    uploaded = client.post("/documents", files={"file": ("minutes.pdf", paper, "application/pdf")}, headers=OFFICER)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["status"] == "ingested" and uploaded.json()["chunks"] >= 1
    hits = client.get("/search", params={"q": "zebracorn beach hut licences"}).json()["passages"]
    assert "zebracorn" in hits[0]["text"] and hits[0]["document"]["path"].endswith(".txt")  # typed by content
    again = client.post("/documents", files={"file": ("again.txt", paper)}, headers=OFFICER)
    assert again.json()["status"] == "unchanged"

    document_id = hits[0]["document"]["id"]
    assert client.delete(f"/documents/{document_id}", headers=OFFICER).status_code == 204
    left = client.get("/search", params={"q": "zebracorn"}).json()["passages"]
    assert all("zebracorn" not in passage["text"] for passage in left)
    assert client.delete(f"/documents/{document_id}", headers=OFFICER).status_code == 404
    for other in client.get("/documents").json():  # the rest of the file (its front sheet, say)
        if other["source_path"] == hits[0]["document"]["path"]:
            assert client.delete(f"/documents/{other['id']}", headers=OFFICER).status_code == 204
    back = client.post("/documents", files={"file": ("minutes.txt", paper)}, headers=OFFICER)
    assert back.json()["status"] == "ingested"  # its file went with its last document, so it can come back


@pytest.mark.parametrize(("name", "data", "status", "says"), [
    ("pack.pdf", b"<!DOCTYPE html><html><body>Error 404</body></html>", 422, "HTML"),
    ("empty.txt", b"", 422, "empty"),
    ("blob.pdf", bytes(range(256)) * 40, 422, "blob.pdf"),
    ("huge.txt", b"a" * (1024 * 1024 + 1), 413, "PAPERS_UPLOAD_MAX_MB"),
])
def test_an_upload_that_is_not_a_paper_is_refused_and_nothing_is_kept(samples, name, data, status, says):
    client, settings = samples
    before = client.get("/health").json()["store"]
    response = client.post("/documents", files={"file": (name, data)}, headers=OFFICER)
    assert response.status_code == status, response.text
    assert says in response.text
    assert client.get("/health").json()["store"] == before
    assert not settings.uploads.exists() or not list(settings.uploads.glob("*"))


@pytest.mark.parametrize("failing", ["index.backend.update_index", "papers.library.Library._open"])
def test_an_upload_that_fails_half_way_leaves_the_store_and_index_as_they_were(samples, monkeypatch, failing):
    """Failing while the index is built, or after the new one was swapped in: either way nothing is kept."""
    client, settings = samples
    store = client.app.state.library.store

    def state() -> tuple:
        return (store.counts(), store.fingerprint(), settings.index_path.resolve(),
                read_manifest(settings.index_path.resolve()))

    before = state()

    def fail(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(failing, fail)
    response = client.post("/documents", headers=OFFICER,
                           files={"file": ("late.txt", b"Minutes\n\n1. Parking\nRESOLVED that charges rise.\n")})
    assert response.status_code == 500 and "nothing was kept" in response.json()["detail"]
    assert state() == before and not list(settings.uploads.glob("*"))
    monkeypatch.undo()
    assert client.get("/search", params={"q": "parking charges"}).status_code == 200


def test_searches_and_questions_in_flight_during_an_upload_and_a_delete_all_succeed(samples):
    client, _ = samples
    statuses: list[int] = []

    def keep_asking(stop: threading.Event) -> None:
        while not stop.is_set():
            statuses.append(client.get("/search", params={"q": "quokka reading scheme", "k": 5}).status_code)
            statuses.append(client.post("/ask", json={"question": "What about the quokka scheme?"}).status_code)

    stop = threading.Event()
    askers = [threading.Thread(target=keep_asking, args=(stop,)) for _ in range(3)]
    for thread in askers:
        thread.start()
    paper = b"Scrutiny Committee\n\nMINUTES\n\n1. Libraries\nRESOLVED that the quokka reading scheme continue.\n"
    uploaded = client.post("/documents", files={"file": ("libraries.txt", paper)}, headers=OFFICER)
    hit = client.get("/search", params={"q": "quokka reading scheme"}).json()["passages"][0]
    during = len(statuses)
    deleted = client.delete(f"/documents/{hit['document']['id']}", headers=OFFICER)
    stop.set()
    for thread in askers:
        thread.join()
    assert uploaded.status_code == 201 and "quokka" in hit["text"] and deleted.status_code == 204
    assert during > 0 and len(statuses) > during and set(statuses) == {200}


def test_an_api_started_over_an_index_behind_the_store_serves_it_at_once_and_catches_up(sample_settings, tmp_path):
    """As after a process died between ingesting a paper and indexing it: the last good index answers at once,
    saying it is behind, while a rebuild in the background brings it up to date."""
    paper = tmp_path / "may-minutes.txt"
    paper.write_text(MAY_MINUTES, encoding="utf-8")
    library = Library(sample_settings)
    assert library.ingest([paper]).count("ingested") == 1
    library.close()
    building = ExitStack()
    building.enter_context(build_lock(sample_settings.index_path))  # another build is running: the catch-up waits
    with building, TestClient(create_app(sample_settings)) as client:
        assert client.get("/health").json()["behind"]
        found = client.get("/search", params={"q": "restorative justice pilot"}).json()["passages"]
        assert found and not any(p["document"]["path"] == paper.name for p in found)
        answer = client.post("/ask", json={"question": "How many approved foster households are there?"}).json()
        assert answer["answered"] and answer["index_behind"]

        building.close()
        deadline = time.monotonic() + 120
        while client.get("/health").json()["behind"]:
            assert time.monotonic() < deadline, "the index was not brought up to date"
            time.sleep(0.2)
        found = client.get("/search", params={"q": "restorative justice pilot"}).json()["passages"]
        assert found[0]["document"]["path"] == paper.name
        assert not client.post("/ask", json={"question": "restorative justice pilot"}).json()["index_behind"]


def test_the_search_page_marks_matches_and_an_answer_links_to_its_passages(samples):
    client, _ = samples
    home = client.get("/")
    assert home.status_code == 200 and 'role="search"' in home.text and '<label for="q">' in home.text
    found = client.get("/", params={"q": "approved foster households"}).text
    assert "<mark>foster</mark>" in found and "/view/" in found
    answer = client.get("/", params={"q": "How many approved foster households are there?", "mode": "ask"}).text
    assert "Sources" in answer and "118" in answer and "#chunk-" in answer
    assert ("Children and Families Scrutiny Committee · 11 March 2026 · item 5 Foster Care Sufficiency Update · "
            "lines 143–153 · committee-pack.txt") in answer  # the citation's one label, the title linked before it
    assert '<option value="action_sheet">Action sheet</option>' in home.text
    link = answer.split('href="/view/')[1].split('"')[0]
    document_id, anchor = link.split("#")
    view = client.get(f"/view/{document_id}").text
    assert f'id="{anchor}"' in view and "Agenda of" in view
    bad = client.get("/", params={"q": "foster", "from": "last week"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    odd = client.get("/", params={"q": "x" * 900, "mode": "psychic", "from": "2024-01-011"})
    assert odd.headers["content-type"].startswith("text/html")  # a person always gets a page, never JSON


def test_openapi_describes_every_model_and_field(corpus):
    schema = corpus.get("/openapi.json").json()
    ours = {name: model for name, model in schema["components"]["schemas"].items() if "ValidationError" not in name}
    undocumented = [f"{name}.{field}" for name, model in ours.items()
                    for field, spec in model.get("properties", {}).items() if "description" not in spec]
    assert not undocumented
    assert corpus.get("/docs").status_code == 200


def test_openapi_gives_every_date_its_format(corpus):
    """Dates asked for (`from`, `to`, `date_from`, `date_to`) and dates answered are described as dates."""
    schema = corpus.get("/openapi.json").json()
    models = schema["components"]["schemas"]

    def formats(spec: dict) -> set[str | None]:
        return {choice.get("format") for choice in spec.get("anyOf", [spec]) if choice.get("type") != "null"}

    search, decisions = ({parameter["name"]: parameter["schema"] for parameter in schema["paths"][path]["get"][
        "parameters"]} for path in ("/search", "/decisions"))
    dates = [search["from"], search["to"], models["AskRequest"]["properties"]["date_from"],
             models["AskRequest"]["properties"]["date_to"], models["DocumentSummary"]["properties"]["meeting_date"],
             models["Document"]["properties"]["meeting_date"], models["Document"]["properties"]["original_date"],
             models["MeetingSummary"]["properties"]["date"], models["Meeting"]["properties"]["date"],
             models["DocumentRef"]["properties"]["meeting_date"], models["DocumentRef"]["properties"]["original_date"],
             decisions["from"], decisions["to"], models["Decision"]["properties"]["date"]]
    assert [formats(spec) for spec in dates] == [{"date"}] * len(dates)


def test_health_tells_each_synced_sites_last_successful_sync(samples, httpserver):
    client, settings = samples
    assert client.get("/health").json()["sources"] == {}
    site = moderngov_fake.serve_moderngov(httpserver, shared_path("corpus", "pdf"))
    library = client.app.state.library
    with Fetcher(Politeness("council-papers-tests", rate=0)) as fetcher:
        source = Source.of("moderngov", site.base, ("Corporate Parenting Panel",))
        Syncer(library.store, library.reading, settings.synced, fetcher).run(
            ModernGov(site.base, fetcher), source, Window(date(2024, 10, 1), date(2024, 10, 31)))
    synced = client.get("/health").json()["sources"]
    assert list(synced) == [source.id] and synced[source.id].startswith(str(date.today().year))
