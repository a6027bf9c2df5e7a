"""A small labeled sample of *why / descriptive* questions, on data this test generates itself.

Six technologies, two or three realistic log templates each (errors, warnings, one or two info
lines), a few hundred runs over the last week; twelve questions, six in French and six in
English, paraphrasing the symptom without copying the message. Scored exactly as
bench/bench_explain.py scores Loghub (bench/explain/score.py): the rank of the first citation
whose record was generated from a target template. The gate: every question finds its message
in the first five citations (hit@5 == 1) and MRR >= 0.75. The Loghub bank itself is checked for
shape and wording here too (no Loghub data needed: the templates are quoted in the bank).
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from conftest import NOW, run

from bench.explain.questions import QUESTIONS, Question, copied_trigrams, lint
from bench.explain.score import Namer, breakdown, norm_id, score_answer

# (tech, pipeline, status, template, how many runs); {} fields are filled at random.
TEMPLATES = {
    "kafka-timeout": ("Kafka", "kafka-orders-consumer", "FAILED",
                      "org.apache.kafka.common.errors.TimeoutException: Failed to update metadata after {ms} ms.", 14),
    "kafka-commit": ("Kafka", "kafka-orders-consumer", "WARNING",
                     "[Consumer clientId=consumer-{n}, groupId=orders] Offset commit failed on partition orders-{p} at "
                     "offset {big}: The coordinator is not aware of this member.", 9),
    "kafka-ok": ("Kafka", "kafka-clickstream", "SUCCESS", "Consumed {big} records from clickstream-{p} in {ms} ms", 60),
    "spark-oom": ("Spark", "spark-sales-aggregation", "FAILED",
                  "java.lang.OutOfMemoryError: Java heap space in executor {n} on host worker-{p}", 11),
    "spark-bigtask": ("Spark", "spark-sales-aggregation", "WARNING",
                      "Stage {n} contains a task of very large size ({big} KiB). The maximum recommended task size is "
                      "1000 KiB.", 8),
    "spark-done": ("Spark", "spark-clickstream", "SUCCESS",
                   "Job {n} finished: saveAsTable at ETL.scala:{p}, took {s}.{n} s", 55),
    "pg-slots": ("Postgres", "pg-load-staging", "FAILED",
                 "FATAL: remaining connection slots are reserved for non-replication superuser connections", 10),
    "pg-deadlock": ("Postgres", "pg-load-staging", "FAILED",
                    "ERROR: deadlock detected. Process {big} waits for ShareLock on transaction {big}; blocked by "
                    "process {big}.", 7),
    "pg-copy": ("Postgres", "pg-load-staging", "SUCCESS", "COPY {big} rows into staging.orders", 50),
    "airflow-sigkill": ("Airflow", "airflow-daily-sales", "FAILED",
                        "Task exited with return code Negsignal.SIGKILL", 9),
    "airflow-zombie": ("Airflow", "airflow-daily-sales", "WARNING",
                       "Detected zombie job: task sla_report_{n} has not sent a heartbeat for {s} seconds", 6),
    "airflow-ok": ("Airflow", "airflow-daily-sales", "SUCCESS",
                   "Marking task as SUCCESS. dag_id=daily_sales, task_id=load_{n}", 45),
    "sftp-auth": ("Talend", "talend-partner-sftp", "FAILED",
                  "tSFTPGet_1 - Auth fail for user etl_{n} on sftp.partner-{p}.example.com", 8),
    "sftp-dns": ("Talend", "talend-partner-sftp", "FAILED",
                 "java.net.UnknownHostException: sftp.partner-{p}.example.com: Name or service not known", 7),
    "talend-ok": ("Talend", "talend-partner-sftp", "SUCCESS",
                  "tFileInputDelimited_1 - {big} rows read from /data/in/orders_{n}.csv", 40),
}

SAMPLE = [
    Question("kafka-timeout", "en", "Kafka", ("kafka-timeout",),
             "Why can't the Kafka consumers fetch topic metadata in time?", TEMPLATES["kafka-timeout"][3]),
    Question("kafka-commit", "fr", "Kafka", ("kafka-commit",),
             "Pourquoi le consumer des commandes n'arrive pas à valider ses offsets ?", TEMPLATES["kafka-commit"][3]),
    Question("spark-oom", "en", "Spark", ("spark-oom",),
             "Why are the Spark executors running out of memory?", TEMPLATES["spark-oom"][3]),
    Question("spark-bigtask", "fr", "Spark", ("spark-bigtask",),
             "Spark se plaint de tâches beaucoup trop volumineuses, pourquoi ?", TEMPLATES["spark-bigtask"][3]),
    Question("pg-slots", "en", "Postgres", ("pg-slots",),
             "Why is Postgres refusing new connections to the loader?", TEMPLATES["pg-slots"][3]),
    Question("pg-deadlock", "fr", "Postgres", ("pg-deadlock",),
             "Pourquoi des transactions se bloquent mutuellement sur la base Postgres ?", TEMPLATES["pg-deadlock"][3]),
    Question("airflow-sigkill", "en", "Airflow", ("airflow-sigkill",),
             "Why was the Airflow task killed by the operating system?", TEMPLATES["airflow-sigkill"][3]),
    Question("airflow-zombie", "fr", "Airflow", ("airflow-zombie",),
             "Airflow dit que des tâches ne donnent plus signe de vie, pourquoi ?", TEMPLATES["airflow-zombie"][3]),
    Question("sftp-auth", "en", "Talend", ("sftp-auth",),
             "Why does the login to the partner's SFTP keep getting rejected?", TEMPLATES["sftp-auth"][3]),
    Question("sftp-dns", "fr", "Talend", ("sftp-dns",),
             "Pourquoi Talend n'arrive pas à résoudre le nom du serveur SFTP du partenaire ?",
             TEMPLATES["sftp-dns"][3]),
    Question("spark-done", "fr", "Spark", ("spark-done",),
             "Que veut dire le message Spark qui annonce qu'un job a fini et combien de temps il a pris ?",
             TEMPLATES["spark-done"][3]),
    Question("pg-copy", "en", "Postgres", ("pg-copy",),
             "What are the Postgres lines about rows loaded into the staging table?", TEMPLATES["pg-copy"][3]),
]


def generate(seed: int = 7) -> list[tuple[str, dict]]:
    """(template key, document) pairs over the 7 days before NOW, in random order."""
    rng = random.Random(seed)
    out = []
    for key, (tech, pipeline, status, template, count) in TEMPLATES.items():
        for _ in range(count):
            message = template.format(ms=rng.choice([30000, 60000, 120000]), n=rng.randint(1, 40),
                                      p=rng.randint(0, 11), big=rng.randint(10_000, 9_999_999),
                                      s=rng.randint(30, 900))
            ts = NOW - timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
            out.append((key, run(pipeline, tech, status, message, ts)))
    rng.shuffle(out)
    return out


def as_template(text: str) -> str:
    """A generator template written the Loghub way: its fields become <*>."""
    return re.sub(r"\{\w+\}", "<*>", text)


def test_sample_questions_do_not_copy_their_messages():
    assert len(SAMPLE) == 12 and Counter(q.lang for q in SAMPLE) == {"fr": 6, "en": 6}
    for q in SAMPLE:
        assert not copied_trigrams(q.text, as_template(q.template)), q.id


def test_sample_cites_the_relevant_message(mongo_db, make_engine):
    pairs = generate()
    result = mongo_db.flows.insert_many([doc for _, doc in pairs])
    labels = {norm_id(i): ("sample", key) for i, (key, _) in zip(result.inserted_ids, pairs)}
    engine = make_engine(mongo_db.name)
    engine.ingest()
    namer = Namer({("sample", key): as_template(t[3]) for key, t in TEMPLATES.items()})
    outcomes = [score_answer(replace(q, system="sample"), engine.ask(q.text, use_llm=False), 0.0, labels, namer)
                for q in SAMPLE]

    scores = breakdown(outcomes)["all"]
    report = "\n".join(f"{o.question.id}: rank {o.rank}; first citations {[c['event'] for c in o.cited]}; "
                       f"first line {o.headline[:90]!r}" for o in outcomes if o.rank != 1)
    assert scores["hit@5"] == 1.0, f"{scores}\n{report}"
    assert scores["mrr"] >= 0.75, f"{scores}\n{report}"


def test_held_out_set_shape():
    from bench.explain.holdout import QUESTIONS as HELD_OUT

    assert len(HELD_OUT) == 40 and Counter(q.lang for q in HELD_OUT) == {"fr": 20, "en": 20}
    assert Counter(q.system for q in HELD_OUT) == {s: 5 for s in {q.system for q in HELD_OUT}}
    assert not [q.id for q in HELD_OUT if lint(q)]
    assert not {h.text for h in HELD_OUT} & {q.text for q in QUESTIONS}


def test_loghub_bank_shape():
    assert len(QUESTIONS) >= 130
    langs = Counter(q.lang for q in QUESTIONS)
    assert set(langs) == {"fr", "en"} and abs(langs["fr"] - langs["en"]) <= len(QUESTIONS) // 10
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    assert len({q.system for q in QUESTIONS}) == 8
    for q in QUESTIONS:
        assert q.targets and all(e.startswith("E") and e[1:].isdigit() for e in q.targets), q.id
        assert q.text.rstrip().endswith("?"), q.id
        if q.when:
            start, end = (date.fromisoformat(d) for d in q.when)
            assert start <= end <= NOW.date(), q.id
        assert not lint(q), (q.id, lint(q))
