"""Answers: exact facts, citations, French and English, follow-ups, the LLM and its fallback."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest import NOW, run
from core.errors import BadQuestion
from llm_standin import ChatStandin

PARIS_YESTERDAY = datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc)  # Mon 23 Nov 00:00 in Paris


def at(day_offset: int, hour: int) -> datetime:
    """A UTC time `day_offset` days after Paris-midnight of yesterday (Mon 23 Nov), plus `hour`."""
    return PARIS_YESTERDAY + timedelta(days=day_offset, hours=hour)


DATASET = (
    # yesterday: 5 Hadoop failures with two distinct errors, 3 successes; OpenSSH 2 failures, 1 warning
    [run(f"hadoop-mapred-{i % 2}", "Hadoop", "FAILED",
         f"Container container_1445_{i:04d} killed: exit code 143 after {100 + i}s", at(0, 2 + i)) for i in range(3)]
    + [run("hadoop-hdfs", "Hadoop", "FAILED", f"DataNode 10.0.0.{i} unreachable: Connection refused", at(0, 9 + i))
       for i in range(2)]
    + [run("hadoop-mapred-0", "Hadoop", "SUCCESS", "Job done", at(0, 12 + i)) for i in range(3)]
    + [run("openssh-sshd", "OpenSSH", "FAILED", f"Failed password for invalid user admin from 5.6.7.{i} port 22",
           at(0, 3 + i)) for i in range(2)]
    + [run("openssh-sshd", "OpenSSH", "WARNING", "Connection closed by 5.6.7.8 [preauth]", at(0, 5))]
    + [run("spark-sales-aggregation", "Spark", "SUCCESS", "Job completed in 30s", at(0, 6))]
    # the day before (Sun 22): Hadoop 2 failures, OpenSSH 4
    + [run("hadoop-hdfs", "Hadoop", "FAILED", f"DataNode 10.0.1.{i} unreachable: Connection refused", at(-1, 4 + i))
       for i in range(2)]
    + [run("openssh-sshd", "OpenSSH", "FAILED", f"Failed password for root from 9.9.9.{i} port 22", at(-1, 8 + i))
       for i in range(4)]
    # last week (Wed 18): Spark 3 failures
    + [run("spark-sales-aggregation", "Spark", "FAILED", "java.lang.OutOfMemoryError: Java heap space", at(-5, 10 + i))
       for i in range(3)]
    # today, 08:00 UTC: one Spark failure
    + [run("spark-clickstream", "Spark", "FAILED", "Table or view not found: sales.orders_2026_11", at(1, 8))]
)


@pytest.fixture
def engine(mongo_db, make_engine):
    mongo_db.flows.insert_many([dict(d) for d in DATASET])
    e = make_engine(mongo_db.name)
    e.ingest()
    return e


def test_exact_count_in_english_with_citations(engine):
    a = engine.ask("How many Hadoop failures yesterday?")
    assert a.facts["total"] == 5
    assert a.text.startswith("5 Hadoop failures yesterday")
    assert a.mode == "extractive" and a.language == "en"
    assert a.citations, "an answer rests on records"
    for c in a.citations:
        assert (c.tech, c.status) == ("Hadoop", "failed")
        assert at(0, 0) <= c.timestamp < at(1, 0)
    times = [c.timestamp for c in a.citations]
    assert times == sorted(times, reverse=True), "most recent first"
    assert len({c.snippet for c in a.citations}) > 1, "diversified over messages"
    assert [c.ref for c in a.citations] == list(range(1, len(a.citations) + 1))
    # the deterministic text cites the records it lists
    assert "[1]" in a.text and "Connection refused" in a.text


def test_french_question_which_techs_failed(engine):
    a = engine.ask("Quelles technos ont échoué hier ?")
    assert a.language == "fr"
    assert a.text.startswith("Technologies en échec hier : Hadoop (5), OpenSSH (2)")
    assert a.facts["failed_by_tech"] == {"Hadoop": 5, "OpenSSH": 2}


def test_follow_up_keeps_time_and_intent_and_changes_the_tech(engine):
    first = engine.ask("Combien d'échecs Hadoop hier ?")
    assert first.facts["total"] == 5
    follow = engine.ask("et pour OpenSSH ?", context=first.context)
    assert follow.facts["total"] == 2
    assert follow.facts["filters"]["techs"] == ["OpenSSH"]
    assert follow.language == "fr" and follow.text.startswith("2 échecs OpenSSH hier")
    english = engine.ask("and for OpenSSH?", context=first.context)
    assert english.text.startswith("2 OpenSSH failures yesterday")
    before = engine.ask("and the day before?", context=follow.context)
    assert before.facts["total"] == 4  # OpenSSH failures on Sunday
    assert before.facts["filters"]["time"]["start"] == at(-1, 0).isoformat()


def test_context_is_plain_json(engine):
    import json

    a = engine.ask("How many Hadoop failures yesterday?")
    assert json.loads(json.dumps(a.context)) == a.context


def test_nothing_matches_is_said_plainly(engine):
    a = engine.ask("Des échecs Spark hier ?")
    assert a.facts["total"] == 0
    assert a.text == "Aucun échec Spark hier."
    assert a.citations == ()
    # NiFi is not in the index: said as such, with nothing offered as its failures
    assert not any("nifi" in str(v).lower() for d in DATASET for v in d.values())
    b = engine.ask("Any NiFi failures this week?")
    assert b.text == "No failures this week mentioning “NiFi”." and b.citations == ()  # true: no record does
    assert any("“NiFi” is neither a known technology nor a pipeline" in n for n in b.notices)


def test_typos_and_case_in_names_are_forgiven(engine):
    a = engine.ask("how many hadop failures yesterday")
    assert a.facts["filters"]["techs"] == ["Hadoop"] and a.facts["total"] == 5
    b = engine.ask("failures of spark-sales-aggregation last week")
    assert b.facts["filters"]["pipelines"] == ["spark-sales-aggregation"] and b.facts["total"] == 3


def test_which_pipeline_failed_most(engine):
    a = engine.ask("Which pipeline failed the most in the last 7 days?")
    assert a.facts["top_failed_pipelines"][0][:2] == ["openssh-sshd", 6]
    assert "openssh-sshd (6, OpenSSH)" in a.text


def test_explicit_date_and_semantic_question(engine):
    a = engine.ask("Why did Spark fail on 18/11/2026?")
    assert a.facts["total"] == 3
    assert "OutOfMemoryError" in a.citations[0].snippet


def test_bad_input(engine):
    for q in ("", "   ", "\n\t"):
        with pytest.raises(BadQuestion):
            engine.ask(q)
    long = "How many Hadoop failures yesterday? " + "x" * 40_000
    a = engine.ask(long)
    assert a.facts["total"] == 5
    assert any("cut" in n for n in a.notices)


@pytest.fixture
def llm_engine(mongo_db, make_engine):
    """The engine with a real LiteLLM client talking to the OpenAI-compatible stand-in."""
    from core.llm import LiteLLMChat

    mongo_db.flows.insert_many([dict(d) for d in DATASET])
    with ChatStandin() as llm:
        e = make_engine(mongo_db.name, chat=LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test",
                                                         timeout=5, retries=0))
        e.ingest()
        yield e, llm


def test_llm_phrases_the_answer_and_invented_refs_are_dropped(llm_engine):
    e, llm = llm_engine
    llm.reply = "Hier, 5 échecs Hadoop [1], surtout des conteneurs tués [2][9]."
    a = e.ask("Combien d'échecs Hadoop hier ?")
    assert a.mode == "llm"
    assert a.text == "Hier, 5 échecs Hadoop [1], surtout des conteneurs tués [2]."
    prompt = llm.requests[-1]["messages"][-1]["content"]
    assert "<<<SNIPPET 1>>>" in prompt and "matching runs (exact count): 5" in prompt

    llm.mode = "error500"
    b = e.ask("Combien d'échecs Hadoop hier ?")
    assert b.mode == "extractive" and b.text.startswith("5 échecs Hadoop hier")
    assert any("modèle" in n for n in b.notices)


def test_the_llm_never_phrases_an_answer_that_found_nothing_to_say(llm_engine):
    # "kubelet" is in no record, nor close to any message: the answer says so, and the model is not
    # handed the week's failure count to phrase as if it were about it
    e, llm = llm_engine
    assert not any("kubelet" in str(v).lower() for d in DATASET for v in d.values())
    llm.reply = "There were 8 kubelet failures this week [1]."
    asked = len(llm.requests)
    a = e.ask("why do the kubelet pods keep crashing this week?")
    assert a.mode == "extractive" and "8 kubelet" not in a.text
    assert len(llm.requests) == asked


def test_llm_streaming_reports_deltas(llm_engine):
    e, llm = llm_engine
    llm.reply = "Five Hadoop failures yesterday [1]."
    deltas = []
    a = e.ask("How many Hadoop failures yesterday?", on_delta=deltas.append)
    assert a.mode == "llm" and a.text == "Five Hadoop failures yesterday [1]."
    assert len(deltas) > 1 and deltas[-1] == a.text


def test_every_listed_message_keeps_a_citation(mongo_db, make_engine):
    """With more messages than citation slots, no listed message is left without a reference."""
    docs = [run(f"etl-{p}", "Spark", "FAILED", f"{kind} error in stage {i}", at(0, 1 + i % 20))
            for i in range(60) for p, kind in ((i % 3, ("Disk", "Network", "Timeout", "Schema", "Auth")[i % 5]),)]
    mongo_db.flows.insert_many(docs)
    e = make_engine(mongo_db.name)  # 6 slots, 5 messages each seen in 3 pipelines
    e.ingest()
    a = e.ask("Spark failures yesterday")
    assert len(a.messages) == 5
    assert all(m.refs for m in a.messages)
    assert sorted(r for m in a.messages for r in m.refs) == [c.ref for c in a.citations]


def test_the_reading_is_shown_and_nothing_is_dropped_silently(engine):
    a = engine.ask("Combien d'échecs hier sauf OpenSSH ?")
    expected = sum(1 for d in DATASET if d["status"] == "FAILED" and d["tech"] != "OpenSSH"
                   and at(0, 0) <= d["timestamp"] < at(1, 0))
    assert a.result.value == expected and a.text.startswith(f"{expected} échecs hier hors OpenSSH")
    assert a.interpretation == "Compris : échecs · hier · hors OpenSSH"
    b = engine.ask("How many Oracle failures yesterday?")  # no such tech, pipeline or message
    assert b.result.value == 0
    assert any("Oracle" in n and "neither" in n for n in b.notices), b.notices
    c = engine.ask("What was the average volume of Hadoop runs yesterday?")
    assert any("volume" in n for n in c.notices), c.notices
    assert c.result.value == sum(1 for d in DATASET if d["tech"] == "Hadoop" and at(0, 0) <= d["timestamp"] < at(1, 0))
    # durations are a measure; these records carry none, and the answer says so instead of guessing
    d = engine.ask("What was the average duration of Hadoop runs yesterday?")
    hadoop = sum(1 for x in DATASET if x["tech"] == "Hadoop" and at(0, 0) <= x["timestamp"] < at(1, 0))
    assert d.text.startswith(f"No duration for the {hadoop} Hadoop runs yesterday"), d.text


def test_a_question_without_words_gets_a_hint(engine):
    a = engine.ask("🤔 ??")
    assert "Spark" in a.text and a.citations == () and a.result is None


@pytest.mark.parametrize("question, fragment", [
    ("How many failures between the 20th and the 1st?", "between the 20th and the 1st"),
    ("Combien d'échecs le 9999-12-31 ?", "9999-12-31"),
    ("failures on 31/02/2026", "31/02/2026"),
    ("combien d'échecs du 5 au 3 novembre ?", "du 5 au 3 novembre"),
])
def test_impossible_or_reversed_dates_are_named_not_replaced(engine, question, fragment):
    a = engine.ask(question)
    assert any(fragment in n for n in a.notices), a.notices
    assert a.query.window is None  # not silently another window: all time, and the notice says so
    assert any("all time" in n or "depuis toujours" in n for n in a.notices)


def test_a_why_answer_cites_only_what_it_shows(engine):
    a = engine.ask("why are the DataNodes unreachable?")
    shown = {r for m in a.messages for r in m.refs}
    assert a.citations and {c.ref for c in a.citations} == shown == set(range(1, len(a.citations) + 1))
    assert "DataNode" in a.text.splitlines()[0]


def test_right_now_questions_read_the_latest_runs(engine):
    """Not all-time counts: the pipelines whose latest run failed, and a pipeline's last run."""
    latest: dict[str, dict] = {}
    for d in sorted(DATASET, key=lambda d: d["timestamp"]):
        latest[d["pipeline_name"]] = d
    failing_now = {p for p, d in latest.items() if d["status"] == "FAILED"}
    a = engine.ask("which pipelines are currently failing?")
    assert {s.pipeline for s in a.result.streaks} == failing_now
    b = engine.ask("is hadoop-hdfs still running?")
    assert b.result.finished.started == latest["hadoop-hdfs"]["timestamp"]
    assert b.text.startswith("No: hadoop-hdfs's last run finished at "), b.text


