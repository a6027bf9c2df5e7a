"""The engine: the one object the CLI and the Slack bot talk to."""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone
from typing import Callable

from .answer import deterministic_answer, facts_text
from .embedder import Embedder, embedder_name, make_embedder
from .errors import BadQuestion, IndexMismatch, LLMUnavailable
from .facts import compute_facts
from .index import REBUILD, ChromaIndex
from .ingest import Ingestor, IngestSummary, ProgressFn
from .llm import ChatModel, LiteLLMChat, build_messages, clean_citations
from .models import Answer
from .normalize import FieldMapping
from .question import apply_context, parse_question, to_context
from .retrieve import retrieve
from .settings import Settings
from .source import MongoSource

log = logging.getLogger("flowrag.engine")

NOTICE_TRUNCATED = {"en": "Your question was cut to its first {n} characters.",
                    "fr": "Votre question a été coupée à ses {n} premiers caractères."}
NOTICE_LLM_FAILED = {"en": "The language model did not answer; this is the deterministic answer.",
                     "fr": "Le modèle de langage n'a pas répondu ; voici la réponse déterministe."}
EMPTY_INDEX = {"en": "The index is empty: run `flowrag ingest` first.",
               "fr": "L'index est vide : lancez d'abord `flowrag ingest`."}


class Engine:
    """Parts are built on first use, so that constructing an Engine connects to nothing."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chat: ChatModel | None = None,
                 clock: Callable[[], datetime] | None = None):
        from .store import SqliteRecordStore

        self.settings = settings
        self.tz = settings.tz
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.store = SqliteRecordStore(settings.store_path)
        self._embedder = embedder
        self._index: ChromaIndex | None = None
        self._vocab: tuple[int, dict] | None = None
        if chat is None and settings.litellm_model:
            chat = LiteLLMChat(settings.litellm_model, api_base=settings.litellm_api_base,
                               api_key=settings.litellm_api_key, timeout=settings.llm_timeout_s)
        self.chat = chat
        self.mapping = FieldMapping.from_settings(settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Engine":
        return cls(settings)

    # --- parts ---------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedding_backend, self.settings.local_emb_model)
        return self._embedder

    @property
    def index(self) -> ChromaIndex:
        if self._index is None:
            s = self.settings
            self._index = ChromaIndex(path=s.chroma_db_dir, host=s.chroma_host, port=s.chroma_port,
                                      collection=s.chroma_collection)
        return self._index

    def source(self) -> MongoSource:
        from .normalize import projection

        s = self.settings
        return MongoSource(s.mongo_uri, s.mongo_db, s.mongo_collection, projection(self.mapping),
                           timeout_ms=s.mongo_timeout_ms)

    def vocabulary(self) -> dict:
        gen = self.store.get_meta("generation", 0)
        if self._vocab is None or self._vocab[0] != gen:
            self._vocab = (gen, self.store.get_meta("vocabulary") or {"tech": {}, "pipeline": {}})
        return self._vocab[1]

    # --- ingest --------------------------------------------------------------
    def ingest(self, full: bool = False, progress: ProgressFn | None = None) -> IngestSummary:
        source = self.source()
        try:
            return Ingestor(source, self.store, self.index, self.embedder, self.mapping,
                            lock_dir=self.settings.chroma_db_dir,
                            batch_size=self.settings.ingest_batch_size).run(full=full, progress=progress)
        finally:
            source.close()

    # --- ask -----------------------------------------------------------------
    def ask(self, question: str, context: dict | None = None, *, use_llm: bool = True,
            on_delta: Callable[[str], None] | None = None) -> Answer:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("Ask a question, e.g. “How many Spark failures yesterday?” "
                              "or « Quelles technos ont échoué hier ? »")
        question = " ".join(question.split())
        notices = []
        cap = self.settings.max_question_chars
        truncated = len(question) > cap
        question = question[:cap]

        built_with = self.store.get_meta("embedder")
        if built_with and built_with != self.embedder.name:
            raise IndexMismatch(f"The index was built with the embedder {built_with!r}, but "
                                f"{self.embedder.name!r} is configured. {REBUILD}")
        prev_lang = (context or {}).get("language") or "en"
        now = self.clock()
        q = parse_question(question, now=now, tz=self.tz, vocabulary=self.vocabulary(), default_language=prev_lang)
        q = apply_context(q, context, self.tz, now)
        lang = q.language
        if truncated:
            notices.append(NOTICE_TRUNCATED[lang].format(n=cap))
        timings["parse"] = _ms(t0)
        answer_id = uuid.uuid4().hex[:12]
        last_ingest = self.store.get_meta("last_ingest")
        as_of = datetime.fromisoformat(last_ingest) if last_ingest else None
        if not built_with:
            return Answer(text=EMPTY_INDEX[lang], citations=(), facts={}, mode="extractive", language=lang,
                          context=to_context(q), timings_ms=timings, notices=tuple(notices), id=answer_id)

        t = time.perf_counter()
        facts = compute_facts(self.store, q.filters, self.tz, self.vocabulary())
        timings["facts"] = _ms(t)
        t = time.perf_counter()
        hits, citations = retrieve(self.store, self.index, self.embedder, q.filters, q.topic,
                                      n_citations=self.settings.citations) if facts["total"] else ([], [])
        timings["retrieve"] = _ms(t)
        text = deterministic_answer(q.intent, facts, hits, lang)
        mode = "extractive"
        if self.chat is not None and use_llm and facts["total"]:
            t = time.perf_counter()
            try:
                text = self._phrase(q.text, facts, citations, lang, on_delta)
                mode = "llm"
            except LLMUnavailable as e:
                log.warning("LLM fallback for answer %s: %s", answer_id, e)
                notices.append(NOTICE_LLM_FAILED[lang])
            timings["llm"] = _ms(t)
        timings["total"] = _ms(t0)
        return Answer(text=text, citations=tuple(citations), facts=facts, mode=mode, language=lang,
                      context=to_context(q), timings_ms=timings, messages=tuple(hits), notices=tuple(notices),
                      index_as_of=as_of, id=answer_id)

    def _phrase(self, question, facts, citations, lang, on_delta) -> str:
        messages = build_messages(question, facts_text(facts, lang),
                                  [(c.ref, f"{c.pipeline_name} · {c.tech} · {c.status} · "
                                           f"{c.timestamp.astimezone(self.tz):%Y-%m-%d %H:%M} · {c.snippet}")
                                   for c in citations], lang)
        if on_delta is None:
            text = self.chat.complete(messages)
        else:
            parts = []
            for delta in self.chat.stream(messages):
                parts.append(delta)
                on_delta(clean_citations("".join(parts), {c.ref for c in citations}))
            text = "".join(parts)
        text = clean_citations(text, {c.ref for c in citations}).strip()
        if not text:
            raise LLMUnavailable("empty answer")
        return text

    # --- misc ----------------------------------------------------------------
    def status(self) -> dict:
        counts = self.store.counts()
        return {
            **counts,
            "last_ingest": self.store.get_meta("last_ingest"),
            "embedder": self.store.get_meta("embedder") or self.embedder_name(),
            "llm": self.settings.litellm_model or None,
            "timezone": self.settings.timezone,
            "index": str(self.settings.chroma_db_dir) if not self.settings.chroma_host
            else f"{self.settings.chroma_host}:{self.settings.chroma_port}",
            "last_summary": self.store.get_meta("last_summary"),
        }

    def embedder_name(self) -> str:
        if self._embedder is not None:
            return self._embedder.name
        return embedder_name(self.settings.embedding_backend, self.settings.local_emb_model)

    def record_feedback(self, user: str, answer_id: str, vote: str, question: str) -> None:
        log.info("feedback answer=%s user=%s vote=%s", answer_id, user, vote)
        self.store.record_feedback(user, answer_id, vote, question)

    def close(self) -> None:
        self.store.close()


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
