"""Optional: the extractive answer rewritten as prose by a chat model behind an OpenAI-compatible endpoint.

Off unless `PAPERS_LLM_BASE_URL` is set (a council may host its own model). The model sees only the passages the
extractive answer cites, numbered as its citations are, and must put their markers after its claims. What it
writes is shown only if it checks out: at least one marker, every marker a real citation, and every figure, date
and status word in a cited passage. Otherwise, or when the endpoint fails, the extractive answer stands.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass

from papers.settings import Settings
from retrieval.compose import source_label
from retrieval.grounding import MARKER, unsupported

SYSTEM = (
    "You answer councillors' questions about committee papers using only the numbered passages given. "
    "Write a short answer in plain sentences. Put the passage's number in square brackets, like [1], after every "
    "claim. Copy figures, dates and status words exactly as the passages write them. If the passages do not "
    "answer the question, say: The papers do not answer this question."
)


@dataclass(frozen=True)
class Generator:
    base_url: str
    model: str
    api_key: str
    timeout_s: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Generator | None:
        if not settings.llm_base_url:
            return None
        return cls(settings.llm_base_url.rstrip("/"), settings.llm_model, settings.llm_api_key,
                   settings.llm_timeout_s)

    def rewrite(self, question: str, citations: list[dict]) -> str | None:
        """The model's answer when it checks out against the citations; None to keep the extractive one."""
        try:
            answer = self._complete(question, citations)
        except (OSError, ValueError, KeyError, IndexError, TypeError):  # down, slow, or not OpenAI-shaped
            return None
        return answer if checks_out(answer, citations) else None

    def _complete(self, question: str, citations: list[dict]) -> str:
        passages = "\n\n".join(f"[{c['n']}] {source_label(c)}:\n{c['text']}" for c in citations)
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


def checks_out(answer: str, citations: list[dict]) -> bool:
    """Cites at least one passage, only passages it was given, and claims nothing they do not hold."""
    markers = {int(number) for number in MARKER.findall(answer)}
    return bool(markers) and markers <= {c["n"] for c in citations} and not unsupported(answer, citations)

