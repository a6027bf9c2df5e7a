"""The digest of a generated month, checked figure by figure against plain Python over the
generated documents: a new error, a recurring one, a failure streak, a pipeline gone silent, a
recovered one and a healthy one."""
from __future__ import annotations

import json
import statistics
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, TZ, run

PARIS = ZoneInfo(TZ)
DAY = date(2026, 11, 23)  # yesterday for conftest.NOW


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=PARIS).astimezone(timezone.utc)


def month() -> list[dict]:
    docs = []
    for k in range(30, -1, -1):
        d = DAY - timedelta(days=k - 1) if k else DAY + timedelta(days=1)
        d = DAY - timedelta(days=k)
        for h in range(0, 24, 2):
            # healthy: every 2 hours, always fine
            docs.append(run("healthy_load", "dbt", "SUCCESS", "", local(d, h, 5)))
            # flaky: fails at 6 and 14 with a weeks-old error
            docs.append(run("flaky_export", "Airflow", "FAILED" if h in (6, 14) else "SUCCESS",
                            "SFTP connection reset by peer after 30 s" if h in (6, 14) else "", local(d, h, 10)))
            # went silent: ran every 2 hours until the day before DAY
            if d < DAY:
                docs.append(run("partner_feed", "NiFi", "SUCCESS", "", local(d, h, 20)))
            # streak: fine until DAY 15:00, then fails with a brand-new error until the end
            if d == DAY and h >= 15 or d > DAY:
                st, msg = "FAILED", "ORA-01653 unable to extend table SALES by 8192 in tablespace USERS"
            else:
                st, msg = "SUCCESS", ""
            if d <= DAY:
                docs.append(run("sales_agg", "Informatica", st, msg, local(d, h, 30)))
            # recovered: fails in the morning of DAY, then fine
            if d == DAY and h in (2, 4):
                docs.append(run("crm_sync", "Talend", "FAILED", "Deadlock found when trying to get lock", local(d, h, 40)))
            elif d <= DAY:
                docs.append(run("crm_sync", "Talend", "SUCCESS", "", local(d, h, 40)))
    return docs


@pytest.fixture
def digest_engine(mongo_db, make_engine):
    docs = month()
    mongo_db.flows.insert_many([dict(x) for x in docs])
    e = make_engine(mongo_db.name)
    e.ingest()
    return e, docs


def day_of(doc) -> date:
    return doc["timestamp"].astimezone(PARIS).date()


def test_digest_figures_match_the_generated_month(digest_engine, tmp_path):
    e, docs = digest_engine
    d = e.digest(DAY, language="fr", chart=tmp_path / "chart.png")
    on_day = [x for x in docs if day_of(x) == DAY]
    failed = [x for x in on_day if x["status"] == "FAILED"]
    assert d.date == "2026-11-23" and d.runs == len(on_day) and d.failures == len(failed)
    assert d.failures_by_tech == dict(Counter(x["tech"] for x in failed))
    before = [sum(1 for x in docs if x["status"] == "FAILED" and day_of(x) == DAY - timedelta(days=k))
              for k in range(1, 8)]
    assert d.usual_failures["median"] == statistics.median(before)
    assert d.usual_failures["change"] == len(failed) - statistics.median(before)

    first_seen = {}
    for x in sorted(docs, key=lambda x: x["timestamp"]):
        first_seen.setdefault(x["error_message"], x["timestamp"])
    new = {x["error_message"] for x in failed if day_of({"timestamp": first_seen[x["error_message"]]}) == DAY}
    assert {n["message"] for n in d.new_errors} == new  # the ORA error and the deadlock
    ora = next(n for n in d.new_errors if n["message"].startswith("ORA-01653"))
    assert ora["count"] == sum(1 for x in failed if x["error_message"].startswith("ORA-01653"))
    assert ora["citations"] and all(1 <= r <= len(d.citations) for r in ora["citations"])
    assert {r["message"] for r in d.recurring} == {"SFTP connection reset by peer after 30 s"}
    streak = [x for x in on_day if x["pipeline_name"] == "sales_agg" and x["status"] == "FAILED"]
    since = min(x["timestamp"] for x in streak).isoformat().replace("+00:00", "Z")
    assert d.ongoing == [{"pipeline": "sales_agg", "tech": "Informatica", "since": since, "failed_runs": len(streak),
                          "episode_since": since, "episode_runs": len(streak), "episode_failed": len(streak)}]
    assert [s["pipeline"] for s in d.silent] == ["partner_feed"]
    assert d.silent[0]["usual_every"] == "2h"
    assert {r["pipeline"] for r in d.recovered} == {"crm_sync", "flaky_export"}
    assert "healthy_load" not in json.dumps(d.as_json())
    # the posted text: French, the counts, and citations that exist
    assert d.text.startswith("*Synthèse des flux — 2026-11-23*")
    assert f"{len(failed)} échecs sur {len(on_day)} exécutions" in d.text
    assert "[1]" in d.text and "sales_agg" in d.text and "partner_feed" in d.text
    # the chart: a real PNG with 14 days
    png = (tmp_path / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(d.per_day_by_tech) == 14


def test_digest_cli_json_and_bad_date(digest_engine, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from flowrag.cli import app

    e, docs = digest_engine
    env = {"MONGO_URI": e.settings.mongo_uri, "MONGO_DB": e.settings.mongo_db, "MONGO_COLLECTION": "flows",
           "CHROMA_DB_DIR": str(e.settings.chroma_db_dir), "FLOWRAG_TIMEZONE": TZ, "LITELLM_MODEL": ""}
    r = CliRunner().invoke(app, ["digest", "--date", "2026-11-23", "--json", "--chart", str(tmp_path / "c.png")],
                           env=env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for key in ("date", "runs", "failures", "failures_by_tech", "failures_by_pipeline", "usual_failures",
                "new_errors", "recurring", "ongoing", "recovered", "silent", "chart", "text", "citations"):
        assert key in out, key
    assert out["chart"] == str(tmp_path / "c.png")
    r = CliRunner().invoke(app, ["digest", "--date", "2026-02-31"], env=env)
    assert r.exit_code == 2 and "not a date" in r.output
