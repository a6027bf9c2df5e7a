"""The synthetic generator: deterministic, realistic enough to demo on, messy in the right places."""
from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId

from core import synthetic
from core.synthetic import (ERRORS, NEW_ERRORS, SECRET_VALUES, TECHS, generate, incident_window,
                            load)

NOW = datetime(2026, 11, 24, 9, 30, 12, 345678, tzinfo=UTC)
START = NOW - timedelta(days=30)


@pytest.fixture(scope="module")
def clean():
    return list(generate(20_000, now=NOW, messy=False))


@pytest.fixture(scope="module")
def messy():
    return list(generate(20_000, now=NOW))


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def test_same_seed_same_docs_other_seed_other_docs():
    a = list(generate(3000, seed=7, now=NOW))
    assert a == list(generate(3000, seed=7, now=NOW))
    b = list(generate(3000, seed=8, now=NOW))
    assert [d["_id"] for d in a] != [d["_id"] for d in b]
    assert len({d["_id"] for d in a}) == 3000  # ids are unique


def test_longer_run_starts_like_shorter_one_and_messy_only_adds_mess(clean, messy):
    assert list(generate(500, now=NOW, messy=False)) == clean[:500]
    same = sum(c == m for c, m in zip(clean, messy))
    assert same > 0.95 * len(clean)
    assert [c["_id"] for c in clean] == [m["_id"] for m in messy]


def test_timestamps_inside_window(clean, messy):
    for d in clean:
        assert START <= d["timestamp"] < NOW
        assert d["timestamp"].microsecond % 1000 == 0  # millisecond precision, like BSON dates
    for d in messy:  # the _id carries the time for every record, messy or not
        assert START - timedelta(seconds=1) < d["_id"].generation_time < NOW
        assert isinstance(d["_id"], ObjectId)
    short = list(generate(2000, now=NOW, days=1, messy=False))
    assert all(NOW - timedelta(days=1) <= d["timestamp"] < NOW for d in short)


def test_object_id_matches_timestamp(clean):
    for d in clean[:2000]:
        assert d["_id"].generation_time == d["timestamp"].replace(microsecond=0)


def test_all_techs_and_many_pipelines_present():
    docs = list(generate(3000, now=NOW, messy=False))
    assert {d["tech"] for d in docs} == set(TECHS)
    assert len({d["pipeline_name"] for d in docs}) >= 35


def test_status_mix_is_realistic(clean):
    statuses = Counter(d["status"] for d in clean)
    assert set(statuses) <= {"failed", "warning", "success", "running"}
    assert 0.03 <= statuses["failed"] / len(clean) <= 0.12
    assert 0.02 <= statuses["warning"] / len(clean) <= 0.10
    assert 0 < statuses["running"] < 0.02 * len(clean)
    failures = Counter(d["pipeline_name"] for d in clean if d["status"] == "failed")
    runs = Counter(d["pipeline_name"] for d in clean)
    assert failures["tln_crm_customers_load"] / runs["tln_crm_customers_load"] > 0.2  # flaky


def test_recurring_errors_collapse_once_numbers_are_masked(clean):
    failed = [d["error_message"] for d in clean if d["status"] == "failed"]
    assert len(set(failed)) > 0.5 * len(failed)  # variable parts differ per run...
    top = Counter(_mask(m) for m in failed).most_common(10)
    assert sum(c for _, c in top) > 0.6 * len(failed)  # ...but a few signatures cover most
    assert any("OutOfMemoryError: Java heap space\n\tat " in m for m in failed)
    assert any(m.startswith(("Échec", "Fichier introuvable")) for m in failed)  # French teams
    assert all(isinstance(d["error_message"], str) for d in clean)


def test_new_errors_only_in_last_two_days(clean):
    prefixes = {name: tpl.split("{")[0] for name, tpl in NEW_ERRORS.items()}
    seen = Counter()
    for d in clean:
        for name, prefix in prefixes.items():
            if d["error_message"].startswith(prefix):
                assert d["timestamp"] >= NOW - timedelta(days=2), d
                assert d["pipeline_name"] == name
                seen[name] += 1
    assert set(seen) == set(NEW_ERRORS)
    old = {t.split("{")[0] for ts in ERRORS.values() for t in ts}
    assert not old & set(prefixes.values())


def test_incident_afternoon_spark_ooms(clean):
    start, end = incident_window(NOW)
    assert START < start < end < NOW
    inside = [d for d in clean if start <= d["timestamp"] < end and d["tech"] == "Spark"]
    assert inside and sum(d["status"] == "failed" for d in inside) > 0.5 * len(inside)
    assert sum("OutOfMemoryError" in d["error_message"] for d in inside) > 0.5 * len(inside)


def test_messy_share_small_but_varied(clean, messy):
    changed = [m for c, m in zip(clean, messy) if c != m]
    assert 0.005 * len(messy) < len(changed) < 0.05 * len(messy)
    ts_types = Counter(type(d.get("timestamp")).__name__ for d in changed)
    assert {"str", "int", "NoneType"} <= set(ts_types)
    assert any(isinstance(d.get("timestamp"), int) and d["timestamp"] > 10**12 for d in changed)  # epoch ms
    assert any("job" in d and "pipeline_name" not in d for d in changed)  # nested layout
    assert {"KO", "FAILED"} & {d.get("status") for d in changed}
    assert {"spark", "SPARK"} & {d.get("tech") for d in changed}
    broken = [d for d in messy if d.get("timestamp") in synthetic.BROKEN_TIMESTAMPS]
    assert 5 <= len(broken) <= 40


def test_rare_content_secrets_long_traces_and_slack_mentions(messy):
    text = [d.get("error_message") or "" for d in messy]
    for secret in SECRET_VALUES:
        hits = sum(secret in t for t in text)
        assert 1 <= hits <= 0.002 * len(messy), secret
    long = [t for t in text if len(t) >= 50_000]
    assert 1 <= len(long) <= 0.001 * len(messy)
    assert any("<!channel>" in t for t in text)


def test_load_batches_and_counts():
    class Fake:
        def __init__(self):
            self.sizes = []

        def insert_many(self, docs, ordered=True):
            self.sizes.append(len(docs))
            return type("R", (), {"inserted_ids": [d["_id"] for d in docs]})()

    fake = Fake()
    assert load(fake, 12_345, now=NOW) == 12_345
    assert fake.sizes == [5000, 5000, 2345]
    assert load(fake, 0, now=NOW) == 0


def test_load_round_trips_through_secantusdb(tmp_path):
    pymongo = pytest.importorskip("pymongo")
    secantus = pytest.importorskip("secantus")
    server = secantus.SecantusDBServer(port=0, storage_path=str(tmp_path), replica_set_name=None)
    server.start()
    try:
        client = pymongo.MongoClient("127.0.0.1", server.port, tz_aware=True, serverSelectionTimeoutMS=5000)
        coll = client.flowrag_test.runs
        assert load(coll, 6000, now=NOW) == 6000
        assert coll.count_documents({}) == 6000
        first = next(generate(1, now=NOW))
        assert coll.find_one({"_id": first["_id"]}) == first
        assert coll.count_documents({"job.tech": {"$exists": True}}) > 0
        client.close()
    finally:
        server.stop()


def test_bad_arguments():
    with pytest.raises(ValueError):
        generate(-1)
    with pytest.raises(ValueError):
        generate(10, days=0)
    assert list(generate(0)) == []
