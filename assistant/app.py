"""Settings and the one place that wires the pipeline together for the CLI, web and eval."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from typing import TYPE_CHECKING

from .embedders import DEFAULT_EMBEDDER, Embedder, embedder_name, get_embedder
from .index import BuildReport, Index, IndexUnavailable, build_index, is_up_to_date

if TYPE_CHECKING:  # the query side imports LangChain, which `index` alone does not need
    from .answer import Answerer
    from .retrieve import HybridRetriever

ENV_PREFIX = "POLICY_ASSISTANT_"
DEFAULT_LLM_TIMEOUT = 60.0  # seconds; models on a CPU are slow, a chat should not wait longer


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("corpus")
    index: Path = Path("index")
    embedder: str = DEFAULT_EMBEDDER
    chroma_url: str | None = None
    # An OpenAI-compatible chat endpoint for generative answers (optional, see assistant/llm.py).
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = DEFAULT_LLM_TIMEOUT
    llm_context: int | None = None      # the model's context window in tokens; the prompt is cut to fit
    llm_max_tokens: int | None = None   # the reply's budget in tokens (None: llm.DEFAULT_MAX_TOKENS)
    llm_prompt: str = "full"            # "short": fewer rules and clauses, for small models (README)
    # Without it the web page is read-only: nobody who can reach the port can add or remove documents.
    admin_password: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        names = ("corpus", "index", "embedder", "chroma_url", "llm_base_url", "llm_model", "llm_api_key", "llm_timeout",
                 "llm_context", "llm_max_tokens", "llm_prompt", "admin_password")
        env = {name: os.environ.get(ENV_PREFIX + name.upper()) for name in names}
        values = {k: v for k, v in {**env, **overrides}.items() if v not in (None, "")}
        for key in ("corpus", "index"):
            if key in values:
                values[key] = Path(values[key])
        if "llm_timeout" in values:
            values["llm_timeout"] = float(values["llm_timeout"])
        for key in ("llm_context", "llm_max_tokens"):
            if key in values:
                values[key] = int(values[key])
        return cls(**values)

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


class App:
    """A loaded knowledge base: index, embedder, retriever and answerer, built once."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or get_embedder(self.settings.embedder)

    @cached_property
    def index(self) -> Index:
        return Index.load(self.settings.index)

    @cached_property
    def retriever(self) -> HybridRetriever:
        from .retrieve import HybridRetriever

        return HybridRetriever(self.index, self.embedder)

    @cached_property
    def answerer(self) -> Answerer:
        from .answer import Answerer

        return Answerer(self.index, self.retriever, topics=self.topics, verifier=self.verifier)

    @cached_property
    def llm(self):
        """The generative answerer; LLMNotConfigured without a base URL and a model."""
        from .llm import DEFAULT_MAX_TOKENS, GenerativeAnswerer, LLMNotConfigured

        s = self.settings
        if not s.llm_configured:
            raise LLMNotConfigured()
        return GenerativeAnswerer(self.answerer, base_url=s.llm_base_url, model=s.llm_model,
                                  api_key=s.llm_api_key, timeout=s.llm_timeout, context=s.llm_context,
                                  max_tokens=s.llm_max_tokens or DEFAULT_MAX_TOKENS, prompt=s.llm_prompt)

    @cached_property
    def topics(self):
        from .embedders import EmbeddingCache, embed_passages
        from .topics import TopicSearch

        def clause_vectors():
            # The build cached every clause vector under its embedding text, which is the saved
            # search text: nothing is embedded or normalised here.
            cache = EmbeddingCache(self.settings.index / "embeddings.sqlite")
            try:
                return embed_passages(self.embedder, self.index.search_texts, cache)
            finally:
                cache.close()

        return TopicSearch(self.index, clause_vectors)

    @cached_property
    def targets(self):
        from .targets import TargetTable

        return TargetTable(self.index)

    @cached_property
    def verifier(self):
        from .verify import Verifier

        return Verifier(self.index, self.retriever, self.targets)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (the models, jieba's dictionary,
        the vector index's files, the topic search's texts and vectors). The web server runs
        this once its page is up, so the page does not wait for it either."""
        from .questions import load_tables
        load_tables()
        self.answerer.warm_up()
        self.topics.search("知识产权")
        from .meaning import similarities
        similarities("知识产权", [])  # the sentence encoder, used for questions in everyday words

    def build(self, progress: bool = True, deep_check: bool = False) -> BuildReport:
        report = build_index(self.settings.corpus, self.settings.index, self.embedder,
                             chroma_url=self.settings.chroma_url, progress=progress, deep_check=deep_check)
        self._forget_loaded()
        return report

    def ensure_index(self, progress: bool = True) -> BuildReport | None:
        """Build or refresh the index when it is missing, damaged, outdated or behind the corpus
        (a damaged part is made again from the embedding cache, see build_index)."""
        s = self.settings
        if s.index.exists() and is_up_to_date(s.index, s.corpus, self.embedder_name, s.chroma_url):
            try:
                damage = self.index.damage()
            except IndexUnavailable as exc:
                damage = {"index": str(exc)}
            if not damage:
                return None
            print(f"索引已损坏，正在修复 index damaged, repairing: {'; '.join(damage.values())}", file=sys.stderr)
            self._forget_loaded()
        return self.build(progress)

    def reload_if_changed(self) -> None:
        """Forget the loaded index when another process (the CLI's add or remove) has swapped
        in a new build since it was loaded, so that the next use reads the live one."""
        loaded = self.__dict__.get("index")
        if loaded is None:
            return
        try:
            live = (self.settings.index / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, ValueError):
            return
        if live != loaded.build.name:
            self._forget_loaded()

    @property
    def embedder_name(self) -> str:
        # The name is needed for the up-to-date check, which must not load a model.
        return self._embedder.name if self._embedder else embedder_name(self.settings.embedder)

    def _forget_loaded(self) -> None:
        for name in ("index", "retriever", "answerer", "llm", "topics", "targets", "verifier"):
            self.__dict__.pop(name, None)

