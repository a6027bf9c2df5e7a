"""The labeled question bank (bench/qbank) against the real engine, on ~4,000 generated runs.

Every expected answer is computed with plain Python over the inserted documents, independently
of the engine's question reading and execution. `test_question_bank` asks the whole bank (about
a second of asks) and fails, listing every mismatch, when a category falls below its minimum
accuracy. Two cheap tests guard the bank itself: its shape, and that `check` accepts a right
answer and rejects the same answer one figure off. `QBANK_PER_CATEGORY=N` asks only the first N
questions of each category, should the bank ever get slow.
"""
from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from conftest import NOW, TZ

from bench.qbank import ENGINE_OVERRIDES
from bench.qbank.check import ask_all, check, per_category, report
from bench.qbank.data import generate
from bench.qbank.questions import CATEGORIES, Truth, build_bank

# The gate: every category must be answered right, the newer ones (topic, messages, follow_up,
# unsupported, bad_time) included. Lower one only with a reason written here.
MIN_ACCURACY = {category: 1.0 for category in CATEGORIES}
NEW_CATEGORIES = {"topic": 8, "messages": 6, "follow_up": 10, "unsupported": 6, "bad_time": 6}
# Questions asked per category (0 = all of them).
PER_CATEGORY = int(os.environ.get("QBANK_PER_CATEGORY", "0"))


def sample(bank):
    """The first N questions of each category (they lead with the plainest phrasings)."""
    if PER_CATEGORY <= 0:
        return bank
    taken = Counter()
    picked = []
    for q in bank:
        if taken[q.category] < PER_CATEGORY:
            taken[q.category] += 1
            picked.append(q)
    return picked


def test_bank_is_well_formed():
    docs = generate(NOW)
    assert docs == generate(NOW), "the generator must be deterministic"
    bank = build_bank(Truth(NOW, TZ, docs))
    per = Counter(q.category for q in bank)
    assert len(bank) >= 110 and set(per) == set(CATEGORIES) and min(per.values()) >= 6, per
    langs = Counter(q.lang for q in bank)
    assert abs(langs["fr"] - langs["en"]) <= len(bank) * 0.1, langs
    assert all(per[c] >= n for c, n in NEW_CATEGORIES.items()), per
    assert all(MIN_ACCURACY[c] == 1.0 for c in NEW_CATEGORIES)
    assert all(bool(q.previous) == (q.category == "follow_up") for q in bank), "follow-ups, and only they, have a first question"
    assert len({(q.previous.lower(), q.text.lower()) for q in bank}) == len(bank), "duplicate questions"
    assert all(set(q.expected) - {"language"} for q in bank), "a question without an expectation"


def _perfect(expected: dict):
    """An answer that is exactly right for `expected`, built the way the contract describes."""
    result = {k: expected[k] for k in ("value", "numerator", "denominator", "previous", "change",
                                       "previous_numerator", "previous_denominator") if k in expected}
    first = []
    v = expected.get("value")
    if isinstance(v, str):
        first.append(datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(ZoneInfo(TZ)).strftime("%H:%M"))
    elif isinstance(v, float):
        first.append(f"{v:.1f} %".replace(".", ","))
    elif v is not None:
        first.append(str(v))
    if "names" in expected:
        ranked = sorted(expected["names"].items(), key=lambda kv: -kv[1])[:expected.get("limit") or 10]
        result["names"] = [list(kv) for kv in ranked]
        first += [f"{n} ({c})" for n, c in ranked]
    if "messages" in expected:
        ranked = sorted(expected["messages"].items(), key=lambda kv: -kv[1])[:expected.get("message_limit") or 10]
        result["messages"] = [{"text": t, "count": n, "new": False} for t, n in ranked]
    if "groups" in expected:
        result["groups"] = [list(kv) for kv in expected["groups"].items()]
    if "new" in expected:
        result["messages"] = [{"text": t, "new": True} for t in expected["new"]]
        first.append(f"{len(expected['new'])} new")
    if "silent" in expected:
        result["silent"] = [{"name": n, "days_active": expected["silent_days"][n]} for n in expected["silent"]]
        first += sorted(expected["silent"]) or ["none"]
    if "streaks" in expected:
        result["streaks"] = [{"pipeline": p, "since": s, "failed_runs": expected["streak_runs"][p]}
                             for p, s in expected["streaks"].items()]
        first += sorted(expected["streaks"]) + list(expected.get("headline", []))
    if "episode" in expected:
        result["streaks"] = [{"pipeline": p, "episode_since": e["since"], "episode_runs": e["runs"],
                              "episode_failed": e["failed"]} for p, e in expected["episode"].items()]
        first += list(expected.get("headline", []))
    for key in ("running", "stuck"):
        if key in expected:
            result[key] = [{"pipeline": p} for p in expected[key]]
    notices = [f"unknown name: {expected['notice_mentions']}"] if "notice_mentions" in expected else []
    if "headline" in expected and "streaks" not in expected and "episode" not in expected:
        first += list(expected["headline"])
    if "notice_words" in expected:
        notices.append("cannot measure: " + " ".join(expected["notice_words"]))
    return SimpleNamespace(text=" · ".join(first) + "\ndetails", language=expected["language"],
                           notices=tuple(notices),
                           query=SimpleNamespace(topic=" ".join(expected.get("topic", []))),
                           result=SimpleNamespace(as_json=lambda: result))


