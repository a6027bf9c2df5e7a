"""MongoDB → record store + vector index, incremental, idempotent and resumable.

Each batch is made durable in one order: vectors into the index first, then records,
signatures and the resume point in one SQLite transaction. A run killed anywhere leaves
either nothing or something the next run redoes identically (ids are Mongo `_id`s)."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from .embedder import Embedder
from .errors import IngestRunning
from .index import ChromaIndex
from .normalize import FieldMapping, UnreadableRecord, normalize
from .signature import signature, signature_id
from .source import MongoSource
from .store import SqliteRecordStore

# Client clocks drift and ObjectIds are only second-ordered: re-read this much before the
# watermark every time and let idempotent upserts absorb the overlap.
OVERLAP = timedelta(minutes=10)


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

    def run(self, full: bool = False, progress: ProgressFn | None = None) -> IngestSummary:
        t0 = time.perf_counter()
        with (ingest_lock(self.lock_dir) if self.lock_dir is not None else nullcontext()):
            self.source.ping()  # before touching anything: a wrong MONGO_URI leaves the index as it was
            if full:
                self.index.reset()
                self.store.clear()
            self.index.open_for_writing(self.embedder.name, self.embedder.dim)
            return self._run(full, progress, t0)

    def _run(self, full: bool, progress: ProgressFn | None, t0: float) -> IngestSummary:
        st = self.store
        started = datetime.now(timezone.utc)
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
        for docs in self.source.scan(since, after, self.batch_size):
            process(docs, keep_resume=True)
        if full or st.get_meta("has_other_ids", True):
            seen_other = False
            for docs in self.source.scan_other_ids(self.batch_size):
                seen_other = True
                process(docs, keep_resume=False)
            st.set_meta("has_other_ids", seen_other)

        with st.transaction():
            if max_seen is not None:
                # ObjectIds minted in the future (hashes, bad clocks) must not push the watermark past now
                st.set_meta("max_id_time", _iso(max_seen))
                st.set_meta("watermark", _iso(min(max_seen, started)))
            st.set_meta("resume", None)
            st.set_meta("last_ingest", _iso(datetime.now(timezone.utc)))
            st.set_meta("embedder", self.embedder.name)
            st.set_meta("vocabulary", st.vocabulary())
            st.set_meta("generation", (st.get_meta("generation", 0) or 0) + 1)
        counts = st.counts()
        summary = IngestSummary(
            scanned=c["scanned"], new=c["new"], updated=c["updated"], unchanged=c["unchanged"], skipped=c["skipped"],
            distinct_messages=counts["distinct_messages"], new_messages=c["new_messages"], embedded=c["embedded"],
            seconds=round(time.perf_counter() - t0, 2), full=full, resumed=bool(resume))
        st.set_meta("last_summary", summary.as_dict())
        return summary

    def _ingest_batch(self, docs: list[dict], c: dict):
        rows, sig_text, examples = [], {}, {}
        last_id = None
        for doc in docs:
            c["scanned"] += 1
            _id = doc.get("_id") if isinstance(doc, dict) else None
            if type(_id).__name__ == "ObjectId":
                last_id = _id
            try:
                rec = normalize(doc, self.mapping)
            except UnreadableRecord:
                c["skipped"] += 1
                continue
            text = signature(rec.message) if rec.message else "(no message)"
            sid = signature_id(text)
            sig_text.setdefault(sid, text)
            examples.setdefault(sid, rec.message)
            rows.append((rec, sid))
        if not rows:
            return last_id
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
        with self.store.transaction():
            self.store.add_signatures([(s, sig_text[s], examples[s]) for s in new_sigs])
            res = self.store.upsert(rows)
        c["new"] += res.new
        c["updated"] += res.updated
        c["unchanged"] += res.unchanged
        c["new_messages"] += len(new_sigs)
        return last_id


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def _parse(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _oid(s: str):
    from bson import ObjectId

    return ObjectId(s)
