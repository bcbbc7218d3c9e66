"""Optional: the extractive answer rewritten as prose by a chat model behind an OpenAI-compatible endpoint.

Off unless `PAPERS_LLM_BASE_URL` is set (a council may host its own model; `papers/backends.py` builds it). The
model sees only the passages the extractive answer cites, numbered as its citations are, and must put their
markers after its claims. What it writes is shown only if it checks out: at least one marker, every marker a real
citation, and every figure, date and status word in a cited passage. Otherwise, or when the endpoint fails, the
extractive answer stands.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from retrieval.compose import source_label
from retrieval.contract import Citation
from retrieval.grounding import MARKER, unsupported

SYSTEM = (
    "You answer councillors' questions about committee papers using only the numbered passages given. "
    "Write a short answer in plain sentences. Put the passage's number in square brackets, like [1], after every "
    "claim. Copy figures, dates and status words exactly as the passages write them. If the passages do not "
    "answer the question, say: The papers do not answer this question."
)


class Generator(Protocol):
    """A language model that rewrites an extractive answer from its citations; None keeps the extractive one."""

    def rewrite(self, question: str, citations: list[Citation]) -> str | None: ...


@dataclass(frozen=True)
class ChatCompletions:
    """An OpenAI-compatible `/chat/completions` endpoint: OpenAI, a council's own vLLM, llama.cpp or Ollama server."""

    base_url: str
    model: str
    api_key: str
    timeout_s: float

    def rewrite(self, question: str, citations: list[Citation]) -> str | None:
        """The model's answer when it checks out against the citations; None to keep the extractive one."""
        try:
            answer = self._complete(question, citations)
        except (OSError, ValueError, KeyError, IndexError, TypeError):  # down, slow, or not OpenAI-shaped
            return None
        return answer if checks_out(answer, citations) else None

    def _complete(self, question: str, citations: list[Citation]) -> str:
        passages = "\n\n".join(f"[{c.n}] {source_label(c).short}:\n{c.text}" for c in citations)
        body = {"model": self.model, "temperature": 0, "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Passages:\n\n{passages}\n\nQuestion: {question}"},
        ]}
        request = urllib.request.Request(
            f"{self.base_url}/chat/completions", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {self.api_key}"}
                                                             if self.api_key else {})},
        )
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            reply = json.load(response)
        return str(reply["choices"][0]["message"]["content"]).strip()


def checks_out(answer: str, citations: list[Citation]) -> bool:
    """Cites at least one passage, only passages it was given, and claims nothing they do not hold."""
    markers = {int(number) for number in MARKER.findall(answer)}
    return bool(markers) and markers <= {c.n for c in citations} and not unsupported(answer, citations)

