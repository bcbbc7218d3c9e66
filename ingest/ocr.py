"""Pages without a text layer read by OCR: rendered with pdfium, recognised with RapidOCR, offline.

Why rapidocr-onnxruntime (1.4): its PP-OCRv4 detection, angle and recognition models (about 16 MB of ONNX) are
inside the wheel, so nothing is fetched at run time, and it runs on onnxruntime alone. The others on the package
index fetch their weights when first used (rapidocr 3.x, easyocr, paddleocr, python-doctr, onnxtr, surya) or need
Tesseract and its language data installed outside Python (pytesseract, tesserocr, ocrmypdf). Its models are the
Chinese-and-English ones: English reads well, though words printed close together can lose their space, more
often at some render sizes than others (measured on the Omaha scan: `LONG_SIDE` below).

A page is rendered upright (pdfium applies the page's /Rotate), recognised in a pool of worker processes, and its
text boxes cached by the hash of the rendered image and the engine, so a file read again costs nothing. The boxes
are put back into lines in reading order here (`lines_in_order`), each line with the recogniser's confidence.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import json
import multiprocessing
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from statistics import median

from ingest.errors import IngestError

# The rendered page's longer side, in pixels. Measured on page 1 of the Omaha scan against a hand transcription
# (words matched / words printed): 0.62 at 1584 px (pdfium scale 2: the recogniser ran words together and lost a
# line), 0.94 at 1980; the detector works on at most 2000 px, so a larger render is only shrunk again.
LONG_SIDE = 1980
# A line read with less confidence than this is kept but counted as uncertain (the recogniser's mean character
# probability). On the Omaha scan's printed lines it is 0.95 to 1.0; the stamps, signatures and handwriting it
# reads as junk ("GIIY CIERA", "&ot20") score 0.6 to 0.91.
LOW_CONFIDENCE = 0.92
MISSED_LINE = (0.8, 1.6)  # a gap between lines this many line heights tall may hold a line the detector missed
TAB_GAP = 1.5  # boxes further apart than this many line heights are cells of a table: joined by a tab

Progress = Callable[[int, int], None]  # (pages added to the work, pages done)


@dataclass(frozen=True)
class Ocr:
    """How pages without a text layer are read: whether at all, in how many processes, for how long a file at
    most, and where the recognised pages are cached (None: not cached)."""

    enabled: bool = True
    workers: int = 1
    timeout_s: float = 600.0
    cache: Path | None = None


@dataclass(frozen=True)
class Box:
    """One box of text as the recogniser found it, in the rendered page's pixels."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class OcrLine:
    """A line of a scanned page: its boxes left to right, and their confidence (mean over characters)."""

    text: str
    confidence: float


def engine() -> str:
    """What produced a page's boxes: part of each page's cache key."""
    versions = (importlib.metadata.version(name) for name in ("rapidocr-onnxruntime", "pypdfium2"))
    return "rapidocr-onnxruntime {} pypdfium2 {} long side {} missed lines {}".format(*versions, LONG_SIDE,
                                                                                      MISSED_LINE)


def read_pages(path: str, data: bytes, numbers: list[int], ocr: Ocr, password: str = "",
               progress: Progress | None = None) -> dict[int, list[OcrLine]]:
    """The lines of the pages numbered (from 1), read by OCR: each page from the cache or the workers. Past
    `ocr.timeout_s` the workers are stopped and IngestError names the file; pages read by then stay cached."""
    import pypdfium2

    deadline = time.monotonic() + ocr.timeout_s
    cache = OcrCache(ocr.cache) if ocr.cache else None
    found: dict[int, tuple[float, list[Box]]] = {}
    pending: deque[tuple[int, str, float, AsyncResult]] = deque()
    if progress:
        progress(len(numbers), 0)
    pdf = pypdfium2.PdfDocument(data, password=password or None)
    try:
        for number in numbers:
            pixels = render(pdf[number - 1])
            key = page_key(pixels)
            cached = cache.get(key) if cache else None
            if cached is not None:
                found[number] = cached
                if progress:
                    progress(0, 1)
                continue
            while len(pending) >= 2 * ocr.workers:  # a few rendered pages waiting, not a whole file's
                _collect(pending.popleft(), found, cache, deadline, progress)
            pending.append((number, key, pixels.shape[1], _workers(ocr.workers).apply_async(recognise, (pixels,))))
        while pending:
            _collect(pending.popleft(), found, cache, deadline, progress)
    except multiprocessing.TimeoutError:
        stop_workers()
        done = len(found)
        raise IngestError(path, f"OCR did not finish within {ocr.timeout_s:g} s (PAPERS_OCR_TIMEOUT_S): {done} of "
                                f"{len(numbers)} scanned pages read, kept for the next run") from None
    finally:
        pdf.close()
        if cache:
            cache.close()
    return {number: lines_in_order(boxes, width) for number, (width, boxes) in sorted(found.items())}


