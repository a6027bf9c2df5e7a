"""Durations: read at ingest (FLOWRAG_FIELD_DURATION, or end − start), then average, 95th
percentile, longest and slowest runs, grouped like other measures; no duration is said, not guessed."""
from __future__ import annotations

import math
from datetime import timedelta

import pytest

from conftest import NOW, engine_over, run


def _data() -> list[dict]:
    out = []
    for i in range(40):
        ts = NOW - timedelta(days=1, minutes=17 * i)
        out.append(run(f"spark_{i % 3}", "Spark", "FAILED" if i % 7 == 0 else "SUCCESS", "", ts,
                       stats={"secs": 30 + (i * 37) % 500}))
        out.append(run("dbt_marts", "dbt", "SUCCESS", "", ts, stats={"secs": 200 + (i * 11) % 90}))
        out.append(run("legacy_ftp", "NiFi", "SUCCESS", "", ts))  # no duration at all
    return out


DATA = _data()
YESTERDAY_RUNS = [d for d in DATA]  # all of them are yesterday (Paris) or the evening before: windowed below


def p95(values) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


@pytest.fixture(scope="module")
def engine(mongo_uri, tmp_path_factory, embedder):
    with engine_over(DATA, mongo_uri, tmp_path_factory.mktemp("idx"), embedder, "durations_tests",
                     FLOWRAG_FIELD_DURATION="stats.secs") as e:
        yield e


def secs(tech=None, pipeline=None) -> list[float]:
    return [d["stats"]["secs"] for d in DATA if "stats" in d and (tech is None or d["tech"] == tech)
            and (pipeline is None or d["pipeline_name"] == pipeline)]


def test_average_p95_and_longest(engine):
    a = engine.ask("average duration of Spark runs")
    assert a.result.value == round(sum(secs("Spark")) / len(secs("Spark")), 1)
    assert a.text.startswith("Average duration of Spark runs: "), a.text
    assert not a.notices, a.notices
    p = engine.ask("p95 duration of dbt runs")
    assert p.result.value == p95(secs("dbt"))
    m = engine.ask("durée max des jobs Spark")
    assert m.result.value == max(secs("Spark"))
    assert m.text.startswith("Exécution la plus longue Spark : "), m.text


def test_grouped_like_other_measures(engine):
    a = engine.ask("average duration by technology")
    want = {"Spark": round(sum(secs("Spark")) / len(secs("Spark")), 1),
            "dbt": round(sum(secs("dbt")) / len(secs("dbt")), 1)}
    assert dict(a.result.groups) == want
    assert (a.result.numerator, a.result.denominator) == (len(secs()), len(DATA))


def test_slowest_runs(engine):
    a = engine.ask("what are the 3 slowest runs?")
    want = sorted((d for d in DATA if "stats" in d), key=lambda d: -d["stats"]["secs"])[:3]
    assert [(x.pipeline, x.duration_s) for x in a.result.slowest] == [(d["pipeline_name"], d["stats"]["secs"])
                                                                     for d in want]
    assert a.citations and a.citations[0].pipeline_name == want[0]["pipeline_name"]


def test_no_duration_is_said(engine):
    n = sum(1 for d in DATA if d["pipeline_name"] == "legacy_ftp")
    a = engine.ask("durée moyenne de legacy_ftp")
    assert a.text.startswith(f"Aucune durée pour les {n} exécutions legacy_ftp"), a.text
