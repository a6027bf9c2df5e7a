"""MongoDB → record store + vector index, incremental, idempotent and resumable.

Each batch is made durable in one order: vectors into the index first, then records,
signatures and the resume point in one SQLite transaction. A run killed anywhere leaves
either nothing or something the next run redoes identically (ids are Mongo `_id`s)."""
from __future__ import annotations

import fcntl
import os
import time
from collections import Counter
from collections.abc import Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Protocol

import numpy as np
from bson import ObjectId, json_util

from .embedder import Embedder, SymmetricEncoder
from .errors import IndexMismatch, IngestRunning
from .index import ChromaIndex
from .normalize import FieldMapping, UnreadableRecord, normalize
from .signature import NO_MESSAGE, signature, signature_id
from .source import MongoSource
from .store import SqliteRecordStore, key_of

# Client clocks drift and ObjectIds are only second-ordered: re-read this much before the
# watermark every time and let idempotent upserts absorb the overlap.
OVERLAP = timedelta(minutes=10)
# Skipped documents are remembered by id (meta "skipped_docs") so that `flowrag doctor` can name
# them after any later run; a document fixed in MongoDB leaves the list when it is read again.
SKIPPED_KEPT = 10_000
# Documents whose _id is not an ObjectId are read again by id each run, up to this many; beyond,
# by a collection scan as before
OTHER_IDS_KEPT = 10_000
ID_SCHEME = 2  # Record ids keep the _id's BSON type (normalize.encode_id); 1: str(_id)


@dataclass(frozen=True)
class IngestProgress:
    scanned: int
    total: int
    new: int
    updated: int
    skipped: int
    embedded: int


@dataclass(frozen=True)
class IngestSummary:
    scanned: int
    new: int
    updated: int
    unchanged: int
    skipped: int
    distinct_messages: int
    new_messages: int
    embedded: int
    seconds: float
    full: bool
    resumed: bool
    out_of_range: int = 0  # part of `skipped`: timestamps before 2000-01-01 or more than a day ahead
    skipped_reasons: dict = field(default_factory=dict)  # reason -> documents; sums to `skipped`
    refreshed: int = 0  # recent runs read again for status updates (not in `scanned`)

    def as_dict(self) -> dict:
        return asdict(self)


ProgressFn = Callable[[IngestProgress], None]