def _collect(job: tuple[int, str, float, AsyncResult], found: dict[int, tuple[float, list[Box]]],
             cache: OcrCache | None, deadline: float, progress: Progress | None) -> None:
    number, key, width, result = job
    boxes = result.get(timeout=max(0.0, deadline - time.monotonic()))
    found[number] = (width, boxes)
    if cache:
        cache.put(key, width, boxes)
    if progress:
        progress(0, 1)


def render(page) -> object:
    """The page upright (pdfium applies /Rotate) in grey, its longer side `LONG_SIDE` pixels, as a numpy array."""
    import numpy

    width, height = page.get_size()
    return numpy.asarray(page.render(scale=LONG_SIDE / max(width, height), grayscale=True).to_pil())


def page_key(pixels) -> str:
    """The page's cache key: its rendered image and the engine that reads it."""
    digest = hashlib.sha256(engine().encode())
    digest.update(repr(pixels.shape).encode())
    digest.update(pixels.tobytes())
    return digest.hexdigest()


# The workers: one RapidOCR each, loaded once per process; pages are recognised in parallel across processes.
_engine = None
_pool: Pool | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _start_engine() -> None:
    global _engine
    from rapidocr_onnxruntime import RapidOCR

    # One thread a worker: the pool is the parallelism. Lines recognised one at a time, not six padded to the
    # longest: 4.8 s against 7.4 s for a dense page's 42 lines (the engine allocates afresh for each new shape).
    _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=1)


def recognise(pixels) -> list[Box]:
    """The text boxes of one rendered page (in a worker; loads the engine on first use elsewhere)."""
    if _engine is None:
        _start_engine()
    result, _ = _engine(pixels)
    boxes = []
    for points, text, confidence in result or []:
        xs, ys = [point[0] for point in points], [point[1] for point in points]
        if text.strip():
            boxes.append(Box(text.strip(), round(float(confidence), 4), min(xs), min(ys), max(xs), max(ys)))
    return boxes + missed_lines(pixels, boxes)


def missed_lines(pixels, boxes: list[Box]) -> list[Box]:
    """Lines the detector passed over: a band between two lines of text, a line's height tall, read by the
    recogniser alone and kept when it reads with confidence (a blank band reads as junk, under LOW_CONFIDENCE).
    Measured on the shared corpus's 51 scanned pages: 311 such bands, 14 printed lines recovered (a resolution's
    "province amend Ontario Regulation 391/21…" among them), about 0.13 s a band."""
    if len(boxes) < 2:
        return []
    height = median(box.height for box in boxes)
    found = []
    for above, below in pairwise(rows(boxes)):
        top, bottom = max(box.y1 for box in above), min(box.y0 for box in below)
        if not MISSED_LINE[0] * height <= bottom - top <= MISSED_LINE[1] * height:
            continue
        left, end = min(box.x0 for box in above + below), max(box.x1 for box in above + below)
        right = max(box.x1 for box in boxes if box.x0 < end)  # as far as the column goes, not into the next
        result, _ = _engine(pixels[int(top):int(bottom) + 1, int(left):int(right) + 1],
                            use_det=False, use_cls=False, use_rec=True)
        text, confidence = result[0] if result else ("", 0.0)
        if confidence >= LOW_CONFIDENCE and len(text.split()) >= 2:
            found.append(Box(text.strip(), round(float(confidence), 4), left, top, right, bottom))
    return found


def _workers(size: int) -> Pool:
    """The worker pool, started on first use and kept for the process's life (each worker loads the models once).
    Spawned, not forked: the process may hold threads (a server's) and a loaded model that fork would copy badly."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.terminate()
            _pool = multiprocessing.get_context("spawn").Pool(max(1, size), initializer=_start_engine)
            _pool_size = size
        return _pool


def stop_workers() -> None:
    """Stop the workers, whatever they are doing (after a timeout, and at exit); the next page starts new ones."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.terminate()
            _pool.join()
            _pool = None


atexit.register(stop_workers)


