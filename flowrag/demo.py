"""`flowrag demo`: the whole thing on a laptop with nothing configured.

An embedded MongoDB-compatible server (SecantusDB) holds a month of synthetic pipeline runs, the
real ingest builds the real index, and the questions go through the same `Engine.ask` the Slack
bot uses. Everything lives under one directory (default `./.flowrag/demo`), so a second run reuses
what the first built and starts in seconds."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from core.errors import FlowragError, IndexMismatch
from core.settings import Settings, load_settings

DEFAULT_DIR = Path(".flowrag/demo")
DEMO_DB = "flowrag_demo"
DEMO_COLLECTION = "flows"
DEMO_RECORDS = 5000
STAMP = "generated.json"  # when the synthetic data was made: "yesterday" must mean something

# (question, is it a follow-up of the previous one?)
QUESTIONS: tuple[tuple[str, bool], ...] = (
    ("How many Spark failures yesterday?", False),
    ("Quelles technos ont échoué hier ?", False),
    # The synthetic data has a Spark OOM incident about three days back: "7 derniers jours"
    # always covers it, whatever the weekday ("cette semaine" would not on a Monday).
    ("Explique les erreurs OutOfMemoryError de Spark ces 7 derniers jours", False),
    ("et pour Talend ?", True),
)

CONNECT_REAL = """\
Ask this demo's data from the command line (its index stays in .flowrag/demo/index):
  CHROMA_DB_DIR=.flowrag/demo/index .venv/bin/flowrag ask "Which pipelines failed the most last week?"

To connect the real thing:
  1. Point flowrag at your MongoDB (in the environment or a .env file, see .env.example):
       MONGO_URI=mongodb://user:password@host:27017  MONGO_DB=...  MONGO_COLLECTION=...
     and, if your records use other field names, FLOWRAG_FIELD_PIPELINE / _TECH / _STATUS /
     _MESSAGE / _TIMESTAMP (dotted paths for nested fields, e.g. job.name).
  2. flowrag doctor        # checks every setting and says how to fix what fails
  3. flowrag ingest        # builds the index (incremental afterwards; run it on a schedule)
  4. Create the Slack app from manifest.yml (api.slack.com/apps → Create New App → From a manifest),
     then set SLACK_BOT_TOKEN=xoxb-… and SLACK_APP_TOKEN=xapp-… (Socket Mode, connections:write).
  5. flowrag serve         # the bot; mention it or DM it
  Optional: LITELLM_MODEL (any LiteLLM model string, + LITELLM_API_KEY / LITELLM_API_BASE)
  for phrased answers; without it answers stay deterministic."""

Out = Callable[[str], None]


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def mongo(self) -> Path:
        return self.root / "mongo"

    @property
    def index(self) -> Path:
        return self.root / "index"

    @property
    def stamp(self) -> Path:
        return self.root / STAMP


@contextmanager
def embedded_mongo(data_dir: Path) -> Iterator[str]:
    """A MongoDB wire-compatible server in this process, on a free port of 127.0.0.1; yields its URI."""
    from secantus import SecantusDBServer

    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = SecantusDBServer(host="127.0.0.1", port=0, storage_path=str(data_dir), replica_set_name=None)
        server.start()
    except Exception as e:  # a damaged data directory, or another demo holding it
        raise FlowragError(f"The embedded MongoDB could not start on {data_dir} ({type(e).__name__}: {e}). "
                           f"Is another `flowrag demo` running? If not, delete {data_dir.parent} "
                           "and run the demo again.") from None
    try:
        yield f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    finally:
        server.stop()  # every client must be closed by now: stop() waits for connections to drain


def demo_settings(paths: DemoPaths, mongo_uri: str) -> Settings:
    """The user's settings (timezone, LLM, …) with the data source and index swapped for the demo's.
    The record mapping and CHROMA_HOST are reset too: the synthetic records have the default shape,
    and the demo must never write into a real Chroma server."""
    return load_settings(
        MONGO_URI=mongo_uri, MONGO_DB=DEMO_DB, MONGO_COLLECTION=DEMO_COLLECTION,
        CHROMA_DB_DIR=str(paths.index), CHROMA_HOST=None,
        FLOWRAG_FIELD_PIPELINE="pipeline_name", FLOWRAG_FIELD_TECH="tech", FLOWRAG_FIELD_STATUS="status",
        FLOWRAG_FIELD_MESSAGE="error_message", FLOWRAG_FIELD_TIMESTAMP="timestamp",
    )


def read_stamp(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
        date.fromisoformat(data["date"])
        return data
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_data(collection, paths: DemoPaths, today: date, now: datetime, out: Out,
                n: int = DEMO_RECORDS) -> bool:
    """Fill the collection unless today's data is already there. Returns True if it was (re)generated,
    in which case the index must be rebuilt: the new records replace, not extend, the old ones."""
    from core.synthetic import load

    stamp = read_stamp(paths.stamp)
    count = collection.estimated_document_count()
    if stamp and count and date.fromisoformat(stamp["date"]) >= today:
        out(f"Reusing the demo data generated on {stamp['date']}: {count} pipeline runs in {paths.mongo}")
        return False
    why = "first run" if not (stamp and count) else f"data from {stamp['date']} is stale"
    out(f"Generating {n} synthetic pipeline runs over the last 30 days ({why})…")
    collection.drop()
    paths.stamp.unlink(missing_ok=True)  # a crash mid-load must not leave a "fresh" stamp behind
    load(collection, n, now=now)
    paths.stamp.write_text(json.dumps({"date": today.isoformat(), "now": now.isoformat(), "records": n}))
    return True


def ingest_with_progress(engine, full: bool, out: Out):
    """The real incremental ingest, with the same progress bar and summary as `flowrag ingest`."""
    from .terminal import summary_line, terminal_progress

    with terminal_progress() as progress:
        try:
            summary = engine.ingest(full=full, progress=progress)
        except IndexMismatch:
            # e.g. EMBEDDING_BACKEND changed since the last demo: demo data is disposable, rebuild it.
            out("The demo index was built with another embedder: rebuilding it.")
            summary = engine.ingest(full=True, progress=progress)
    out(f"Ingest: {summary_line(summary)}")
    return summary


def ask_samples(engine, tz, out: Out) -> list:
    from .terminal import answer_text

    answers, previous = [], None
    for question, follow_up in QUESTIONS:
        answer = engine.ask(question, context=previous.context if (follow_up and previous) else None)
        label = "  (follow-up)" if follow_up else ""
        out(f"\n> {question}{label}\n{answer_text(answer, tz)}")
        answers.append(answer)
        previous = answer
    return answers


def show_digest(engine, chart: Path, out: Out) -> None:
    """Yesterday's digest, as the bot posts it every morning, and its chart."""
    d = engine.digest(language="fr", chart=chart)
    out(f"\n> flowrag digest  (the morning summary; chart written to {d.chart})\n{d.text}")