def test_a_when_clause_inside_a_what_question_is_not_a_time_question(engine):
    """"what does it mean when…" asks what a message is, not when something happened."""
    a = engine.ask("What does it mean when Hadoop says a DataNode is unreachable?")
    assert a.text.startswith("DataNode 10.0."), a.text
    assert "unreachable" in a.text.splitlines()[0]
    b = engine.ask("When did hadoop-hdfs last fail?")  # a real time question still is one
    last = max(d["timestamp"] for d in DATASET if d["pipeline_name"] == "hadoop-hdfs" and d["status"] == "FAILED")
    assert b.result.value == last


def test_what_do_these_lines_mean_is_not_an_average(engine):
    a = engine.ask("What do the lines about failed passwords for invalid users mean?")
    assert not any("mean" in n for n in a.notices), a.notices
    assert a.text.startswith("Failed password for invalid user admin"), a.text
    c = engine.ask("What is the mean duration of Spark runs?")  # a measure: said to have no data here
    spark = sum(1 for d in DATASET if d["tech"] == "Spark")
    assert c.query.measure == "avg_duration" and c.text.startswith(f"No duration for the {spark} Spark runs"), c.text


def test_days_ago_is_a_day_not_all_time(engine):
    a = engine.ask("How many OpenSSH failures 2 days ago?")  # Sun 22 Nov, Paris
    expected = sum(1 for d in DATASET if d["tech"] == "OpenSSH" and d["status"] == "FAILED"
                   and at(-1, 0) <= d["timestamp"] < at(0, 0))
    assert a.result.value == expected == 4
    assert "the day before yesterday" in a.interpretation