def test_check_accepts_right_answers_and_catches_wrong_ones():
    """The gate is not vacuous: a right answer passes, the same answer one figure off fails."""
    bank = build_bank(Truth(NOW, TZ, generate(NOW)))
    for q in bank:
        assert check(_perfect(q.expected), q.expected, TZ) == [], q.id
        wrong = _perfect(q.expected)
        data = wrong.result.as_json()
        if isinstance(data.get("value"), (int, float)):
            data["value"] += 1
        elif isinstance(data.get("value"), str):
            shifted = datetime.fromisoformat(data["value"].replace("Z", "+00:00")) + timedelta(seconds=1)
            data["value"] = shifted.isoformat().replace("+00:00", "Z")
        elif data.get("names"):
            data["names"] = data["names"][1:]
        elif data.get("groups"):
            data["groups"][0][1] += 1
        elif data.get("silent"):
            data["silent"] = data["silent"][1:]
        elif data.get("streaks"):
            s = data["streaks"][0]
            s["failed_runs" if "failed_runs" in s else "episode_runs"] += 1
        elif data.get("running") or data.get("stuck"):
            key = "running" if data.get("running") else "stuck"
            data[key] = data[key][1:]
        elif data.get("messages"):
            data["messages"] = data["messages"][1:]
        else:  # an empty list of new messages, or a notice question
            data["messages"] = [{"text": "Something never planted", "new": True}]
            wrong.notices = ()
            wrong.language = "de"
        wrong.result = SimpleNamespace(as_json=lambda data=data: data)
        assert check(wrong, q.expected, TZ), f"{q.id}: a wrong answer passed"


def test_question_bank(mongo_db, make_engine):
    docs = generate(NOW)
    bank = sample(build_bank(Truth(NOW, TZ, docs)))
    mongo_db.flows.insert_many([dict(d) for d in docs])
    engine = make_engine(mongo_db.name, **ENGINE_OVERRIDES)
    engine.ingest()

    outcomes = ask_all(engine, bank, TZ)
    text = report(outcomes)
    below = [f"{cat} {ok}/{n} < {MIN_ACCURACY[cat]:.0%}"
             for cat, (ok, n) in per_category(outcomes).items() if ok / n < MIN_ACCURACY[cat]]
    assert not below, "categories below their minimum accuracy: " + ", ".join(below) + "\n\n" + text


def test_check_catches_wrong_messages_topics_and_notices():
    """The newer expectations are not vacuous either: each is caught alone, the figure right."""
    bank = build_bank(Truth(NOW, TZ, generate(NOW)))
    for q in bank:
        if "messages" in q.expected:
            wrong = _perfect(q.expected)
            data = wrong.result.as_json()
            data["messages"][0]["count"] += 1
            wrong.result = SimpleNamespace(as_json=lambda data=data: data)
            assert check(wrong, q.expected, TZ), f"{q.id}: a wrong message count passed"
        if "topic" in q.expected:
            wrong = _perfect(q.expected)
            wrong.query = SimpleNamespace(topic="")
            assert check(wrong, q.expected, TZ), f"{q.id}: an answer without the topic passed"
        if "notice_words" in q.expected:
            wrong = _perfect(q.expected)
            wrong.notices = tuple(f"cannot measure: {w}" for w in q.expected["notice_words"])
            assert check(wrong, q.expected, TZ), f"{q.id}: the words split over notices passed"
