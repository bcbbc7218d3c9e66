"""The Qdrant engine: the same search as the embedded one, in a Qdrant collection that any number of processes
and machines can share.

A chunk is one point. BM25 is a sparse vector whose values are each term's tf part, tf / (tf + k1 (1 - b + b dl /
avgdl)), with the collection's IDF modifier supplying the idf at query time from live document frequencies, so
adding a document never rewrites the others (avgdl is fixed when the collection is built). Its idf is Lucene's, as
the embedded engine's is, so both score a chunk alike. The chunk's windows are
one dense multivector compared by MAX_SIM: with one query vector that is its best window's cosine, the embedded
engine's rule. Filters are payload conditions applied inside the search. Terms are hashed to 32-bit ids, so no
vocabulary is shared between writers.

`rrf` fusion runs in Qdrant (the Query API's prefetch and RRF); `weighted` has no server form (Qdrant fuses by rank
or by a normalisation of its own, DBSF), so both rankings come back in one batch request and are fused here, as the
embedded engine does.

A rebuild (first build, another model, window size or schema) fills a new collection and moves the alias to it in
one call; an update upserts the changed documents' points before deleting their old ones, so no reader ever finds
a document missing. The previous collection is kept for readers that resolved the alias before the swap.
"""

from __future__ import annotations

import functools
import hashlib
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ApiException

from index.backend import OpenIndex, Progress
from index.build import BuildReport, Wanted
from index.embedding import Embedder
from index.entries import Entry
from index.errors import BadQuery, IndexProblem
from index.filters import Filter, day_number
from index.fusion import Fused, Fusion, fused_here
from index.glossary import Glossary
from index.interface import Scored
from index.lexical import EXPANSION_WEIGHT, K1, B
from index.search import Searcher
from index.storage import build_lock, builder_version
from index.tokens import tokenize
from ingest.store import Store

SPARSE = "bm25"
DENSE = "dense"
KEYWORDS = ("document_id", "committee", "kind", "item", "visibility", "terms")
SCHEMA_FILES = ("tokens.py", "lexical.py", "entries.py", "units.py", "glossary.py", "qdrant.py")
BATCH = 256  # points per upsert request
T = TypeVar("T")
POINTS = uuid.UUID("6f1d3a52-8c1e-4b7a-9d55-2f0c1e7a9b40")  # namespace of the point ids made from chunk ids


def connect(url: str, api_key: str, folder: Path) -> QdrantClient:
    """A client for the server at `url`; with no url, Qdrant's local mode on files in `folder` (one process at a
    time, every search exact: for trying the backend and for tests); `:memory:` keeps it in this process."""
    if url == ":memory:":
        return QdrantClient(location=":memory:")
    if not url:
        try:
            return QdrantClient(path=str(folder))
        except RuntimeError as error:  # its lock: another process has the folder open
            raise IndexProblem(f"{folder} is open in another process, and Qdrant's local mode serves one at a time: "
                               "stop that process, or run a Qdrant server and set PAPERS_QDRANT_URL") from error
    return QdrantClient(url=url, api_key=api_key or None, timeout=60)


def reaching(method: Callable[..., T]) -> Callable[..., T]:
    """A method whose failure to reach Qdrant (refused, timed out, refused the key) is an `IndexProblem`: the CLI
    says it and the API answers 503, naming the settings to check."""

    @functools.wraps(method)
    def reached(self, *args, **kwargs) -> T:
        try:
            return method(self, *args, **kwargs)
        except ApiException as error:
            raise IndexProblem(f"Qdrant did not answer as it should ({error}): check PAPERS_QDRANT_URL and "
                               "PAPERS_QDRANT_API_KEY") from error

    return reached


