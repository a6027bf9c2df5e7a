"""Live ingest inside `flowrag serve`: the index follows MongoDB without anyone typing
`/flowrag ingest`. With change streams (replica sets, sharded clusters) every insert and update
arrives within a second or so, and a resume token kept in the index means a restart loses
nothing; on a standalone server a poll runs every FLOWRAG_INGEST_INTERVAL, re-reading recent runs
so that a RUNNING run set to FAILED hours later is counted. One process ingests at a time: the
others skip that cycle (the ingest lock)."""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from .errors import FlowragError, IngestRunning

log = logging.getLogger("flowrag.live")
TOKEN = "change_stream_token"
MAX_BATCH = 500  # changes stored together: a burst of inserts is one transaction, not 500
BATCH_WAIT_S = 1.0


class LiveIngest:
    def __init__(self, engine, *, interval_s: float | None = None,
                 on_ingested: Callable[[dict], None] | None = None, stop: threading.Event | None = None):
        self.engine = engine
        self.interval_s = interval_s or engine.settings.ingest_interval_s
        self.on_ingested = on_ingested  # e.g. new-error alerts, App Home refresh
        self.stop = stop or threading.Event()
        self.mode = "unknown"

    def run(self) -> None:
        """Until `stop` is set. Errors (MongoDB down) are logged and retried, never fatal."""
        while not self.stop.is_set():
            source = self.engine.source()
            try:
                if source.has_change_streams():
                    self.mode = "change_stream"
                    self._follow(source)
                else:
                    self.mode = "poll"
                    self.poll_once(source)
                    self.stop.wait(self.interval_s)
            except FlowragError as e:
                log.warning("live ingest: %s (retrying in %.0f s)", e, min(self.interval_s, 30))
                self.stop.wait(min(self.interval_s, 30))
            finally:
                source.close()

    def poll_once(self, source=None) -> dict | None:
        try:
            summary = self.engine.ingest().as_dict()
        except IngestRunning:
            log.info("live ingest: another process is ingesting; this cycle is skipped")
            return None
        if self.on_ingested:
            self.on_ingested(summary)
        return summary

    def _follow(self, source) -> None:
        """Open the stream first, then catch up: what arrives in between is in the stream."""
        token = self.engine.store.get_meta(TOKEN)
        with source.watch(resume_after=token) as stream:
            if token is None:
                self.poll_once()
            pending: list[dict] = []
            last_token = token
            while not self.stop.is_set():
                deadline = time.monotonic() + BATCH_WAIT_S
                while len(pending) < MAX_BATCH and time.monotonic() < deadline and not self.stop.is_set():
                    change = stream.try_next()
                    if change is None:
                        if pending:
                            break
                        continue
                    doc = change.get("fullDocument")
                    if doc is not None:  # an update of a document deleted since: nothing to store
                        pending.append(doc)
                    last_token = stream.resume_token
                if pending or (last_token and last_token != token):
                    if self._store(source, pending, last_token):
                        pending, token = [], last_token

    def _store(self, source, docs: list[dict], token) -> bool:
        try:
            counts = self.engine.ingest_changes(source, docs) if docs else {}
        except IngestRunning:
            return False  # kept: stored on the next turn
        # after the records are committed: a crash in between replays these changes, harmlessly
        self.engine.store.set_meta(TOKEN, token)
        if counts and self.on_ingested:
            self.on_ingested(counts)
        return True
