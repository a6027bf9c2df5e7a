"""The engine: the one object the CLI and the Slack bot talk to."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from pathlib import Path
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from .ask import durations
from .ask.context import apply_context, to_context
from .ask.executor import Executor
from .ask.headline import headline_of
from .ask.llm_facts import facts_text, legacy_facts
from .ask.names import NameFinder, parse_aliases
from .ask.planner import PlanRejected, plan
from .ask.reading import NAME_LIKE, detect_language, read_question
from .ask.render import Renderer
from .ask.relevance import Relevance
from .ask.logwords import whole_tokens
from .ask.query import Result
from .ask.retrieve import cite_records, keep_messages, retrieve
from .ask.topic import (CANDIDATE_GAP, STRONG, TopicMatch, about_nothing, describe, found_words, literal_words,
                        mostly_unknown)
from .ask.vocab_words import STOP
from .channels import ChannelSettings, ChannelStore
from .embedder import Embedder, embedder_name, make_embedder
from .errors import BadQuestion, IndexMismatch, LLMUnavailable
from .index import REBUILD, ChromaIndex
from .ingest import Ingestor, IngestSummary, ProgressFn, ingest_lock
from .llm import ChatModel, LiteLLMChat, build_messages, clean_citations
from .models import Answer
from .normalize import FieldMapping
from .settings import Settings
from .source import MongoSource
from .state import StateStore
from .redact import redact
from .store import SqliteRecordStore
from .store import key_of, to_ms
from .strings import t
from .text import fold

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
            self._store = SqliteRecordStore(self._store_path(gen))
            self._gen, self._index, self._vocab, self._names = gen, None, None, None

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
            return self._ingestor(source, lock_dir=self.settings.chroma_db_dir).run(progress=progress)
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
            # readers may still be on the previous generation: keep it, drop the ones before
            for old in range(int(self.state.get_meta("kept_from", 0) or 0), current):
                self._drop_generation(old)
            self.state.set_meta("kept_from", current)
        self.sync()
        return summary

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
        """`explain`: the text describes a problem (an alert pasted or pointed at), whatever its
        words: its names filter, its other words rank messages. `channel`: where it was asked (or
        the channel the assistant panel is viewing): its settings give the defaults."""
        t0 = time.perf_counter()
        cs = self.channels.get(channel)
        tz = (cs.tz if cs else None) or self.tz
        timings: dict[str, float] = {}
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("Ask a question, e.g. “How many Spark failures yesterday?” "
                              "or « Quelles technos ont échoué hier ? »")
        # a pasted alert or stack trace may carry a secret: never kept, logged or sent to an LLM
        question = redact(" ".join(question.split()))
        cap = self.settings.max_question_chars
        truncated = len(question) > cap
        question = question[:cap]
        self.sync()

        built_with = self.store.get_meta("embedder")
        if built_with and built_with != self.embedder.name:
            raise IndexMismatch(f"The index was built with the embedder {built_with!r}, but "
                                f"{self.embedder.name!r} is configured. {REBUILD}")
        prev_lang = (context or {}).get("language") or (cs.lang("en") if cs else "en")
        if explain:
            # a pointed or pasted alert says everything itself: the thread's last question (its day,
            # its names) must not narrow it; only the conversation's language carries over
            context = None
        now = self.clock()
        reading = read_question(question, now=now, tz=tz, names=self.names(), default_language=prev_lang)
        reading = apply_context(reading, context, tz)
        if explain and reading.search:
            reading = replace(reading, explain=True, query=reading.query.with_(measure="messages", topic=""))
        lang = reading.language
        notices = [t(lang, "truncated", n=cap)] if truncated else []
        planned = False
        if self.chat is not None and use_llm and self.settings.llm_planner and not context:
            try:
                reading = replace(reading, query=plan(self.chat, question, vocabulary=self.vocabulary(), now=now,
                                                      tz=tz), unknown=(), explain=False)
                planned = True
            except PlanRejected as e:
                log.warning("LLM plan rejected: %s", e)
                notices.append(t(lang, "plan_rejected", why=str(e)[:120]))
        reading, defaulted = channel_defaults(reading, cs, context, planned)
        timings["parse"] = _ms(t0)
        answer_id = uuid.uuid4().hex[:12]
        last_ingest = self.store.get_meta("last_ingest")
        as_of = datetime.fromisoformat(last_ingest) if last_ingest else None
        ctx = {**to_context(reading), "question": question[:500], "channel_default": list(defaulted)}
        if not built_with:
            return Answer(text=t(lang, "empty_index"), citations=(), facts={}, mode="extractive", language=lang,
                          context=ctx, timings_ms=timings, notices=tuple(notices), id=answer_id,
                          query=reading.query)
        if reading.empty and not context:
            return Answer(text=t(lang, "empty_hint"), citations=(), facts={}, mode="extractive", language=lang,
                          context=ctx, timings_ms=timings, notices=tuple(notices), id=answer_id)

        # the question's own words are a second query for ranking messages; a follow-up's
        # ("et hier ?") mean little without the thread, so only the topic ranks then
        whole = "" if context else question
        render = Renderer(lang, now, tz)
        t1 = time.perf_counter()
        with self.store.snapshot():  # facts and citations from one committed state
            executor = Executor(self.store, tz, self.vocabulary(), self.clock, self.settings.running_default_s)
            q, ignored, match = self._settle_topic(reading, executor, question)
            q = executor.effective(q)
            unmatched = match is not None and match.kind in ("closest", "nothing")
            result = Result() if unmatched else executor.run(q)
            notices += self._reading_notices(reading, q, executor, lang, now, tz)
            notices += [t(lang, "ignored", word=w if len(w) <= 40 else w[:40] + "…") for w in ignored]
            timings["facts"] = _ms(t1)
            t1 = time.perf_counter()
            if unmatched:
                hits, citations = self._cite_ranked(executor, q, list(match.messages))
            else:
                hits, citations = self._cite(executor, reading, q, result, whole)
            description = False
            if reading.explain and q.statuses and reading.search and "statuses" in reading.said:
                # "clients failing to renew their lease": is "failing" a filter or the symptom?
                # Both readings run; the one whose best message matches the question better wins.
                # Only for a status word of this question: one a follow-up inherits is a filter.
                free = q.with_(statuses=())
                free_result = executor.run(free)
                free_hits, free_cites = self._cite(executor, reading, free, free_result, whole)
                if free_hits and (not hits or (free_hits[0].similarity or 0) > (hits[0].similarity or 0) + 0.01):
                    q, result, hits, citations, description = free, free_result, free_hits, free_cites, True
            if reading.explain and hits:
                sure, missing = self._explain_confidence(reading, executor, hits)
                if sure == "nothing":
                    match = TopicMatch("nothing", reading.search, unmatched=tuple(missing))
                    hits, citations, unmatched = [], [], True
                elif sure == "closest":  # said as the closest ones, not as the answer
                    match = TopicMatch("closest", reading.search, unmatched=tuple(missing))
                    hits, citations = keep_messages(hits, citations, {h.signature_id for h in hits[:3]})
                    unmatched = True
                elif sure:
                    notices.append(t(lang, sure))
            if reading.explain and hits:
                hits, citations = keep_messages(hits, citations, related(hits))
                # what a follow-up's "how many?" or "since when?" will be about
                ctx.update(message=hits[0].signature_id, message_text=headline_of(hits[0].text, 80))
                # a name the question gives ("OutOfMemoryError") that no shown message carries: the
                # messages are the closest within the filters, not that error; said, not implied
                # (the search words carry over to follow-ups: "et pour Talend ?" still asks about it)
                named = dict.fromkeys([*reading.unknown, *(w for w in reading.search.split() if NAME_LIKE.match(w))])
                for word in named:
                    if not any(fold(word) in fold(h.text) for h in hits):
                        notices.append(t(lang, "not_within", word=word, what=render.within(q)))
                detail = executor.message_detail(q, hits[0].signature_id)
                if detail is not None:
                    result = replace(result, explained=replace(detail, refs=hits[0].refs, text=hits[0].text))
            timings["retrieve"] = _ms(t1)
        if unmatched:
            text = "\n".join(render.unmatched(match, q, hits))
            if match.kind == "nothing":
                notices.append(t(lang, "nothing_words", words=", ".join(match.unmatched or match.words.split())))
            elif match.unmatched:
                notices.append(t(lang, "missing_words", words=", ".join(match.unmatched)))
        else:
            text = "\n".join([render.headline(q, result), *render.body(q, result, hits)]).rstrip()
        interpretation = render.interpretation(q, aliases=() if planned else reading.names_how, planner=planned,
                                               description=description,
                                               search=reading.search if reading.explain else "",
                                               channel_default=defaulted)
        facts = legacy_facts(q, result)
        mode = "extractive"
        if self.chat is not None and use_llm and result.total:
            t1 = time.perf_counter()
            try:
                text = self._phrase(question, facts_text(q, result, render), citations, lang, on_delta)
                mode = "llm"
            except LLMUnavailable as e:
                log.warning("LLM fallback for answer %s: %s", answer_id, e)
                notices.append(t(lang, "llm_failed"))
            timings["llm"] = _ms(t1)
        timings["total"] = _ms(t0)
        answer = Answer(text=text, citations=tuple(citations), facts=facts, mode=mode, language=lang,
                        context=ctx, timings_ms=timings, messages=tuple(hits), notices=tuple(notices),
                        index_as_of=as_of, id=answer_id, query=q, result=result, interpretation=interpretation,
                        tz=tz)
        try:
            self.state.record_answer(answer, question)
        except Exception as e:  # noqa: BLE001 - keeping a copy must never cost the answer
            log.warning("answer %s not kept: %s", answer_id, e)
        return answer

    def redact(self, text: str) -> str:
        """The text with its secrets masked, as the engine keeps it (for echoes and buttons)."""
        return redact(text)

    def language_of(self, text: str, default: str = "en") -> str:
        """The language to answer `text` in (the bot speaks before the engine has answered)."""
        return detect_language(text, default)

    def _settle_topic(self, reading, executor: Executor, question: str):
        """(query, words left out, how the topic was read). Literal words (quoted, identifier-like)
        filter as typed, and a word no message contains is noise unless it looks like a name
        ("Oracle": then the honest count is zero, and the notice says why). Free words are read by
        meaning (core/ask/topic.py)."""
        q = reading.query
        if not q.topic:
            return q, [], None
        unknown = {fold(w) for w in reading.unknown}
        words = q.topic.split()
        # a name we do not know, alone ("How many Oracle failures?"), is literal too: an honest zero,
        # said in a notice; among other words ("workers Python", "Blue Gene") it describes
        alone = all(fold(w) in unknown for w in words)
        literal = [w for w in words if w in literal_words(q.topic, question) or (alone and fold(w) in unknown)]
        if not literal:
            count, frequent = self._counters(executor, q.with_(topic=""))
            match = describe(q.topic, question, store=self.store, index=self.index, relevance=self.relevance,
                             count=count, frequent=frequent, literal_sigs=executor.topic_signatures,
                             constrained=bool({"statuses", "window"} & reading.said) or q.measure == "silent")
            ignored = list(match.ignored)
            if match.kind == "ignored":
                return q.with_(topic=""), ignored, None
            q = q.with_(topic=match.words)
            if match.kind == "described":
                return q.with_(topic_messages=match.messages), ignored, match
            return q, ignored, match
        # only the literal words filter; the others describe, and rank what is cited
        keep, ignored = [], []
        for word in literal:
            if fold(word) in unknown or executor.topic_signatures(word):
                keep.append(word)
            else:
                ignored.append(word)
        return q.with_(topic=" ".join(keep)), ignored, TopicMatch("literal", " ".join(keep))

    def _explain_confidence(self, reading, executor: Executor, hits) -> tuple[str, list[str]]:
        """How sure the best message of a why-answer is: "nothing" (its words are not words, and no
        message carries them), "closest" (no word in any message, or none close in meaning),
        "candidates" (the next one about as close), or "" (sure); and the words no message carries."""
        best = hits[0].similarity
        if best is None:  # messages chosen by time, not by words: nothing to doubt
            return "", []
        found, missing = found_words(reading.search.split(), self.store, executor.topic_signatures)
        if about_nothing(found, missing):
            return "nothing", missing
        # a word of the question the best message carries as written ("xgboost" in "No module named
        # 'xgboost'") is a match whatever the vectors say
        carried = any(fold(w) in whole_tokens(hits[0].text) for w in found)
        if not found or (not carried and (best < STRONG or mostly_unknown(found, missing))):
            return "closest", missing
        if len(hits) > 1 and hits[1].similarity is not None and hits[1].similarity >= best - CANDIDATE_GAP:
            return "candidates", missing
        return "", missing

    def _counters(self, executor: Executor, q):
        """Matching runs per message, and the most frequent messages, inside the query's filters:
        through the rollups (a message seen in 900,000 runs must not cost a scan of them)."""
        cw, cp = executor.where(q, sigs=executor.filter_signatures(q))

        def count(sigs: list[str]) -> dict[str, int]:
            if not sigs:
                return {}
            rows = executor.aggregate(f"{cw} AND sig IN ({','.join('?' * len(sigs))})", [*cp, *sigs], q.window,
                                      ("sig",))
            return {r[0]: r[1] for r in rows}

        def frequent(k: int) -> list[tuple[str, int]]:
            rows = executor.aggregate(cw, cp, q.window, ("sig",))
            return [(r[0], r[1]) for r in sorted(rows, key=lambda r: (-r[1], r[0]))[:k]]

        return count, frequent

    def _cite_ranked(self, executor: Executor, q, ranked: list[str]):
        """Citations of messages chosen beforehand (the closest ones to a topic), inside the filters."""
        if not ranked:
            return [], []
        q = q.with_(topic="", topic_messages=())
        cw, cp = executor.where(q, sigs=None)
        where, params = executor.within(cw, cp, q.window)
        count, frequent = self._counters(executor, q)
        return retrieve(self.store, self.index, self.relevance, where, params, "", count=count, frequent=frequent,
                        n_citations=self.settings.citations, ranked=ranked, by_relevance=True)

    def _reading_notices(self, reading, q, executor: Executor, lang: str, now, tz) -> list[str]:
        """Name what was not understood, and what was answered instead."""
        out = []
        render = Renderer(lang, now, tz)
        for word in reading.unknown:
            found = bool(executor.topic_signatures(fold(word)))
            if reading.explain and found:
                continue  # a symptom's word ("OutOfMemoryError") found in the messages: nothing to warn about
            out.append(t(lang, "unknown_name", word=word, found="" if found else t(lang, "found_none")))
        for word in reading.unsupported:
            out.append(t(lang, "unsupported", word=word, answered=render.reading_text(q)))
        for word in reading.unplaced:
            out.append(t(lang, "unplaced", word=word))
        for word in reading.unparsed:
            out.append(t(lang, "unparsed", word=word, window=render.window_text(q.window)))
        if q.window is not None and q.window.start > now:
            out.append(t(lang, "future", window=render.window_text(q.window)))
        return out

    def _cite(self, executor: Executor, reading, q, result, whole: str = ""):
        if q.measure == "rate":
            q = q.with_(statuses=(q.rate_of,))
        elif q.measure in ("silent", "streaks", "running", "slowest"):
            return [], self._cite_special(q, result)
        # conditions shared by counting (rollups) and choosing what to cite (records, time too)
        cw, cp = executor.where(q, sigs=executor.filter_signatures(q))
        where, params = executor.within(cw, cp, q.window)
        ranked = None
        if q.measure == "new_messages":
            ranked = [m.signature_id for m in result.messages if m.new]
            if not ranked:
                return [], []
        if q.measure in ("first_time", "last_time") and result.value is not None:
            order = "ASC" if q.measure == "first_time" else "DESC"
            rows = self.store.query(f"SELECT sig FROM records WHERE {where} ORDER BY ts {order} LIMIT 1", params)
            # the run that answers first, then the other messages a described topic was read as
            ranked = list(dict.fromkeys([*(r[0] for r in rows), *q.topic_messages]))
        topic = (reading.search or q.topic) if (reading.explain or q.measure == "messages" or q.topic) else ""
        if reading.explain and not topic and ranked is None:
            # "why did Spark fail?" names no symptom: it asks about the failures that just happened,
            # so the latest run's message leads (not the most frequent one of all time), then the
            # messages of the runs before it
            rows = self.store.query(f"SELECT sig FROM records WHERE {where} ORDER BY ts DESC LIMIT 200", params)
            ranked = list(dict.fromkeys(r[0] for r in rows)) or None
        if durations.in_messages(q, result):  # no duration recorded: the topic's messages answer
            ranked = list(q.topic_messages)
        if not (result.total or ranked):
            return [], []
        count, frequent = self._counters(executor, q)
        return retrieve(self.store, self.index, self.relevance, where, params, topic, count=count, frequent=frequent,
                        n_citations=self.settings.citations, ranked=ranked, by_relevance=reading.explain,
                        question=whole if reading.explain else "")

    def _cite_special(self, q, result) -> list:
        """Silent sources cite their last run; streaks cite their latest failed runs."""
        rows = []
        cols = "id, pipeline, tech, status, ts, message"
        if q.measure == "silent":
            col = "tech_key" if q.silent_kind == "tech" else "pipeline_key"
            for s in result.silent[:self.settings.citations]:
                rows += self.store.query(f"SELECT {cols} FROM records WHERE {col}=? ORDER BY ts DESC LIMIT 1",
                                         (key_of(s.name),))
        elif q.measure in ("running", "slowest"):  # the runs listed, in their order
            for run in [*result.running, *result.stuck, *result.slowest][:self.settings.citations]:
                rows += self.store.query(f"SELECT {cols} FROM records WHERE id=?", (run.id,))
        else:
            for s in result.streaks[:self.settings.citations]:
                rows += self.store.query(f"SELECT {cols} FROM records INDEXED BY rec_pipe WHERE pipeline_key=? "
                                         "AND status='failed' AND ts >= ? ORDER BY ts DESC LIMIT 1",
                                         (key_of(s.pipeline), to_ms(s.since)))
        return cite_records(rows)

    def _phrase(self, question, facts, citations, lang, on_delta) -> str:
        messages = build_messages(question, facts,
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
        return {r[0] for r in self.store.query("SELECT DISTINCT sig FROM rollup_day WHERE status='failed'")}

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
        self.state.close()


def channel_defaults(reading, cs: ChannelSettings | None, context: dict | None, planned: bool):
    """The channel's filter, for a question that names no technology or pipeline of its own (nor
    inherits one the user named earlier in the thread): a name in the question wins. Returns the
    reading and the names the channel supplied, which the interpretation line shows. What a
    channel supplied to an earlier turn is not carried over as if the user had said it: the
    channel's current settings decide again (they may have changed, or the panel moved on)."""
    q = reading.query
    if (q.techs or q.pipelines or q.exclude_techs or q.exclude_pipelines) if planned else "names" in reading.said:
        return reading, ()
    inherited = {str(x) for x in (context or {}).get("channel_default") or () if isinstance(x, str)}
    if inherited:
        q = q.with_(techs=tuple(x for x in q.techs if x not in inherited),
                    pipelines=tuple(x for x in q.pipelines if x not in inherited))
    if q.techs or q.pipelines or q.exclude_techs or q.exclude_pipelines or cs is None or not cs.names:
        return replace(reading, query=q), ()
    return replace(reading, query=q.with_(techs=cs.techs, pipelines=cs.pipelines)), cs.names


RELATED_MARGIN = 0.03  # e5 similarities of unrelated log lines sit a few hundredths below the match


def related(hits) -> set[str]:
    """The best message, and those almost as close to the question: not just anything in the filters."""
    top = hits[0].similarity
    return {h.signature_id for i, h in enumerate(hits)
            if i == 0 or top is None or h.similarity is None or h.similarity >= top - RELATED_MARGIN}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