def term_id(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")


def _sparse(weights: dict[str, float]) -> models.SparseVector:
    summed: dict[int, float] = {}
    for token, weight in weights.items():  # two terms that hash alike share one id
        summed[term_id(token)] = summed.get(term_id(token), 0.0) + weight
    return models.SparseVector(indices=list(summed), values=list(summed.values()))


def document_vector(tokens: list[str], average_length: float) -> models.SparseVector:
    """BM25's tf part of each term of a chunk; the engine multiplies in the idf."""
    norm = K1 * ((1 - B) + B * len(tokens) / average_length)
    return _sparse({token: tf / (tf + norm) for token, tf in Counter(tokens).items()})


def query_vector(query: str, expansion: str) -> models.SparseVector:
    """Each query term as often as it is written, expansion terms at the embedded engine's weight."""
    weights: dict[str, float] = Counter(tokenize(query))
    for token in tokenize(expansion):
        weights[token] = weights.get(token, 0.0) + EXPANSION_WEIGHT
    return _sparse(weights)


def point_id(chunk_id: str) -> str:
    return str(uuid.uuid5(POINTS, chunk_id))


def _match(key: str, values: Sequence[str]) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchAny(any=list(values)))


def create_collection(client: QdrantClient, name: str, dimension: int, shards: int = 1, replicas: int = 1) -> None:
    """An empty collection: MiniLM windows as a MAX_SIM multivector, BM25 as a sparse vector with the IDF modifier,
    and payload indexes on every field a filter or an update reads."""
    client.create_collection(
        name, shard_number=shards, replication_factor=replicas,
        vectors_config={DENSE: models.VectorParams(
            size=dimension, distance=models.Distance.COSINE,
            multivector_config=models.MultiVectorConfig(comparator=models.MultiVectorComparator.MAX_SIM))},
        sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)})
    with warnings.catch_warnings():  # local mode says it has no use for them; a server needs them
        warnings.filterwarnings("ignore", "Payload indexes have no effect", UserWarning)
        for key in KEYWORDS:
            client.create_payload_index(name, key, models.PayloadSchemaType.KEYWORD)
        client.create_payload_index(name, "day", models.PayloadSchemaType.INTEGER)


