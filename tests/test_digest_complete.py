"""The digest leaves nothing out without saying so: complete JSON lists, "and N more" in the
text, every pipeline whose last run of the day failed, recovery at the first healthy run, a past
day seen as of its end, and one new error on a quiet pipeline not buried under a noisy one's."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import TZ, engine_over, run

PARIS = ZoneInfo(TZ)
DAY = date(2026, 11, 23)  # yesterday for conftest.NOW
SSH = ("Failed password for root", "Invalid user probe attempt", "Received disconnect: Bye Bye",
       "Did not receive identification string", "Connection reset by peer during key exchange",
       "Bad protocol version identification", "Disconnecting: Too many authentication failures")
OLD_ERRORS = [f"Remote host {w} closed the connection" for w in ("alpha", "bravo", "charlie", "delta", "echo",
                                                                 "foxtrot", "golf")]


def local(d: date, h: int, m: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, h, m, tzinfo=PARIS).astimezone(timezone.utc)


def docs() -> list[dict]:
    out = []
    for k in range(14, -2, -1):  # two weeks before DAY, DAY, and today (k = -1)
        d = DAY - timedelta(days=k)
        if d <= DAY:
            for h in range(0, 24, 3):
                # sshd: noisy; on DAY, seven new messages, three times each (healthy again at 21:00)
                variant = SSH[h // 3] if d == DAY and h < 21 else None
                out.append(run("sshd", "OpenSSH", "FAILED" if variant else "SUCCESS", variant or "", local(d, h, 1)))
                # flaky_api: fails with seven weeks-old errors, every day
                out.append(run("flaky_api", "Airflow", "FAILED" if h < 21 else "SUCCESS",
                               OLD_ERRORS[h // 3] if h < 21 else "", local(d, h, 2)))
            out += [run("sshd", "OpenSSH", "FAILED", m, local(d, 1 + 3 * i, 30 + j))
                    for i, m in enumerate(SSH) for j in range(2) if d == DAY]
            # ledger_close: one run a day at 23:00; on DAY it fails once with a brand-new error
            out.append(run("ledger_close", "Talend", "FAILED" if d == DAY else "SUCCESS",
                           "DuplicateKeyError: E11000 duplicate key on invoice" if d == DAY else "", local(d, 23)))
            # crm_sync: fails at 02:00 and 04:00 on DAY, healthy at 06:00 and after
            for h in (2, 4, 6, 12, 20):
                bad = d == DAY and h in (2, 4)
                out.append(run("crm_sync", "Talend", "FAILED" if bad else "SUCCESS", "Deadlock" if bad else "",
                               local(d, h, 40)))
        # nightly: every night, but not on DAY; again today
        if d != DAY:
            out.append(run("nightly", "dbt", "SUCCESS", "", local(d, 3)))
    return out


DOCS = docs()


@pytest.fixture(scope="module")
def digest(mongo_uri, tmp_path_factory, embedder):
    with engine_over(DOCS, mongo_uri, tmp_path_factory.mktemp("idx"), embedder, "digest_complete") as e:
        yield e.digest(DAY, language="en")


def on_day(d) -> bool:
    return d["timestamp"].astimezone(PARIS).date() == DAY


def test_lists_are_complete_in_json_and_counted_in_the_text(digest):
    recurring = {d["error_message"] for d in DOCS if on_day(d) and d["pipeline_name"] == "flaky_api"
                 and d["status"] == "FAILED"}
    assert len(recurring) == 7
    assert {r["message"] for r in digest.recurring} == recurring
    assert digest.as_json()["recurring"] == digest.recurring
    assert "Recurring errors (7):" in digest.text and "… and 2 more" in digest.text
    new = {d["error_message"] for d in DOCS if on_day(d) and d["status"] == "FAILED" and d["pipeline_name"] != "flaky_api"}
    assert {n["message"] for n in digest.new_errors} == new and len(new) == 9


def test_still_failing_is_every_pipeline_whose_last_run_of_the_day_failed(digest):
    last: dict[str, dict] = {}
    for d in sorted((d for d in DOCS if on_day(d)), key=lambda d: d["timestamp"]):
        last[d["pipeline_name"]] = d
    failing = {p for p, d in last.items() if d["status"] == "FAILED"}
    assert failing == {"ledger_close"}  # one failure only: no streak of 3
    assert [(o["pipeline"], o["failed_runs"]) for o in digest.ongoing] == [("ledger_close", 1)]
    assert "ledger_close (Talend) — its last run failed" in digest.text


def test_recovered_at_the_first_healthy_run(digest):
    crm = sorted((d for d in DOCS if on_day(d) and d["pipeline_name"] == "crm_sync"), key=lambda d: d["timestamp"])
    last_failed = max(d["timestamp"] for d in crm if d["status"] == "FAILED")
    first_ok = min(d["timestamp"] for d in crm if d["status"] != "FAILED" and d["timestamp"] > last_failed)
    got = {r["pipeline"]: r["recovered_at"] for r in digest.recovered}
    assert got["crm_sync"] == first_ok.isoformat().replace("+00:00", "Z")


def test_a_past_day_shows_its_missing_runs_as_of_that_day(digest):
    last_before = max(d["timestamp"] for d in DOCS if d["pipeline_name"] == "nightly"
                      and d["timestamp"].astimezone(PARIS).date() < DAY)
    assert any(d["pipeline_name"] == "nightly" and d["timestamp"].astimezone(PARIS).date() > DAY for d in DOCS)
    nightly = next(s for s in digest.silent if s["pipeline"] == "nightly")
    assert nightly["last_run"] == last_before.isoformat().replace("+00:00", "Z")


def test_one_new_error_on_a_quiet_pipeline_is_not_buried(digest):
    per_pipeline = {}
    for d in DOCS:
        if on_day(d) and d["status"] == "FAILED" and d["pipeline_name"] != "flaky_api":
            per_pipeline.setdefault(d["error_message"], set()).add(d["pipeline_name"])
    counts = {m: sum(1 for d in DOCS if on_day(d) and d["error_message"] == m) for m in per_pipeline}
    duplicate = "DuplicateKeyError: E11000 duplicate key on invoice"
    assert counts[duplicate] == 1 and all(counts[m] >= 2 for m in counts if m != duplicate)
    # by count alone it would be last of nine; it is among the first three, and in the text
    assert duplicate in [n["message"] for n in digest.new_errors[:3]]
    shown = digest.text.split("New errors (9):", 1)[1].split("\n\n", 1)[0]
    assert "DuplicateKeyError" in shown and "… and 4 more" in shown


def test_business_weight_ranks_before_raw_count(mongo_uri, tmp_path_factory, embedder, digest):
    assert digest.new_errors[0]["pipelines"] != ["ledger_close"]  # without a weight, 3 runs outrank 1
    with engine_over(DOCS, mongo_uri, tmp_path_factory.mktemp("idx"), embedder, "digest_weight",
                     FLOWRAG_PRIORITY="ledger_*, SAP") as e:
        weighted = e.digest(DAY, language="en")
    assert weighted.new_errors[0]["message"] == "DuplicateKeyError: E11000 duplicate key on invoice"
    assert sorted(n["message"] for n in weighted.new_errors) == sorted(n["message"] for n in digest.new_errors)
