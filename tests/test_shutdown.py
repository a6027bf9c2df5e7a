"""SIGTERM while answers are stuck, in a real `flowrag serve` process over real sockets (Bolt +
SocketModeHandler against the Slack stand-in, litellm over HTTP against the LLM stand-in, the
index built from SecantusDB): every question in flight gets its answer or an apology with an error
id within the drain, and the process exits 0 within the drain + 2 s, whatever the LLM does.

The first release waited on a stuck model through three attempts ~26 s apart, then stayed up past
its drain: Bolt's listener workers are joined without a timeout at interpreter exit."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from llm_standin import ChatStandin
from test_bot import CH, all_text, data, final_answer, mention, slack  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[1]
DRAIN_S = 8.0  # bot/app.py: what the process promises after SIGTERM


def serve(slack, engine, llm, tmp_path, mongo_uri, db) -> subprocess.Popen:
    from conftest import TZ

    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MONGO_URI": mongo_uri, "MONGO_DB": db,
           "MONGO_COLLECTION": "flows", "CHROMA_DB_DIR": str(engine.settings.chroma_db_dir), "FLOWRAG_TIMEZONE": TZ,
           "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_APP_TOKEN": slack.app_token, "SLACK_API_URL": slack.api_url,
           "FLOWRAG_HEARTBEAT_FILE": str(tmp_path / "heartbeat"), "LITELLM_MODEL": "openai/test-model",
           "LITELLM_API_BASE": llm.url, "LITELLM_API_KEY": "sk-test", "LITELLM_TIMEOUT": "30"}
    return subprocess.Popen(cmd + ["serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_sigterm_with_a_stuck_llm_and_a_stuck_slack_answers_or_apologises_then_exits(
        slack, data, make_engine, mongo_uri, tmp_path):  # noqa: F811 - fixtures
    engine = make_engine(data.name)
    engine.ingest()
    expected = sum(1 for d in data.flows.find({"tech": "Hadoop", "status": "FAILED"}))
    with ChatStandin(mode="hang", hang_seconds=120) as llm:  # slower than the drain, and than LITELLM_TIMEOUT
        proc = serve(slack, engine, llm, tmp_path, mongo_uri, data.name)
        try:
            slack.wait_connected(timeout=60)
            # one question waits on the model; another on Slack itself (its thinking status hangs)
            stuck_llm, _ = mention(slack, "How many Hadoop failures?")
            slack._wait("the model asked", lambda: llm.requests or None, 30)
            slack.slow("assistant.threads.setStatus", 60)
            stuck_slack, _ = mention(slack, "Combien d'échecs Hadoop ?")
            slack._wait("the stuck Slack call", lambda: slack.slow_arrivals or None, 30)
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
                raise AssertionError("`flowrag serve` still running 60 s after SIGTERM:\n" + err[-4000:]) from None
            took = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    print(f"exited {took:.1f} s after SIGTERM")  # shown with -s: the figure the README gives
    assert proc.returncode == 0, err[-3000:]
    assert took <= DRAIN_S + 2.0, f"exited {took:.1f} s after SIGTERM\n{err[-3000:]}"
    assert len(llm.requests) == 1, "the stuck model was asked again"

    answered = final_answer(slack, stuck_llm["ts"], timeout=1)
    assert f"{expected} Hadoop failures" in all_text(answered.params)  # the deterministic answer
    assert answered.at - sent <= DRAIN_S

    apology = final_answer(slack, stuck_slack["ts"], timeout=1)
    text = all_text(apology.params)
    assert "Désolé" in text and "flowrag redémarre" in text and apology.at - sent <= DRAIN_S
    ref = re.search(r"réf\. ([0-9a-f]{8})", text).group(1)
    assert ref in err  # the same id in the log