def test_a_count_over_a_messages_variants_says_so(engine):
    """One example line shown with the count of all its variants would read as that line's count."""
    a = engine.ask("What were the Hadoop failures yesterday?")
    killed = sum(1 for d in DATASET if d["error_message"].startswith("Container container_")
                 and d["status"] == "FAILED" and at(0, 0) <= d["timestamp"] < at(1, 0))
    line = next(x for x in a.text.splitlines() if "killed: exit code 143" in x)
    assert f"— {killed} occurrences (all its variants)" in line, line


def test_a_why_answer_over_all_time_says_its_trend_is_the_last_days(engine):
    a = engine.ask("why are DataNodes unreachable?")
    total = sum(1 for d in DATASET if "unreachable" in d["error_message"])
    assert f"{total} occurrences" in a.text
    assert "Per day, the last 7 days:" in a.text and "first seen" in a.text
    assert a.text.count("first seen") == 1, a.text


def test_a_named_error_absent_from_the_filters_is_said(engine):
    """The closest messages are shown, but not as if they were the OutOfMemoryError asked about."""
    a = engine.ask("Why OutOfMemoryError on OpenSSH yesterday?")
    assert any("OutOfMemoryError" in n and "closest" in n for n in a.notices), a.notices
    b = engine.ask("Why OutOfMemoryError on Spark?")  # there it is: no such notice
    assert not any("closest" in n for n in b.notices), b.notices
    assert b.text.startswith("java.lang.OutOfMemoryError")


