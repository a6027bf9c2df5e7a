"""The `flowrag` command line, as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TZ
from flowrag.cli import app
from core.synthetic import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cli_env(mongo_db, mongo_uri, tmp_path):
    # the CLI reads the real clock: the data must be recent relative to it, not to conftest.NOW
    load(mongo_db.flows, 800, now=datetime.now(timezone.utc), seed=21)
    return {"MONGO_URI": mongo_uri, "MONGO_DB": mongo_db.name, "MONGO_COLLECTION": "flows",
            "CHROMA_DB_DIR": str(tmp_path / "idx"), "FLOWRAG_TIMEZONE": TZ, "LITELLM_MODEL": "",
            "MONGO_TIMEOUT_MS": "1500"}


def invoke(env, *args, input=None):
    return CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)


def test_ingest_then_ask_json(cli_env):
    r = invoke(cli_env, "ingest", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["scanned"] == 800 and summary["embedded"] == summary["distinct_messages"] > 0
    assert set(summary) >= {"scanned", "new", "updated", "skipped", "distinct_messages", "embedded", "seconds"}

    r = invoke(cli_env, "ask", "--json", "How many Spark failures last week?")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) >= {"answer", "citations", "facts", "mode", "timings_ms"}
    assert out["mode"] == "extractive"
    assert out["facts"]["filters"]["techs"] == ["Spark"]
    for c in out["citations"]:
        assert set(c) >= {"ref", "id", "pipeline_name", "tech", "status", "timestamp", "snippet"}
        assert c["tech"].lower() == "spark" and c["status"] == "failed" and c["timestamp"].endswith("Z")


def test_questions_from_stdin_one_json_per_line(cli_env):
    invoke(cli_env, "ingest")
    r = invoke(cli_env, "ask", "--json", input="Quelles technos ont échoué hier ?\n\nHow many dbt failures today?\n")
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["answer"].startswith("Technologies en échec hier")


def test_blank_question_is_a_usage_error(cli_env):
    r = invoke(cli_env, "ask", "   ")
    assert r.exit_code == 2 and "question" in r.stderr.lower()
    r = invoke(cli_env, "ask", input="")
    assert r.exit_code == 2 and "usage" in r.stderr


def test_wrong_mongo_uri_is_named(cli_env):
    env = dict(cli_env, MONGO_URI="mongodb://127.0.0.1:1/", MONGO_TIMEOUT_MS="300")
    r = invoke(env, "ingest")
    assert r.exit_code != 0 and "MONGO_URI" in r.stderr
    r = invoke(dict(cli_env, MONGO_URI="not-a-uri"), "ingest")
    assert r.exit_code != 0 and "MONGO_URI" in r.stderr


def test_bad_setting_is_named(cli_env):
    r = invoke(dict(cli_env, FLOWRAG_TIMEZONE="Mars/Olympus"), "status")
    assert r.exit_code == 2 and "FLOWRAG_TIMEZONE" in r.stderr


def test_console_script_runs(cli_env):
    """The installed entry point, in a real process."""
    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    env = {**os.environ, **cli_env}
    r = subprocess.run(cmd + ["ingest", "--json"], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(cmd + ["ask", "Combien d'échecs Talend ces 30 derniers jours ?"], env=env, capture_output=True,
                       text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "échec" in r.stdout and "[1]" in r.stdout


def test_asking_an_index_never_built_fails_and_says_where(cli_env):
    r = invoke(cli_env, "ask", "How many Spark failures?")
    assert r.exit_code == 1
    assert "nothing was ingested there" in r.stderr and cli_env["CHROMA_DB_DIR"] in r.stderr
    assert "flowrag ingest" in r.stderr and "make demo" in r.stderr
    assert not Path(cli_env["CHROMA_DB_DIR"]).exists(), "asking never creates an empty index"


def test_the_digest_takes_its_language_from_the_settings_and_refuses_others(cli_env):
    invoke(cli_env, "ingest")
    r = invoke({**cli_env, "FLOWRAG_DIGEST_LANGUAGE": "en"}, "digest")
    assert r.exit_code == 0 and "failures" in r.stdout and "échecs" not in r.stdout, r.output
    r = invoke(cli_env, "digest", "--lang", "de")
    assert r.exit_code == 2 and "fr or en" in r.stderr


def test_a_digest_of_a_day_still_to_come_is_refused(cli_env):
    invoke(cli_env, "ingest")
    r = invoke(cli_env, "digest", "--date", "2999-01-01")
    assert r.exit_code == 2 and "has not come yet" in r.stderr and r.stdout == "", r.output


def test_a_citation_of_a_run_without_message_ends_cleanly(cli_env, mongo_db):
    now = datetime.now(timezone.utc)
    mongo_db.flows.insert_one({"pipeline_name": "quiet-export", "tech": "NiFi", "status": "SUCCESS",
                               "error_message": "", "timestamp": now})
    invoke(cli_env, "ingest")
    r = invoke(cli_env, "ask", "when did quiet-export last run?")
    assert r.exit_code == 0, r.output
    cited = [line for line in r.stdout.splitlines() if line.startswith("[1] ")]
    assert cited and cited[0].startswith("[1] quiet-export · NiFi · success · "), r.stdout
    assert not cited[0].rstrip().endswith("·"), cited[0]


def test_stdin_lines_are_one_thread_only_when_asked(cli_env):
    invoke(cli_env, "ingest")
    lines = "How many Talend failures last week?\nand for dbt?\n"
    apart = [json.loads(x) for x in invoke(cli_env, "ask", "--json", input=lines).stdout.splitlines()]
    together = [json.loads(x) for x in invoke(cli_env, "ask", "--json", "--thread", input=lines).stdout.splitlines()]
    alone = apart[1]["facts"]["filters"]  # "and for dbt?" on its own: dbt runs of all time
    assert alone["techs"] == ["dbt"] and alone["statuses"] == [] and alone.get("time") is None, alone
    second = together[1]["facts"]["filters"]
    assert second["techs"] == ["dbt"] and second["statuses"] == ["failed"], second
    assert second["time"] == together[0]["facts"]["filters"]["time"], "the follow-up keeps the week"


def test_a_count_question_does_not_load_the_vector_store_a_why_question_does(cli_env):
    invoke(cli_env, "ingest")
    probe = ("import sys; from flowrag.cli import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('chromadb loaded:', 'chromadb' in sys.modules)")

    def ask(question: str) -> str:
        r = subprocess.run([sys.executable, "-c", probe, "ask", question], env={**os.environ, **cli_env},
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return r.stdout

    out = ask("How many Spark failures last week?")
    assert "Spark" in out and out.rstrip().endswith("chromadb loaded: False")
    # a symptom described in words is looked up by meaning: then the vectors are read
    assert ask("Why do Spark jobs run out of memory?").rstrip().endswith("chromadb loaded: True")
