"""Where the index is: after `make demo`, `flowrag status` / `ask` / `digest` read the demo's
index (and say so), and no reading command creates an empty index by opening a directory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, run

ROOT = Path(__file__).resolve().parent.parent


def flowrag(cwd: Path, *args: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CHROMA", "FLOWRAG_", "MONGO_"))}
    base.update(PYTHONPATH=str(ROOT), LITELLM_LOCAL_MODEL_COST_MAP="True", **env)
    return subprocess.run([sys.executable, "-m", "flowrag", *args], cwd=cwd, env=base, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def demo_dir(tmp_path, mongo_db, make_engine):
    """A directory laid out as after `make demo`: .flowrag/demo/index built, no ./chroma_db."""
    mongo_db.flows.insert_many([run("spark-etl", "Spark", "FAILED", "boom", NOW), run("dbt-x", "dbt", "SUCCESS", "", NOW)])
    engine = make_engine(mongo_db.name, CHROMA_DB_DIR=str(tmp_path / ".flowrag" / "demo" / "index"))
    engine.ingest()
    engine.close()
    return tmp_path


def test_status_after_make_demo_reads_the_demo_index(demo_dir):
    r = flowrag(demo_dir, "status", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["records"] == 2
    assert ".flowrag/demo/index" in r.stderr  # said, so that nobody wonders which index answered
    assert not (demo_dir / "chroma_db").exists()


def test_no_index_anywhere_is_said_and_nothing_is_created(tmp_path):
    for command in (["status"], ["ask", "how many failures yesterday?"], ["digest"]):
        r = flowrag(tmp_path, *command)
        assert r.returncode == 1, (command, r.stdout, r.stderr)
        assert "make demo" in r.stderr and "CHROMA_DB_DIR" in r.stderr
    assert not any(tmp_path.iterdir()), "no empty index made on the way"


def test_an_explicit_index_that_was_never_built_is_refused(tmp_path):
    r = flowrag(tmp_path, "status", CHROMA_DB_DIR=str(tmp_path / "elsewhere"))
    assert r.returncode == 1 and "nothing was ingested there" in r.stderr
    assert not (tmp_path / "elsewhere").exists()
