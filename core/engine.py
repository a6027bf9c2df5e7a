"""The engine: the one object the CLI and the Slack bot talk to."""
from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from .ask.answer import answer
from .ask.executor import Executor
from .ask.names import NameFinder, parse_aliases
from .ask.reading import detect_language
from .ask.relevance import Relevance
from .ask.retrieve import cite_records
from .ask.vocab_words import STOP
from .channels import ChannelSettings, ChannelStore
from .embedder import Embedder, embedder_name, make_embedder
from .errors import BadQuestion, IndexMismatch, IngestRunning
from .index import REBUILD, ChromaIndex
from . import holds
from .ingest import Ingestor, IngestSummary, ProgressFn, ingest_lock
from .llm import ChatModel, LiteLLMChat
from .models import Answer
from .normalize import FieldMapping
from .redact import redact
from .settings import Settings
from .source import MongoSource
from .state import StateStore
from .store import SqliteRecordStore
from .strings import t

log = logging.getLogger("flowrag.engine")
STATE_FILE = "state.sqlite3"

class Engine:
    """Parts are built on first use, so that constructing an Engine connects to nothing."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chat: ChatModel | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.settings = settings
        self.tz = settings.tz
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.state = StateStore(settings.chroma_db_dir / STATE_FILE)
        self.channels = ChannelStore(self.state)
        if not self.state.get_meta("adopted") and settings.store_path.exists():
            self.state.adopt(settings.store_path)  # an index from the first release: keep its cache
        self._relevance: Relevance | None = None
        self._gen: int | None = None
        self._hold: int | None = None  # the reader lock on generation _gen (core/holds.py)
        self._store: SqliteRecordStore | None = None
        self._lock = threading.RLock()  # opening handles: the bot's listener threads share the engine
        self._embedder = embedder
        self._index: ChromaIndex | None = None
        self._vocab: tuple[int, dict] | None = None
        self._names: tuple[dict, NameFinder] | None = None
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
    def relevance(self) -> Relevance:
        if self._relevance is None:
            self._relevance = Relevance(self.embedder, self.state, lambda sigs: {
                s: t for s, (t, _) in self.store.signature_texts(sigs).items()})
        return self._relevance

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedding_backend, self.settings.local_emb_model)
        return self._embedder

    @property
    def store(self) -> SqliteRecordStore:
        if self._store is None:
            self.sync()
        return self._store

    @property
    def index(self) -> ChromaIndex:
        if self._index is None:
            with self._lock:  # one Chroma client per process: two threads opening it at once break it
                if self._index is None:
                    self.sync()
                    self._index = self._make_index(self._gen)
        return self._index

    def sync(self) -> None:
        """Follow the current index generation: another process may have rebuilt the index.
        Cached handles (record store, Chroma collection, vocabulary) are reopened on a switch."""
        gen = self.state.generation()
        if gen == self._gen and self._store is not None:
            return
        with self._lock:
            if gen == self._gen and self._store is not None:
                return
            # held while read: a rebuild in any process leaves it on disk until released
            gen, fd = holds.hold_current(self.settings.chroma_db_dir, self.state.generation)
            self._store = SqliteRecordStore(self._store_path(gen))
            self._gen, self._index, self._vocab, self._names = gen, None, None, None
            holds.release(self._hold)
            self._hold = fd

    def _store_path(self, gen: int) -> Path:
        # generation 0 keeps the first release's file name, so its indexes open as they are
        return self.settings.store_path if gen == 0 else self.settings.chroma_db_dir / f"records-g{gen}.sqlite3"

    def _make_index(self, gen: int) -> ChromaIndex:
        s = self.settings
        name = s.chroma_collection if gen == 0 else f"{s.chroma_collection}-g{gen}"
        return ChromaIndex(path=s.chroma_db_dir, host=s.chroma_host, port=s.chroma_port, collection=name)

    def source(self) -> MongoSource:
        from .normalize import projection

        s = self.settings
        return MongoSource(s.mongo_uri, s.mongo_db, s.mongo_collection, projection(self.mapping),
                           timeout_ms=s.mongo_timeout_ms)

    def vocabulary(self) -> dict:
        key = (self._gen, self.store.get_meta("generation", 0))
        if self._vocab is None or self._vocab[0] != key:
            self._vocab = (key, self.store.get_meta("vocabulary") or {"tech": {}, "pipeline": {}})
        return self._vocab[1]

    # --- ingest --------------------------------------------------------------
    def ingest(self, full: bool = False, progress: ProgressFn | None = None) -> IngestSummary:
        source = self.source()
        try:
            if full:
                return self._rebuild(source, progress)
            self.sync()
            summary = self._ingestor(source, lock_dir=self.settings.chroma_db_dir).run(progress=progress)
            try:  # generations a reader held at the last rebuild may be free now
                with ingest_lock(self.settings.chroma_db_dir):
                    self._drop_released(self._gen)
            except IngestRunning:
                pass  # another ingest started meanwhile: it will do it
            return summary
        finally:
            source.close()

    def _ingestor(self, source: MongoSource, *, lock_dir: Path | None) -> Ingestor:
        ing = Ingestor(source, self.store, self.index, self.embedder, self.mapping, cache=self.state,
                       lock_dir=lock_dir, batch_size=self.settings.ingest_batch_size)
        s = self.settings

        def refresh(store) -> tuple[str, datetime]:
            if s.field_updated_at:  # updated since the last run, with the usual overlap
                last = store.get_meta("last_ingest")
                since = datetime.fromisoformat(last) if last else datetime(2000, 1, 1, tzinfo=timezone.utc)
                return s.field_updated_at, since - timedelta(minutes=10)
            return s.field_timestamp, self.clock() - timedelta(hours=s.refresh_window_h)

        ing.refresh = refresh if (s.refresh_window_h > 0 or s.field_updated_at) else None
        return ing

    def ingest_changes(self, source: MongoSource, docs: list[dict]) -> dict:
        """Documents from a change stream, under the ingest lock (IngestRunning if another
        process holds it: the caller keeps them and tries again)."""
        self.sync()
        with ingest_lock(self.settings.chroma_db_dir):
            return self._ingestor(source, lock_dir=None).ingest_docs(docs)

    def _rebuild(self, source: MongoSource, progress: ProgressFn | None) -> IngestSummary:
        """`--full`: a new generation is built beside the current one, which keeps answering;
        the switch is one row in the state file, after the build is complete. A failed build
        leaves the current generation as it was."""
        with ingest_lock(self.settings.chroma_db_dir):
            source.ping()  # a wrong MONGO_URI must not even start a build
            current = self.state.generation()
            last_built = int(self.state.get_meta("last_built", 0) or 0)
            for killed in range(current + 1, last_built + 1):  # builds that died half-way
                self._drop_generation(killed)
            gen = max(current, last_built) + 1
            self.state.set_meta("last_built", gen)  # numbers are never reused, even after a crash
            store, index = SqliteRecordStore(self._store_path(gen)), self._make_index(gen)
            try:
                summary = Ingestor(source, store, index, self.embedder, self.mapping, cache=self.state, lock_dir=None,
                                   batch_size=self.settings.ingest_batch_size).run(full=True, progress=progress)
            except BaseException:
                store.close()
                self._drop_generation(gen, index)
                raise
            store.close()
            self.state.switch_generation(gen)
            self.sync()  # this engine reads the new generation from now on
            self._drop_released(gen)
        return summary

    def _drop_released(self, current: int) -> None:
        """Generations before `current` that no reader holds any more: removed (under the ingest
        lock). One still read (a question under way, a bot not yet switched) waits for the next
        ingest."""
        start = int(self.state.get_meta("kept_from", 0) or 0)
        kept = [old for old in range(start, current)
                if not holds.drop_unheld(self.settings.chroma_db_dir, old, self._drop_generation)]
        if (kept[0] if kept else current) != start:
            self.state.set_meta("kept_from", kept[0] if kept else current)

    def _drop_generation(self, gen: int, index: ChromaIndex | None = None) -> None:
        try:
            (index or self._make_index(gen)).reset()
        except Exception as e:  # noqa: BLE001 - cleanup must not hide the real outcome
            log.warning("could not drop the collection of generation %s: %s", gen, e)
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(self._store_path(gen)) + suffix)
            path.unlink(missing_ok=True)

    # --- ask -----------------------------------------------------------------
    def names(self) -> NameFinder:
        vocab = self.vocabulary()
        if self._names is None or self._names[0] is not vocab:
            self._names = (vocab, NameFinder(vocab, parse_aliases(self.settings.aliases), STOP))
        return self._names[1]

    def ask(self, question: str, context: dict | None = None, *, use_llm: bool = True,
            on_delta: Callable[[str], None] | None = None, explain: bool = False,
            channel: str | None = None) -> Answer:
        """`context`: the thread's previous turn (Answer.context). `explain`: the text describes a
        problem (an alert pasted or pointed at), whatever its words: its names filter, its other
        words rank messages. `channel`: where it was asked (or the channel the assistant panel is
        viewing): its settings give the defaults. The steps are core/ask/answer.py's."""
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("Ask a question, e.g. “How many Spark failures yesterday?” "
                              "or « Quelles technos ont échoué hier ? »")
        # a pasted alert or stack trace may carry a secret: never kept, logged or sent to an LLM
        question = redact(" ".join(question.split()))
        cap = self.settings.max_question_chars
        self.sync()
        built_with = self.store.get_meta("embedder")
        if built_with and built_with != self.embedder.name:
            raise IndexMismatch(f"The index was built with the embedder {built_with!r}, but "
                                f"{self.embedder.name!r} is configured. {REBUILD}")
        reply = answer(self, question[:cap], context, use_llm=use_llm, on_delta=on_delta, explain=explain,
                       channel=self.channels.get(channel), truncated=len(question) > cap)
        try:
            self.state.record_answer(reply, question[:cap])
        except Exception as e:  # noqa: BLE001 - keeping a copy must never cost the answer
            log.warning("answer %s not kept: %s", reply.id, e)
        return reply

    def redact(self, text: str) -> str:
        """The text with its secrets masked, as the engine keeps it (for echoes and buttons)."""
        return redact(text)

    def language_of(self, text: str, default: str = "en") -> str:
        """The language to answer `text` in (the bot speaks before the engine has answered)."""
        return detect_language(text, default)

    # --- alerts --------------------------------------------------------------
    def new_errors(self, window, *, techs: tuple = (), pipelines: tuple = ()) -> list:
        """Failing messages whose first occurrence ever falls inside `window`, exact; among the
        runs of `techs`/`pipelines` when a channel's filter is given."""
        from .ask.query import Query

        self.sync()
        with self.store.snapshot():
            ex = Executor(self.store, self.tz, self.vocabulary(), self.clock)
            return [m for m in ex.run(Query(measure="new_messages", window=window, statuses=("failed",),
                                            techs=tuple(techs), pipelines=tuple(pipelines),
                                            limit=50)).messages if m.new]

    def failing_signatures(self) -> set[str]:
        """Every message that failed at least once: the alerts compare it with what they knew."""
        self.sync()
        return self.store.failing_signatures()

    def failure_facts(self, sigs, *, techs: tuple = (), pipelines: tuple = ()) -> list:
        """These failing messages over all time, each with its runs, pipelines, first and last seen;
        those with no failed run within `techs`/`pipelines` (a channel's filter) are left out."""
        from .ask.query import Query

        self.sync()
        q = Query(statuses=("failed",), techs=tuple(techs), pipelines=tuple(pipelines))
        with self.store.snapshot():
            ex = Executor(self.store, self.tz, self.vocabulary(), self.clock)
            return [f for f in (ex.message_detail(q, sig) for sig in sigs) if f is not None]

    def ask_query_failures(self, window) -> dict:
        """Failures inside a window, by technology: for App Home."""
        from .ask.query import Query

        self.sync()
        with self.store.snapshot():
            r = Executor(self.store, self.tz, self.vocabulary(), self.clock).run(
                Query(window=window, statuses=("failed",)))
        return {"total": r.total, "by_tech": dict(r.failed_by_tech)}

    def cite_message(self, sig: str, window, n: int = 3, *, techs: tuple = (), pipelines: tuple = ()) -> list:
        return cite_records(self.store.failed_runs(sig, window.start, window.end, n, techs=techs,
                                                   pipelines=pipelines))

    # --- digest --------------------------------------------------------------
    def digest(self, day: date | None = None, *, language: str = "en", chart: Path | None = None,
               channel: ChannelSettings | None = None):
        """The digest of one local day (default: yesterday in FLOWRAG_TIMEZONE). `channel`: the
        settings of the channel it is for: its filter, timezone and (unless "auto") language."""
        from .ask.query import Query
        from .chart import failures_chart
        from .digest import build_digest, yesterday

        self.sync()
        tz = (channel.tz if channel else None) or self.tz
        language = channel.lang(language) if channel else language
        scope = Query(techs=channel.techs, pipelines=channel.pipelines) if channel else Query()
        day = day or yesterday(self.clock(), tz)
        with self.store.snapshot():
            executor = Executor(self.store, tz, self.vocabulary(), self.clock)
            d = build_digest(self.store, executor, day, tz, language if language in ("fr", "en") else "en", scope,
                             priority=self.settings.priority_names)
        if chart is not None:
            title = t(d.language, "digest_chart_title", date=d.date)
            d = replace(d, chart=str(failures_chart(d.per_day_by_tech, d.date, chart, title,
                                                     t(d.language, "digest_chart_y"))))
        return d

    # --- misc ----------------------------------------------------------------
    def status(self) -> dict:
        self.sync()
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
            "generation": self._gen,
            "feedback_30d": self.state.feedback_summary(30),
        }

    def embedder_name(self) -> str:
        if self._embedder is not None:
            return self._embedder.name
        return embedder_name(self.settings.embedding_backend, self.settings.local_emb_model)

    def record_feedback(self, user: str, answer_id: str, vote: str, question: str) -> None:
        log.info("feedback answer=%s user=%s vote=%s", answer_id, user, vote)
        self.state.record_feedback(user, answer_id, vote, question)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        holds.release(self._hold)
        self._hold = None
        self.state.close()