def test_a_why_question_without_a_symptom_leads_with_the_latest_failure(engine):
    """Not the most frequent message of all time: the one of the run that just failed."""
    spark = sorted((d for d in DATASET if d["tech"] == "Spark" and d["status"] == "FAILED"), key=lambda d: d["timestamp"])
    frequent = max({d["error_message"] for d in spark}, key=lambda m: sum(d["error_message"] == m for d in spark))
    assert frequent != spark[-1]["error_message"]  # the data makes the two differ
    a = engine.ask("Why did Spark fail?")
    assert a.text.startswith(spark[-1]["error_message"]), a.text
    assert frequent.split(":")[0] in a.text  # still listed, among the related messages


def test_a_term_whose_words_are_time_words_stays_whole(engine):
    """« mots de passe »: "passe" alone is a time word (passé) and was dropped, leaving "mots"."""
    a = engine.ask("Pourquoi tant de mots de passe refusés sur OpenSSH ?")
    assert "mots de passe" in a.interpretation, a.interpretation
    assert a.text.startswith("Failed password"), a.text


def test_runs_that_name_no_technology_are_said_in_the_readers_language(mongo_db, make_engine):
    day = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    docs = [run("spark-a", "Spark", "FAILED", "boom", day), run("spark-b", "Spark", "FAILED", "boom", day),
            {"pipeline_name": "orphan", "status": "FAILED", "error_message": "boom", "timestamp": day}]
    mongo_db.flows.insert_many(docs)
    engine = make_engine(mongo_db.name)
    engine.ingest()
    fr = engine.ask("échecs par techno hier")
    assert "• Spark : 2" in fr.text and "• techno inconnue : 1" in fr.text, fr.text
    en = engine.ask("failures yesterday")
    assert "Spark 2, unknown technology 1." in en.text, en.text