class QdrantIndex:
    """A `SearchIndex` over one collection (resolved from the alias when opened, so a swap never changes it under a
    reader)."""

    def __init__(self, client: QdrantClient, collection: str, embedder: Embedder, average_length: float) -> None:
        self.client = client
        self.collection = collection
        self.embedder = embedder
        self.average_length = average_length
        self.on_embedded: Callable[[int], None] | None = None
        self._values: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        self._sizes: dict[Filter, tuple[int, int]] = {}
        self._holding: dict[str, int] = {}  # chunks holding each term asked about
        self._total: int | None = None

    @reaching
    def __len__(self) -> int:
        return self.client.count(self.collection, exact=True).count

    def add(self, entries: Sequence[Entry]) -> None:
        texts = [text for entry in entries for text in entry.dense_texts]
        self.add_embedded(entries, self.embedder.embed(texts, self.on_embedded))

    def add_embedded(self, entries: Sequence[Entry], vectors: np.ndarray) -> None:
        """Upsert entries whose vectors (one per dense text, in order) are already known."""
        ends = np.cumsum([len(entry.dense_texts) for entry in entries])
        points = [self._point(entry, vectors[end - len(entry.dense_texts):end])
                  for entry, end in zip(entries, ends, strict=True)]
        for start in range(0, len(points), BATCH):
            self.client.upsert(self.collection, points[start:start + BATCH], wait=True)

    def _point(self, entry: Entry, windows: np.ndarray) -> models.PointStruct:
        tokens = tokenize(entry.lexical_text)
        payload = {"chunk_id": entry.chunk_id, "document_id": entry.document_id, "digest": entry.digest,
                   "committee": entry.committee, "kind": entry.kind, "item": entry.item,
                   "visibility": entry.visibility, "terms": sorted(set(tokens)), "vectors": len(windows)}
        if entry.meeting_date:
            payload["day"] = day_number(entry.meeting_date)
        vector = {DENSE: windows.tolist()}
        if tokens:
            vector[SPARSE] = document_vector(tokens, self.average_length)
        return models.PointStruct(id=point_id(entry.chunk_id), vector=vector, payload=payload)

    def delete_document(self, document_id: str) -> None:
        self.delete_stale([document_id], keep=[])

    def delete_stale(self, document_ids: Sequence[str], keep: Sequence[str]) -> None:
        """Delete the documents' points but those of the chunks `keep` names (just upserted anew)."""
        if not document_ids:
            return
        stale = models.Filter(must=[_match("document_id", document_ids)],
                              must_not=[models.HasIdCondition(has_id=[point_id(chunk) for chunk in keep])])
        self.client.delete(self.collection, models.FilterSelector(filter=stale), wait=True)

    def held(self) -> Iterator[tuple[str, str]]:
        """(document, digest) of every point, for an update to compare with the store."""
        return ((payload["document_id"], payload["digest"]) for payload in self._payloads(["document_id", "digest"]))

    def _payloads(self, fields: list[str], where: models.Filter | None = None) -> Iterator[dict]:
        """These payload fields of every point the filter allows, a page of scrolling at a time."""
        offset = None
        while True:
            points, offset = self.client.scroll(self.collection, scroll_filter=where, limit=10_000, offset=offset,
                                                with_payload=fields, with_vectors=False)
            yield from (point.payload for point in points)
            if offset is None:
                return

    def condition(self, where: Filter) -> models.Filter | None:
        """The filter as payload conditions; a committee or kind no chunk the caller may see has is an error naming
        the parameter (and only names the caller may see are listed), as in the embedded engine."""
        if where.is_open:
            return None
        must = [_match("visibility", where.visibility)]
        if where.committee:
            wanted = where.committee.casefold()
            names = [name for name in self.values("committee", where.visibility) if wanted in name.casefold()]
            if not names:
                raise BadQuery("committee", f"no committee's name contains {where.committee!r}")
            must.append(_match("committee", names))
        if where.date_from or where.date_to:
            must.append(models.FieldCondition(key="day", range=models.Range(
                gte=day_number(where.date_from) if where.date_from else None,
                lte=day_number(where.date_to) if where.date_to else None)))
        if where.kind:
            kinds = self.values("kind", where.visibility)
            if where.kind not in kinds:
                raise BadQuery("kind", f"{where.kind!r} is not one of {', '.join(kinds)}")
            must.append(_match("kind", [where.kind]))
        if where.item:
            must.append(_match("item", [where.item]))
        return models.Filter(must=must)

    def values(self, key: str, visibility: tuple[str, ...]) -> list[str]:
        """The distinct values of a payload field among the chunks of these visibilities (a facet count)."""
        known = self._values.get((key, visibility))
        if known is None:
            facet = self.client.facet(self.collection, key=key, limit=100_000,
                                      facet_filter=models.Filter(must=[_match("visibility", visibility)]))
            known = self._values[(key, visibility)] = sorted(str(hit.value) for hit in facet.hits)
        return known

    def _request(self, retriever: str, query: str, expansion: str, limit: int,
                 where: models.Filter | None) -> models.QueryRequest | None:
        if retriever == SPARSE:
            vector = query_vector(query, expansion)
            if not vector.indices:
                return None
            return models.QueryRequest(query=vector, using=SPARSE, limit=limit, filter=where,
                                       with_payload=["chunk_id"])
        return models.QueryRequest(query=[self.embedder.query(query).tolist()], using=DENSE, limit=limit,
                                   filter=where, with_payload=["chunk_id"])

    def _ranked(self, requests: list[models.QueryRequest | None]) -> list[list[Scored]]:
        asked = [request for request in requests if request is not None]
        answers = iter(self.client.query_batch_points(self.collection, asked) if asked else [])
        return [[] if request is None else
                [Scored(point.payload["chunk_id"], point.score) for point in next(answers).points]
                for request in requests]

    @reaching
    def lexical(self, query: str, k: int, where: Filter, expansion: str = "") -> list[Scored]:
        return self._ranked([self._request(SPARSE, query, expansion, k, self.condition(where))])[0]

    @reaching
    def dense(self, query: str, k: int, where: Filter) -> list[Scored]:
        return self._ranked([self._request(DENSE, query, "", k, self.condition(where))])[0]

    @reaching
    def hybrid(self, query: str, depth: int, where: Filter, expansion: str, fusion: Fusion) -> Fused:
        condition = self.condition(where)
        requests = [self._request(SPARSE, query, expansion, depth, condition),
                    self._request(DENSE, query, "", depth, condition)]
        if fusion.name != "rrf":
            lexical, dense = self._ranked(requests)
            return fused_here({"bm25": lexical, "dense": dense}, fusion)
        prefetch = [models.Prefetch(query=request.query, using=request.using, limit=depth, filter=condition)
                    for request in requests if request is not None]
        # Qdrant gives first place 1/k, where Cormack et al. (and `fusion.rrf`) give it 1/(k + 1)
        points = self.client.query_points(self.collection, prefetch=prefetch, limit=depth, query_filter=condition,
                                          query=models.RrfQuery(rrf=models.Rrf(k=fusion.rrf_k + 1)),
                                          with_payload=["chunk_id"]).points
        return Fused([Scored(point.payload["chunk_id"], point.score) for point in points])

    @reaching
    def rarity(self, terms: list[str]) -> dict[str, float]:
        """Lucene's idf of each term, from how many chunks hold it (the `terms` payload, indexed), each term counted
        once per opened index."""
        if self._total is None:
            self._total = len(self)
        weights = {}
        for term in terms:
            if term not in self._holding:
                holding = models.Filter(must=[models.FieldCondition(key="terms", match=models.MatchValue(value=term))])
                self._holding[term] = self.client.count(self.collection, count_filter=holding, exact=True).count
            count = self._holding[term]
            weights[term] = float(np.log(1 + (self._total - count + 0.5) / (count + 0.5)))
        return weights

    @reaching
    def size(self, where: Filter) -> tuple[int, int]:
        """Chunks and vectors the filter allows, counted once per opened index (vectors by reading each chunk's
        count: Qdrant sums nothing)."""
        known = self._sizes.get(where)
        if known is None:
            counts = [payload["vectors"] for payload in self._payloads(["vectors"], self.condition(where))]
            known = self._sizes[where] = (len(counts), sum(counts))
        return known