class OcrCache:
    """Recognised pages by key (`page_key`), in SQLite: a page read once is never read again by the same engine."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, width REAL NOT NULL, "
                        "boxes TEXT NOT NULL)")

    def get(self, key: str) -> tuple[float, list[Box]] | None:
        row = self.db.execute("SELECT width, boxes FROM pages WHERE key = ?", (key,)).fetchone()
        return None if row is None else (row[0], [Box(*box) for box in json.loads(row[1])])

    def put(self, key: str, width: float, boxes: list[Box]) -> None:
        rows = [[b.text, b.confidence, b.x0, b.y0, b.x1, b.y1] for b in boxes]
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (key, width, json.dumps(rows)))

    def close(self) -> None:
        self.db.close()


def lines_in_order(boxes: list[Box], width: float) -> list[OcrLine]:
    """A page's boxes as lines in reading order: top to bottom, left to right, and a stretch printed in two
    columns down the left column first, then the right."""
    lines: list[OcrLine] = []
    for block in blocks(boxes, width):
        lines += [_line(row) for row in rows(block)]
    return lines


def rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines: a box belongs to the line above when their heights overlap by half the smaller;
    each line's boxes from left to right."""
    found: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        row = found[-1] if found else None
        if row:
            top, bottom = median(b.y0 for b in row), median(b.y1 for b in row)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap >= 0.5 * min(bottom - top, box.height):
                row.append(box)
                continue
        found.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in found]


def _line(row: list[Box]) -> OcrLine:
    height = median(box.height for box in row)
    text = row[0].text
    for before, box in pairwise(row):
        text += ("\t" if box.x0 - before.x1 > TAB_GAP * height else " ") + box.text
    characters = sum(len(box.text) for box in row)
    confidence = sum(box.confidence * len(box.text) for box in row) / characters
    return OcrLine(text, round(confidence, 4))


def blocks(boxes: list[Box], width: float) -> list[list[Box]]:
    """The page cut into blocks read one after another: where the text runs in two columns (a gutter in the
    middle third of the page that no box crosses, prose-wide lines on both sides of it), the left column's boxes
    then the right's; boxes crossing the gutter (a heading, a table's wide row) keep their place between."""
    gutter = _gutter(boxes, width)
    if gutter is None:
        return [boxes]
    found: list[tuple[bool, list[Box]]] = []  # (a column, its boxes)
    left: list[Box] = []
    right: list[Box] = []

    def flush() -> None:
        if _is_prose(left, gutter, True) and _is_prose(right, gutter, False):
            found.extend([(True, left[:]), (True, right[:])])
        else:
            found.append((False, left + right))
        left.clear()
        right.clear()

    for box in sorted(boxes, key=lambda b: b.y0):
        if box.x0 < gutter < box.x1:
            flush()
            found.append((False, [box]))
        else:
            (left if box.x1 <= gutter else right).append(box)
    flush()
    merged: list[tuple[bool, list[Box]]] = []  # what is not in columns read as one, its lines grouped by height
    for column, block in found:
        if merged and not column and not merged[-1][0]:
            merged[-1][1].extend(block)
        elif block:
            merged.append((column, block))
    return [block for _, block in merged]


def _gutter(boxes: list[Box], width: float) -> float | None:
    """The middle of the widest strip of the page's middle third that no box narrower than half the page
    crosses, or None when every such strip is crossed."""
    steps = 120
    crossed = [False] * steps
    for box in boxes:
        if box.x1 - box.x0 < width / 2:
            for step in range(max(0, int(box.x0 / width * steps)), min(steps, int(box.x1 / width * steps) + 1)):
                crossed[step] = True
    best: tuple[int, int] | None = None
    start = None
    for step in range(steps // 3, 2 * steps // 3 + 1):
        free = step < 2 * steps // 3 and not crossed[step]
        if free and start is None:
            start = step
        elif not free and start is not None:
            if best is None or step - start > best[1] - best[0]:
                best = (start, step)
            start = None
    return None if best is None else (best[0] + best[1]) / 2 / steps * width


def _is_prose(boxes: list[Box], gutter: float, left: bool) -> bool:
    """One side of the gutter reads as a column of prose: three lines or more, most boxes filling the column."""
    if len(rows(boxes)) < 3:
        return False
    edge = min(b.x0 for b in boxes) if left else max(b.x1 for b in boxes)
    span = abs(gutter - edge)
    return span > 0 and median(b.x1 - b.x0 for b in boxes) >= 0.6 * span