def test_a_value_the_signature_masks_still_names_its_message(mongo_db, make_engine):
    """The module in "No module named 'xgboost'" is masked out of the message that is embedded;
    a user asking about xgboost still gets that message first, with its exact count."""
    day = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    docs = [run("spark-fraud-scoring", "Spark", "FAILED",
                f"PythonException: ModuleNotFoundError: No module named 'xgboost' (executor {i})",
                day + timedelta(minutes=i)) for i in range(6)]
    others = ["Database Error in model stg_payments: canceling statement due to statement timeout",
              "botocore.exceptions.ClientError: An error occurred (SlowDown) when calling the PutObject operation",
              "org.apache.kafka.common.errors.RecordTooLargeException: The message is 1048609 bytes",
              "Login failed: user=svc_talend host=ora-fin-01", "java.lang.OutOfMemoryError: Java heap space"]
    docs += [run(f"job-{i}", "Airflow", "FAILED", m, day) for i, m in enumerate(others)]
    mongo_db.flows.insert_many(docs)
    engine = make_engine(mongo_db.name)
    engine.ingest()
    expected = sum("xgboost" in d["error_message"] for d in docs)
    for question in ("why the xgboost error?", "pourquoi l'erreur xgboost ?"):
        a = engine.ask(question)
        assert "'xgboost'" in a.text.splitlines()[0], a.text
        assert a.messages[0].count == expected == 6


@pytest.mark.parametrize("question", ["pourquoi les jobs Hadoop plantent ?", "why are Hadoop jobs crashing?",
                                      "pourquoi les jobs Hadoop tombent ?"])
def test_crash_verbs_ask_for_failures(engine, question):
    assert engine.ask(question).query.statuses == ("failed",)


def test_a_follow_up_keeps_the_failure_filter_it_inherits(engine):
    """« et pour OpenSSH ? » after a why-question about failures: still failures, not successful
    runs read as the symptom (the follow-up says no status word of its own)."""
    first = engine.ask("why did Hadoop fail yesterday?")
    a = engine.ask("and what about the OpenSSH ones?", context=first.context)
    assert a.query.statuses == ("failed",) and a.query.techs == ("OpenSSH",)
    assert a.citations and {c.status for c in a.citations} == {"failed"}, a.citations
    assert "ones" not in (a.interpretation or ""), a.interpretation


@pytest.mark.parametrize("question, notice", [
    ("why did Spark fail tomorrow?", "is in the future"), ("combien d'échecs demain ?", "est dans le futur"),
    ("how many failures next week?", "is in the future"), ("combien d'échecs le 2099-01-15 ?", "est dans le futur"),
])
def test_a_day_still_to_come_is_said_not_replaced_by_all_time(engine, question, notice):
    a = engine.ask(question)
    assert a.query.window is not None and a.query.window.start > NOW
    assert any(notice in n for n in a.notices), a.notices
    assert a.result.total == 0 and "all time" not in (a.interpretation or "")


def test_a_named_error_absent_over_all_time_reads_right_in_french(engine):
    a = engine.ask("Pourquoi OutOfMemoryError sur OpenSSH ?")
    notice = next(n for n in a.notices if "OutOfMemoryError" in n)
    assert notice == "Aucun message ne mentionne « OutOfMemoryError » (OpenSSH) : voici les plus proches.", notice


def test_failing_now_is_said_as_a_last_run_not_as_1_runs_in_a_row(engine):
    latest: dict[str, dict] = {}
    for d in sorted(DATASET, key=lambda d: d["timestamp"]):
        latest[d["pipeline_name"]] = d
    failing = sorted(p for p, d in latest.items() if d["status"] == "FAILED")
    for question, head in (("which pipelines are currently failing?", "whose last run failed"),
                           ("quels pipelines sont en échec en ce moment ?", "dont la dernière exécution a échoué")):
        a = engine.ask(question)
        assert head in a.text.splitlines()[0] and " 1+ " not in a.text and "les 1 " not in a.text, a.text
        assert sorted(s.pipeline for s in a.result.streaks) == failing
        assert "1 failed runs" not in a.text and "1 échecs" not in a.text, a.text