class QdrantBackend:
    """Chunks in a Qdrant collection behind an alias (`PAPERS_QDRANT_COLLECTION`)."""

    name = "qdrant"

    def __init__(self, client: QdrantClient, alias: str, fusion: Fusion, embedder: Embedder, window_words: int,
                 lock: Path, shards: int = 1, replicas: int = 1) -> None:
        self.client = client
        self.alias = alias
        self.fusion = fusion
        self.embedder = embedder
        self.window_words = window_words
        self.lock = lock  # serialises this machine's writers; writers on several machines must take turns
        self.shards = shards
        self.replicas = replicas

    def current(self) -> str | None:
        """The collection the alias points at now."""
        return next((alias.collection_name for alias in self.client.get_aliases().aliases
                     if alias.alias_name == self.alias), None)

    def _metadata(self, collection: str) -> dict:
        return self.client.get_collection(collection).config.metadata or {}

    def _mismatch(self, metadata: dict) -> str | None:
        """Why a collection cannot be searched with these settings, or None."""
        if metadata.get("schema") != builder_version(SCHEMA_FILES):
            return "was built by another version of the indexer"
        if metadata.get("model") != self.embedder.name or metadata.get("window_words") != self.window_words:
            return (f"was built with model {metadata.get('model')} and {metadata.get('window_words')}-word windows; "
                    f"the settings ask for {self.embedder.name} and {self.window_words}")
        return None

    @reaching
    def update(self, store: Store, on_start: Progress | None = None,
               on_embedded: Progress | None = None) -> BuildReport:
        with build_lock(self.lock):
            return self._update(store, on_start, on_embedded)

    def _update(self, store: Store, on_start: Progress | None, on_embedded: Progress | None) -> BuildReport:
        started = time.perf_counter()
        wanted = Wanted.read(store, self.window_words)
        current = self.current()
        metadata = self._metadata(current) if current else {}
        rebuild = current is None or self._mismatch(metadata) is not None
        if rebuild:
            lengths = [len(tokenize(entry.lexical_text)) for entries in wanted.documents.values() for entry in entries]
            metadata = {"average_length": max(1.0, float(np.mean(lengths)))}
        target = f"{self.alias}-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}" if rebuild else current
        index = QdrantIndex(self.client, target, self.embedder, metadata["average_length"])
        stale, fresh = wanted.changes([] if rebuild else index.held())
        additions = [entry for doc in fresh for entry in wanted.documents[doc]]
        unit_texts = wanted.answer_texts(fresh)
        if on_start:
            on_start(sum(len(entry.dense_texts) for entry in additions) + len(unit_texts))
        embedded_before = self.embedder.computed
        vectors = self.embedder.embed([text for entry in additions for text in entry.dense_texts], on_embedded)
        if rebuild:
            create_collection(self.client, target, vectors.shape[1], self.shards, self.replicas)
        index.add_embedded(additions, vectors)
        index.delete_stale(sorted(stale), keep=[entry.chunk_id for entry in additions])
        self.embedder.embed(unit_texts, on_progress=on_embedded)  # into the cache, so answering never waits
        glossary = wanted.glossary()
        self.client.update_collection(target, metadata=metadata | {
            "schema": builder_version(SCHEMA_FILES), "model": self.embedder.name, "window_words": self.window_words,
            "fingerprint": wanted.fingerprint, "glossary": glossary.definitions,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds")})
        if rebuild:
            self._point_alias(target, keep=current)
        held = [entry for entries in wanted.documents.values() for entry in entries]  # what the collection now holds
        return BuildReport(
            chunks=len(held), vectors=sum(len(entry.dense_texts) for entry in held), documents_indexed=len(fresh),
            documents_removed=sum(doc not in wanted.documents for doc in stale),
            embedded=self.embedder.computed - embedded_before, acronyms=len(glossary.definitions),
            dense="qdrant", seconds=time.perf_counter() - started, location=f"Qdrant collection {target}")

    def _point_alias(self, collection: str, keep: str | None) -> None:
        """Move the alias to `collection` in one operation; drop older builds but `keep` (the one just replaced,
        for readers that resolved the alias before the swap)."""
        operations: list = [models.CreateAliasOperation(create_alias=models.CreateAlias(
            collection_name=collection, alias_name=self.alias))]
        if self.current() is not None:
            operations.insert(0, models.DeleteAliasOperation(delete_alias=models.DeleteAlias(alias_name=self.alias)))
        self.client.update_collection_aliases(operations)
        for old in _builds(self.client, self.alias):
            if old not in (collection, keep):
                self.client.delete_collection(old)

    @reaching
    def open(self, store: Store) -> OpenIndex:
        current = self.current()
        if current is None:
            raise IndexProblem(f"No Qdrant collection behind the alias {self.alias!r}: run `papers index` to build it")
        metadata = self._metadata(current)
        mismatch = self._mismatch(metadata)
        if mismatch:
            raise IndexProblem(f"The Qdrant collection {current} {mismatch}: run `papers index`")
        index = QdrantIndex(self.client, current, self.embedder, metadata["average_length"])
        return OpenIndex(Searcher(index, self.fusion, Glossary(metadata["glossary"])),
                         metadata["fingerprint"] != store.fingerprint())

    @reaching
    def checkpoint(self) -> str | None:
        return self.current()

    @reaching
    def restore(self, checkpoint: object) -> None:
        """Point the alias back at the collection that was current. An update made in place is not undone: its
        chunks the store no longer holds are never shown (every hit is read through the store), and the index
        reads as behind the store until the next update."""
        if isinstance(checkpoint, str) and checkpoint != self.current() and checkpoint in _builds(self.client,
                                                                                                  self.alias):
            self._point_alias(checkpoint, keep=None)


def _builds(client: QdrantClient, alias: str) -> Iterable[str]:
    return [collection.name for collection in client.get_collections().collections
            if collection.name.startswith(f"{alias}-")]
