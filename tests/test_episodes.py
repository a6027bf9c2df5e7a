"""Failure episodes: "since when is X failing?" is the start of the current episode, not of the
failures since its very last success; "several in a row" is a threshold, said as such."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, TZ, run

XGB = "PythonException: ModuleNotFoundError: No module named 'xgboost' (executor {})"
START = NOW - timedelta(days=3)


def _runs() -> list[dict]:
    """fraud: one failure, healthy, then 12 failures with one error, one lone success, one more failure (the
    issue's spark-fraud-scoring). sales: failed with an error, succeeded once, failed with another
    (a lone success and no error coming back: a recovery). billing: two successes between the same
    error (a healthy stretch: a recovery). ledger: 3 failures in a row. crm: 2 in a row."""
    out, t = [], START

    def add(pipe, tech, status, msg=""):
        nonlocal t
        t += timedelta(minutes=37)
        out.append(run(pipe, tech, status, msg, t))

    add("fraud", "Spark", "FAILED", XGB.format(99))  # the same error once before: an older episode
    for _ in range(4):
        add("fraud", "Spark", "SUCCESS", "Job completed")
    for i in range(12):
        add("fraud", "Spark", "FAILED", XGB.format(i))
    add("fraud", "Spark", "SUCCESS", "Job completed")
    add("fraud", "Spark", "FAILED", XGB.format(40))
    add("fraud", "Spark", "RUNNING")  # neither healthy nor failed
    for status, msg in (("SUCCESS", "ok"), ("FAILED", "Connection refused: db-1"), ("SUCCESS", "ok"),
                        ("FAILED", "Table not found: sales.orders")):
        add("sales", "Spark", status, msg)
    for status, msg in (("FAILED", "Disk quota exceeded"), ("SUCCESS", "ok"), ("SUCCESS", "ok"),
                        ("FAILED", "Disk quota exceeded")):
        add("billing", "dbt", status, msg)
    for status in ("SUCCESS", "FAILED", "FAILED", "FAILED"):
        add("ledger", "Talend", status, "" if status == "SUCCESS" else "Timeout after 30 s")
    for status in ("SUCCESS", "FAILED", "FAILED"):
        add("crm", "Talend", status, "" if status == "SUCCESS" else "Duplicate key")
    return out


DATA = _runs()


def expected_episode(pipeline: str) -> dict:
    """Plain Python over the records: walk back from the latest finished run; failures belong to
    the episode; one lone healthy run does too when the failure before it has an error already
    in the episode; anything longer ends it."""
    runs = sorted((d for d in DATA if d["pipeline_name"] == pipeline and d["status"] != "RUNNING"),
                  key=lambda d: d["timestamp"], reverse=True)
    assert runs[0]["status"] == "FAILED"
    norm = lambda m: "".join(c for c in m if not c.isdigit())  # noqa: E731 - the digits are masked in a signature
    errors, since, taken, pending, in_a_row, closed = set(), None, 0, 0, 0, False
    for d in runs:
        if d["status"] != "FAILED":
            pending += 1
            closed = True
            if pending > 1:
                break
            continue
        if pending and norm(d["error_message"]) not in errors:
            break
        taken += pending + 1
        pending = 0
        errors.add(norm(d["error_message"]))
        since = d["timestamp"]
        in_a_row += not closed
    return {"since": since, "runs": taken, "failed": taken - sum(1 for d in runs[:taken] if d["status"] != "FAILED"),
            "errors": len(errors), "in_a_row": in_a_row}


def local(ts: datetime) -> str:
    return ts.astimezone(ZoneInfo(TZ)).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def engine(mongo_db, make_engine):
    mongo_db.flows.insert_many([dict(d) for d in DATA])
    e = make_engine(mongo_db.name)
    e.ingest()
    return e


def test_since_when_is_the_start_of_the_episode_not_of_the_last_lone_success(engine):
    want = expected_episode("fraud")
    assert (want["runs"], want["failed"], want["errors"], want["in_a_row"]) == (14, 13, 1, 1)
    en = engine.ask("Since when is fraud failing?")
    assert en.text.startswith(f"fraud has been failing since {local(want['since'])}: 13 of its last 14 runs "
                              "failed, same error."), en.text
    assert "a lone success" in en.text, "the answer says how the episode is read"
    fr = engine.ask("Depuis quand fraud échoue ?")
    assert fr.text.startswith(f"fraud échoue depuis le {local(want['since'])} : 13 de ses 14 dernières "
                              "exécutions ont échoué, même erreur."), fr.text
    assert fr.result.value == en.result.value == want["since"]


@pytest.mark.parametrize("pipeline", ["sales", "billing"])
def test_a_recovery_ends_the_episode(engine, pipeline):
    want = expected_episode(pipeline)
    assert want["runs"] == 1
    a = engine.ask(f"since when is {pipeline} failing?")
    assert a.text.startswith(f"{pipeline} has been failing since {local(want['since'])} (its last run failed)."), a.text


def test_since_when_after_a_why_answer_reads_the_same_in_french_and_english(engine):
    want = expected_episode("fraud")
    why_en = engine.ask("why is fraud failing?")
    why_fr = engine.ask("pourquoi fraud échoue ?")
    en = engine.ask("since when?", context=why_en.context)
    fr = engine.ask("depuis quand ?", context=why_fr.context)
    assert en.query.as_json() == fr.query.as_json()
    assert en.result.value == fr.result.value == want["since"]
    assert "13" in en.text.split("\n")[0] and "13" in fr.text.split("\n")[0]


def test_several_in_a_row_is_a_threshold_said_in_the_answer(engine):
    in_a_row = {p: expected_episode(p)["in_a_row"] for p in ("fraud", "sales", "billing", "ledger", "crm")}
    want = sorted(p for p, n in in_a_row.items() if n >= 2)
    assert want == ["crm", "ledger"]
    a = engine.ask("Which pipelines have been failing several runs in a row?")
    assert not a.notices, a.notices
    assert a.text.startswith("2 pipelines whose last 2+ runs all failed"), a.text
    assert sorted(s.pipeline for s in a.result.streaks) == want
    fr = engine.ask("Quels pipelines ont échoué plusieurs fois d'affilée ?")
    assert not fr.notices, fr.notices
    assert sorted(s.pipeline for s in fr.result.streaks) == want
    assert "2 derniers runs ou plus" in fr.text
    three = engine.ask("Which pipelines failed 3 times in a row?")
    assert [s.pipeline for s in three.result.streaks] == ["ledger"]