def test_runs_without_a_message_say_so_in_french(mongo_db, make_engine):
    day = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    mongo_db.flows.insert_many([run("quiet-export", "NiFi", "SUCCESS", "", day + timedelta(minutes=i)) for i in range(3)])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    fr = engine.ask("quels sont les messages NiFi d'hier ?")
    assert "(pas de message) — 3 occurrences" in fr.text and "(no message)" not in fr.text, fr.text
    assert "(no message) — 3 occurrences" in engine.ask("NiFi messages yesterday").text


@pytest.mark.parametrize("question, head", [("how many runs per technology yesterday?", "runs yesterday."),
                                            ("combien d'exécutions par techno hier ?", "exécutions hier.")])
def test_how_many_runs_per_technology_counts_runs(engine, question, head):
    yesterday = [d for d in DATASET if at(0, 0) <= d["timestamp"] < at(1, 0)]
    a = engine.ask(question)
    assert a.text.startswith(f"{len(yesterday)} {head}"), a.text
    assert dict(a.result.groups) == {t: sum(d["tech"] == t for d in yesterday) for t in {d["tech"] for d in yesterday}}


def test_a_pipeline_named_by_its_words_is_that_pipeline(mongo_db, make_engine):
    day = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    docs = [run("spark-sales-aggregation", "Spark", "FAILED", "java.lang.OutOfMemoryError: Java heap space", day),
            run("spark-sales-export", "Spark", "FAILED", "java.lang.OutOfMemoryError: GC overhead limit exceeded", day),
            run("spark-sales-export", "Spark", "FAILED", "java.lang.OutOfMemoryError: GC overhead limit exceeded", day),
            run("tln_pos_tickets_load", "Talend", "FAILED", "Fichier introuvable : /data/in/pos.csv", day)]
    mongo_db.flows.insert_many(docs)
    engine = make_engine(mongo_db.name)
    engine.ingest()
    a = engine.ask("why does the sales aggregation job run out of memory?")
    assert a.query.pipelines == ("spark-sales-aggregation",), a.interpretation
    assert "sales aggregation → spark-sales-aggregation" in a.interpretation
    assert a.text.startswith("java.lang.OutOfMemoryError: Java heap space"), a.text
    assert engine.ask("pourquoi le chargement des tickets POS échoue ?").query.pipelines == ("tln_pos_tickets_load",)
    # "sales" alone is in two pipelines' names: no pipeline is guessed
    assert engine.ask("why do the sales jobs fail?").query.pipelines == ()


def test_bare_follow_ups_to_a_why_answer_are_about_its_message(engine):
    """« combien ? », "since when?" after a why-answer: that message's runs, not every run of all time."""
    unreachable = sorted(d["timestamp"] for d in DATASET if "unreachable" in d["error_message"])
    first = engine.ask("why are the DataNodes unreachable?")
    assert "unreachable" in first.text.splitlines()[0]
    how_many = engine.ask("combien ?", context=first.context)
    assert how_many.result.total == len(unreachable), how_many.text
    assert "du message « DataNode" in how_many.interpretation, how_many.interpretation
    since = engine.ask("since when?", context=first.context)
    assert since.query.measure == "first_time" and since.result.value == unreachable[0], since.text
    again = engine.ask("and yesterday?", context=how_many.context)  # still that message
    expected = sum(1 for ts in unreachable if at(0, 0) <= ts < at(1, 0))
    assert again.result.total == expected, again.text
    other = engine.ask("how many Spark failures?", context=first.context)  # names: a new subject
    assert not other.query.message and other.result.total == sum(
        1 for d in DATASET if d["tech"] == "Spark" and d["status"] == "FAILED")


def test_a_topic_is_echoed_as_typed_and_matched_whatever_its_case(engine):
    oom = sum(1 for d in DATASET if "OutOfMemoryError" in d["error_message"] and d["status"] == "FAILED")
    a = engine.ask("how many OutOfMemoryError failures?")
    assert "mentioning “OutOfMemoryError”" in a.interpretation, a.interpretation
    assert a.result.value == oom > 0
    assert engine.ask("how many outofmemoryerror failures?").result.value == oom
