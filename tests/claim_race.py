"""Several bot processes racing for the same post, over real sockets: the composition `flowrag
serve` builds (settings from the environment, Engine, the retrying WebClient, DigestPoster,
AlertPoster, their claims), one per process, driven line by line so that every round starts in
all of them at once. Used by tests/test_exactly_once.py (a few rounds) and bench/bench_claims.py
(many).

    python tests/claim_race.py          # a worker: reads commands on stdin, one JSON line out each
      digest CHANNEL DAY                # post that day's digest in CHANNEL unless claimed elsewhere
      alert                             # ingest what is new, then check for alerts (FLOWRAG_ALERT_CHANNEL)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker() -> None:
    from bot.alerts import AlertPoster
    from bot.app import web_client
    from bot.digest import DigestPoster
    from core.engine import Engine
    from core.errors import IngestRunning
    from core.settings import load_settings

    settings = load_settings()
    engine = Engine(settings)
    try:
        engine.ingest()
    except IngestRunning:
        pass  # another worker sharing this index builds it
    client = web_client(settings)
    digests = DigestPoster(client, engine)
    alerts = AlertPoster(client, engine, settings.alert_channel, max_per_hour=1000, language="en",
                         catch_up_s=settings.alert_catch_up_s) if settings.alert_channel else None
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        cmd, *args = line.split()
        t0 = time.monotonic()
        if cmd == "digest":
            ts = digests.post(args[0], date.fromisoformat(args[1]), "en")
            out = {"ts": ts}
        elif cmd == "alert":
            try:
                engine.ingest()
            except IngestRunning:
                time.sleep(0.5)  # the other process sharing the index is storing it: check after
            out = {"ts": alerts.check()}
        else:
            out = {"error": f"unknown command {cmd}"}
        print(json.dumps(dict(out, ms=round((time.monotonic() - t0) * 1000))), flush=True)


class Workers:
    """n worker processes; `index_dirs` one per worker (replicas) or the same one (shared index)."""

    def __init__(self, env: dict, index_dirs: list[Path]):
        self.procs, self.logs = [], {}
        for i, d in enumerate(index_dirs):
            if i == 1:
                # the first one creates the index alone: Chroma cannot create one directory from two
                # processes at once ("table collections already exists"); the races come after
                self._read(self.procs[0])
            log = Path(f"{d}-worker-{i}.log")
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("w") as err:
                p = subprocess.Popen([sys.executable, str(Path(__file__))],
                                     env={**os.environ, **env, "CHROMA_DB_DIR": str(d), "PYTHONPATH": str(ROOT)},
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
            self.procs.append(p)
            self.logs[p.pid] = log
        for p in self.procs[1:] if len(self.procs) > 1 else self.procs:
            self._read(p)

    def race(self, command: str) -> list[dict]:
        for p in self.procs:  # microseconds apart: every round starts in all of them at once
            p.stdin.write(command + "\n")
            p.stdin.flush()
        return [self._read(p) for p in self.procs]

    def _read(self, p) -> dict:
        line = p.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {p.pid} ended (exit {p.wait(5)}):\n{self.logs[p.pid].read_text()[-3000:]}")
        return json.loads(line)

    def close(self) -> None:
        for p in self.procs:
            p.stdin.close()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


if __name__ == "__main__":
    worker()