CHAT_HELP = ("Ask your own questions (French or English). Consecutive questions form a thread, as in "
             "Slack: “et pour Talend ?” follows up. /new starts a new thread; a blank line, exit or "
             "Ctrl-D leaves.")


def chat_loop(engine, tz, *, input_fn: Callable[[str], str] = input, output_fn: Out = print,
              prompt: str = "> ") -> int:
    """A console thread that goes through the same request path as a Slack thread: each line is
    `Engine.ask(line, context=previous answer's context)`. Returns how many questions were answered."""
    from .terminal import answer_text

    context: dict | None = None
    answered = 0
    while True:
        try:
            line = input_fn(prompt)
        except (EOFError, KeyboardInterrupt):
            output_fn("")
            break
        line = line.strip()
        if not line or line.lower() in ("exit", "quit", "/exit", "/quit"):
            break
        if line.lower() == "/new":
            context = None
            output_fn("(new thread)")
            continue
        try:
            answer = engine.ask(line, context=context)
        except FlowragError as e:
            output_fn(f"error: {e}")
            continue
        output_fn(answer_text(answer, tz) + "\n")
        context = answer.context
        answered += 1
    return answered


def run_demo(root: Path = DEFAULT_DIR, *, out: Out = print, interactive: bool | None = None,
             input_fn: Callable[[str], str] = input, now: datetime | None = None) -> int:
    """The whole demo; returns the exit code. `interactive` defaults to "stdin is a terminal"."""
    from pymongo import MongoClient

    from core.engine import Engine

    paths = DemoPaths(Path(root))
    paths.root.mkdir(parents=True, exist_ok=True)
    if interactive is None:
        interactive = sys.stdin.isatty()
    now = now or datetime.now(timezone.utc)

    out(f"flowrag demo — embedded MongoDB-compatible server + synthetic data in {paths.root}")
    with embedded_mongo(paths.mongo) as uri:
        settings = demo_settings(paths, uri)
        client = MongoClient(uri, serverSelectionTimeoutMS=5000)
        try:
            fresh = ensure_data(client[DEMO_DB][DEMO_COLLECTION], paths, now.astimezone(settings.tz).date(),
                                now, out)
        finally:
            client.close()
        engine = Engine(settings)
        try:
            if engine.settings.litellm_model:
                out(f"LLM: {engine.settings.litellm_model} (LITELLM_MODEL) phrases the answers.")
            else:
                out("No LLM configured: answers are deterministic (exact facts + cited records).")
            ingest_with_progress(engine, full=fresh, out=out)
            ask_samples(engine, settings.tz, out)
            show_digest(engine, paths.root / "digest.png", out)
            if interactive:
                try:
                    import readline  # noqa: F401 - line editing and history for input()
                except ImportError:  # not on every platform
                    pass
                out("\n" + CHAT_HELP)
                chat_loop(engine, settings.tz, input_fn=input_fn, output_fn=out)
        finally:
            engine.close()
    out("\n" + CONNECT_REAL)
    return 0
