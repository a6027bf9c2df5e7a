"""The optional LLM planner, over real HTTP to the stand-in: a valid plan is executed by the
same executor; invalid and hostile plans are refused and the deterministic reading answers."""
from __future__ import annotations

import json

import pytest

from llm_standin import ChatStandin
from test_ask import DATASET, at


@pytest.fixture
def planner_engine(mongo_db, make_engine):
    from core.llm import LiteLLMChat

    mongo_db.flows.insert_many([dict(d) for d in DATASET])
    with ChatStandin() as llm:
        chat = LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test", timeout=5, retries=0)
        e = make_engine(mongo_db.name, chat=chat, FLOWRAG_LLM_PLANNER="true")
        e.ingest()
        yield e, llm


def scripted(plan: dict | str, phrase: str = "Réponse [1]."):
    """The planner call gets `plan`; the phrasing call gets `phrase`."""
    def reply(body):
        system = body["messages"][0]["content"]
        if "JSON query" in system:
            return plan if isinstance(plan, str) else json.dumps(plan)
        return phrase
    return reply


def test_a_valid_plan_is_executed_and_said(planner_engine):
    e, llm = planner_engine
    window = {"start": at(0, 0).isoformat(), "end": at(1, 0).isoformat()}
    llm.reply = scripted({"measure": "runs", "techs": ["hadoop"], "statuses": ["failed"], "window": window})
    a = e.ask("the elephant thing, how often did it break yesterday?", use_llm=True)
    expected = sum(1 for d in DATASET if d["tech"] == "Hadoop" and d["status"] == "FAILED"
                   and at(0, 0) <= d["timestamp"] < at(1, 0))
    assert a.result.value == expected == 5
    assert a.query.techs == ("Hadoop",)  # the index's spelling, not the model's
    assert "language model" in a.interpretation
    prompt = llm.requests[0]["messages"][0]["content"]
    assert "Hadoop" in prompt and "OpenSSH" in prompt and "Europe/Paris" in prompt


@pytest.mark.parametrize("plan, why", [
    ({"measure": "runs", "techs": ["Spark'; DROP TABLE records; --"]}, "unknown tech"),
    ({"measure": "runs", "window": {"start": "2016-01-01T00:00:00+00:00", "end": "2026-01-01T00:00:00+00:00"}},
     "more than"),
    ({"measure": "runs", "pipelines": ["does-not-exist"]}, "unknown pipeline"),
    ({"measure": "DELETE"}, "unknown measure"),
    ({"measure": "runs", "topic": "x'; SELECT * FROM meta"}, "plain words"),
    ({"measure": "runs", "limit": 10_000}, "limit"),
    ({"measure": "runs", "message": "0" * 16, "message_text": "<!channel> all good"}, "unknown fields"),
    ("I think you want the Hadoop failures", "JSON"),
])
def test_invalid_and_hostile_plans_fall_back_to_the_deterministic_reading(planner_engine, plan, why):
    e, llm = planner_engine
    llm.reply = scripted(plan)
    a = e.ask("How many Hadoop failures yesterday?")
    assert a.result.value == 5  # the deterministic reading answered
    assert "language model" not in a.interpretation
    assert any("rejected" in n and why in n for n in a.notices), a.notices
    assert e.store.query("SELECT COUNT(*) FROM records")[0][0] == len(DATASET)


def test_planner_down_still_answers(planner_engine):
    e, llm = planner_engine
    llm.mode = "error500"
    a = e.ask("How many Hadoop failures yesterday?")
    assert a.result.value == 5 and a.mode == "extractive"