@contextmanager
def ingest_lock(directory: Path):
    """One ingest per index, across processes: an advisory lock the OS drops if we die."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "ingest.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
            raise IngestRunning(
                "An ingest is already running on this index" + (f" ({holder})" if holder else "")
                + ". Wait for it to finish; nothing was changed.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC".encode(), 0)
        yield
    finally:
        os.close(fd)


class VectorCache(Protocol):
    def cached_vectors(self, embedder: str, sigs) -> dict: ...
    def cache_vectors(self, embedder: str, items: dict) -> None: ...


class Ingestor:
    """Reads runs into one index generation: `store` and `index`. `cache` keeps the embeddings
    across generations. `lock_dir` None: the caller already holds the ingest lock."""

    def __init__(self, source: MongoSource, store: SqliteRecordStore, index: ChromaIndex,
                 embedder: Embedder, mapping: FieldMapping, *, cache: VectorCache, lock_dir: Path | None,
                 batch_size: int = 2000):
        self.source, self.store, self.index, self.embedder = source, store, index, embedder
        self.mapping, self.lock_dir, self.batch_size, self.cache = mapping, lock_dir, batch_size, cache
        # timestamps more than a day after this clock are out of range; tests may replace it
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
        # (store) -> (field, since): which recent runs to read again for updates; None: none
        self.refresh: Callable[[SqliteRecordStore], tuple[str, datetime]] | None = None

    def ingest_docs(self, docs: list[dict]) -> dict:
        """Documents pushed by a change stream: stored like a batch of a run (the caller holds
        the ingest lock). Returns the batch's counts."""
        self._start(False, self.clock())
        self.index.open_for_writing(self.embedder.name, self.embedder.dim)
        c = dict(scanned=0, new=0, updated=0, unchanged=0, skipped=0, new_messages=0, embedded=0)
        self._ingest_batch(docs, c)
        with self.store.transaction():
            self._save_other_ids()
            self.store.set_meta("last_ingest", _iso(datetime.now(timezone.utc)))
            # new names may have come in: readers reload the vocabulary
            self.store.set_meta("generation", (self.store.get_meta("generation", 0) or 0) + 1)
        return c

    def run(self, full: bool = False, progress: ProgressFn | None = None) -> IngestSummary:
        t0 = time.perf_counter()
        with (ingest_lock(self.lock_dir) if self.lock_dir is not None else nullcontext()):
            self.source.ping()  # before touching anything: a wrong MONGO_URI leaves the index as it was
            if full:
                self.index.reset()
                self.store.clear()
            else:
                self._check_source_timezone()
            self.index.open_for_writing(self.embedder.name, self.embedder.dim)
            return self._run(full, progress, t0)

    def _start(self, full: bool, started: datetime) -> None:
        """Per-run state: the clock for range checks, skip reasons, names seen so far."""
        st = self.store
        self._now = started
        self._reasons: Counter[str] = Counter()
        kept = st.get_meta("skipped_docs") or {}
        self._skipped_ids: dict[str, list] = dict(kept.get("ids") or {})
        self._skipped_capped = bool(kept.get("capped"))
        self._vocab = st.get_meta("vocabulary") or {"tech": {}, "pipeline": {}}
        self._seen_names: set[tuple[str, str]] = set()
        other = st.get_meta("other_ids") or {}
        self._other_ids: set[str] = set(other.get("ids") or ())  # non-ObjectId _ids, as extended JSON
        self._other_changed = False
        # written with the first batch that stores records: from then on the index answers
        self._first_meta: dict | None = {"embedder": self.embedder.name,
                                         "source_timezone": self.mapping.source_timezone}
        if full or st.is_empty():
            self._first_meta["id_scheme"] = ID_SCHEME  # every record will carry a typed id

    def _check_source_timezone(self) -> None:
        """Zone-less timestamps already stored were read in one zone; mixing in another would
        shift some runs and not others."""
        st = self.store
        built = st.get_meta("source_timezone") or "UTC"  # indexes before the setting read them as UTC
        wanted = self.mapping.source_timezone
        if built != wanted and not st.is_empty():
            raise IndexMismatch(
                f"The index read timestamps without a zone as {built}, but FLOWRAG_SOURCE_TIMEZONE={wanted}. "
                "Rebuild it with `flowrag ingest --full` (or set FLOWRAG_SOURCE_TIMEZONE back).")

    def _run(self, full: bool, progress: ProgressFn | None, t0: float) -> IngestSummary:
        st = self.store
        started = self.clock()
        self._start(full, started)
        resume = st.get_meta("resume")  # set while a run is under way; present now = last run died
        if resume:
            since = _parse(resume["since"])
            after = _oid(resume["after"]) if resume.get("after") else None
        else:
            wm = st.get_meta("watermark")
            since = _parse(wm) - OVERLAP if wm else None
            after = None
        total = self.source.count() if since is None else 0  # incremental: unknown until read
        c = dict(scanned=0, new=0, updated=0, unchanged=0, skipped=0, new_messages=0, embedded=0)
        max_seen = _parse(st.get_meta("max_id_time"))
        report = (lambda: progress(IngestProgress(c["scanned"], max(total, c["scanned"]), c["new"],
                                                  c["updated"], c["skipped"], c["embedded"]))) if progress else None

        def process(docs: list[dict], keep_resume: bool) -> None:
            nonlocal max_seen
            last_id = self._ingest_batch(docs, c)
            if keep_resume and last_id is not None:
                gen = last_id.generation_time
                max_seen = gen if max_seen is None else max(max_seen, gen)
            if report:
                report()
            if keep_resume and last_id is not None:
                # after the batch's own transaction: if we die between, the batch is redone, harmlessly
                st.set_meta("resume", {"since": _iso(since), "after": str(last_id)})

        if report:
            report()
        st.set_meta("resume", {"since": _iso(since), "after": str(after) if after else None})
        prev_max = _oid(st.get_meta("max_id")) if st.get_meta("max_id") else None
        beyond = 0  # documents past the last run's largest ObjectId: new to the collection
        max_id = prev_max
        for docs in self.source.scan(since, after, self.batch_size):
            ids = [d["_id"] for d in docs if isinstance(d, Mapping) and type(d.get("_id")) is ObjectId]
            beyond += sum(1 for i in ids if prev_max is None or i > prev_max)
            if ids:
                max_id = max(ids) if max_id is None else max(max_id, max(ids))
            process(docs, keep_resume=True)
        # _ids that are not ObjectIds have no creation time to go by: all of them, every run. Those
        # known are read by id; a collection scan looks for others only when the collection holds
        # more documents than the index accounts for (inserts with such ids, or back-dated ones)
        in_collection = self.source.count()
        other = st.get_meta("other_ids")
        known = st.get_meta("known_docs")
        unaccounted = known is None or known + beyond != in_collection
        if since is None or other is None or other.get("capped") or unaccounted:
            self._other_ids.clear()
            self._other_changed = True
            others = self.source.scan_other_ids(self.batch_size)
        else:
            others = self.source.scan_ids([_load_id(x) for x in other.get("ids") or ()], self.batch_size)
        for docs in others:
            process(docs, keep_resume=False)
        # runs written at start and updated at the end: re-read the recent ones (or those updated
        # since the last run), since their ObjectId is older than the watermark's overlap
        if self.refresh is not None and not full and since is not None:  # a first run read everything
            field, since = self.refresh(st)
            before = c["scanned"]
            for docs in self.source.scan_recent(field, since, self.batch_size):
                process(docs, keep_resume=False)
            c["refreshed"], c["scanned"] = c["scanned"] - before, before

        with st.transaction():
            if max_seen is not None:
                # ObjectIds minted in the future (hashes, bad clocks) must not push the watermark past now
                st.set_meta("max_id_time", _iso(max_seen))
                st.set_meta("watermark", _iso(min(max_seen, started)))
            st.set_meta("resume", None)
            self._save_other_ids()
            st.set_meta("known_docs", in_collection)
            if max_id is not None:
                st.set_meta("max_id", str(max_id))
            st.set_meta("last_ingest", _iso(datetime.now(timezone.utc)))
            st.set_meta("embedder", self.embedder.name)
            st.set_meta("vocabulary", st.vocabulary())
            st.set_meta("generation", (st.get_meta("generation", 0) or 0) + 1)
        counts = st.counts()
        summary = IngestSummary(
            scanned=c["scanned"], new=c["new"], updated=c["updated"], unchanged=c["unchanged"], skipped=c["skipped"],
            distinct_messages=counts["distinct_messages"], new_messages=c["new_messages"], embedded=c["embedded"],
            seconds=round(time.perf_counter() - t0, 2), full=full, resumed=bool(resume),
            out_of_range=self._reasons.get("out_of_range", 0), skipped_reasons=dict(sorted(self._reasons.items())),
            refreshed=c.get("refreshed", 0))
        st.set_meta("last_summary", summary.as_dict())
        return summary

    def _ingest_batch(self, docs: list[dict], c: dict):
        rows, sig_text, examples = [], {}, {}
        last_id = None
        skipped_changed = False
        for doc in docs:
            c["scanned"] += 1
            _id = doc.get("_id") if isinstance(doc, Mapping) else None
            if type(_id) is ObjectId:
                last_id = _id
            elif _id is not None:
                key = _dump_id(_id)
                if key not in self._other_ids:
                    self._other_ids.add(key)
                    self._other_changed = True
            try:
                rec = normalize(doc, self.mapping, now=self._now)
            except UnreadableRecord as e:
                c["skipped"] += 1
                self._reasons[e.reason] += 1
                skipped_changed |= self._remember_skipped(e)
                continue
            if self._skipped_ids and self._skipped_ids.pop(rec.id, None) is not None:
                skipped_changed = True  # fixed in MongoDB since
            text = signature(rec.message) if rec.message else NO_MESSAGE
            sid = signature_id(text)
            sig_text.setdefault(sid, text)
            examples.setdefault(sid, rec.message)
            rows.append((rec, sid))
        meta = self._batch_meta(rows, skipped_changed)
        if not rows and not meta:
            return last_id
        new_sigs: list[str] = []
        if rows:
            known = self.store.known_signatures(sig_text)
            new_sigs = [s for s in sig_text if s not in known]
            fresh: dict = {}
            if new_sigs:
                vectors = self.cache.cached_vectors(self.embedder.name, new_sigs)
                missing = [s for s in new_sigs if s not in vectors]
                if missing:
                    fresh = dict(zip(missing, self.embedder.embed_passages([sig_text[s] for s in missing])))
                    vectors.update(fresh)
                    c["embedded"] += len(missing)
                self.index.upsert(new_sigs, np.vstack([vectors[s] for s in new_sigs]))
            self.cache.cache_vectors(self.embedder.name, fresh)  # a cache: written first, harmless if orphaned
            if new_sigs and isinstance(self.embedder, SymmetricEncoder) and self.embedder.symmetric_name:
                self._cache_symmetric(new_sigs, sig_text)
        with self.store.transaction():
            if rows:
                self.store.add_signatures([(s, sig_text[s], examples[s]) for s in new_sigs])
                res = self.store.upsert(rows)
            for key, value in meta.items():
                self.store.set_meta(key, value)
        if rows:
            c["new"] += res.new
            c["updated"] += res.updated
            c["unchanged"] += res.unchanged
            c["new_messages"] += len(new_sigs)
        return last_id

    def _save_other_ids(self) -> None:
        """The non-ObjectId `_id`s to read again next run (in the caller's transaction); past
        OTHER_IDS_KEPT, every run scans for them instead."""
        if self._other_changed:
            capped = len(self._other_ids) > OTHER_IDS_KEPT
            self.store.set_meta("other_ids", {"ids": [] if capped else sorted(self._other_ids), "capped": capped})
            self._other_changed = False

    def _remember_skipped(self, e: UnreadableRecord) -> bool:
        rid = e.record_id
        if rid is None:
            return False  # no _id to name it by: counted only
        entry = [e.reason, e.value[:100]]
        if self._skipped_ids.get(rid) == entry:
            return False
        if rid not in self._skipped_ids and len(self._skipped_ids) >= SKIPPED_KEPT:
            changed = not self._skipped_capped
            self._skipped_capped = True
            return changed
        self._skipped_ids[rid] = entry
        return True

    def _cache_symmetric(self, sigs: list[str], sig_text: dict[str, str]) -> None:
        """New messages encoded as questions too, for why-questions' ranking (core/ask/relevance.py);
        a cache beside the vectors, never in the index."""
        name = self.embedder.symmetric_name
        missing = [s for s in sigs if s not in self.cache.cached_vectors(name, sigs)]
        if missing:
            self.cache.cache_vectors(name, dict(zip(missing, self.embedder.embed_as_queries(
                [sig_text[s] for s in missing]))))

    def _batch_meta(self, rows: list, skipped_changed: bool) -> dict:
        """Meta written in the batch's own transaction, so a run killed after any batch leaves an
        index that answers from what it holds: the embedder (from the first batch), the names
        questions may use, and the skipped documents."""
        meta: dict = {}
        if rows and self._first_meta:
            meta.update(self._first_meta)
            self._first_meta = None
        if rows:
            vocab_changed = False
            for rec, _ in rows:
                for kind, name in (("tech", rec.tech), ("pipeline", rec.pipeline)):
                    if (kind, name) in self._seen_names:
                        continue
                    self._seen_names.add((kind, name))
                    names = self._vocab.setdefault(kind, {})
                    key = key_of(name)
                    if key not in names:  # the end of the run recounts the usual spelling
                        names[key] = name
                        vocab_changed = True
            if vocab_changed:
                meta["vocabulary"] = self._vocab
                meta["generation"] = (self.store.get_meta("generation", 0) or 0) + 1
        if skipped_changed:
            meta["skipped_docs"] = {"ids": self._skipped_ids, "capped": self._skipped_capped}
        return meta


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _parse(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _oid(s: str):
    from bson import ObjectId

    return ObjectId(s)


def _dump_id(value) -> str:
    """An _id as canonical extended JSON: its BSON type survives the round trip (7 ≠ "7")."""
    return json_util.dumps({"v": value}, json_options=json_util.CANONICAL_JSON_OPTIONS)


def _load_id(text: str):
    return json_util.loads(text, json_options=json_util.CANONICAL_JSON_OPTIONS)["v"]
