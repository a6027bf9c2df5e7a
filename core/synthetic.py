"""Deterministic synthetic flow-monitoring records: `flowrag demo`, the tests and the benchmarks.

`generate()` streams raw MongoDB documents shaped like a real monitoring collection: scheduled
runs with jitter, a realistic failure mix (flaky pipelines, one bad afternoon, errors that only
appeared in the last day and a half), French and English logs, rare secrets and huge stack traces,
and, with `messy=True`, the schema mess that real collections accumulate. Plain dicts, a few RNG
draws per record, nothing heavy: a million records stream in seconds.
"""
from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from bson import ObjectId

TECHS = ("Spark", "Talend", "Informatica", "dbt", "Airflow", "NiFi", "Kafka")

BASE_FAIL = 0.045  # pipelines' everyday failure rate; flaky ones and incidents lift the total to ~6-7%
WARN_RATE = 0.05
MESSY_SHARE = 0.02

# (name, tech, runs every N minutes, log language, failure rate or None for BASE_FAIL)
PIPELINES = (
    ("spark-sales-aggregation", "Spark", 60, "en", None),
    ("spark-clickstream-sessionize", "Spark", 15, "en", None),
    ("spark-customer-360-build", "Spark", 1440, "en", None),
    ("spark-fraud-scoring", "Spark", 15, "en", None),
    ("spark-inventory-snapshot", "Spark", 60, "en", None),
    ("spark-recommendations-train", "Spark", 1440, "en", 0.12),
    ("spark-logs-compaction", "Spark", 60, "en", None),
    ("tln_crm_customers_load", "Talend", 60, "fr", 0.30),  # the flaky one everybody knows
    ("tln_erp_invoices_extract", "Talend", 60, "fr", None),
    ("tln_hr_employees_sync", "Talend", 1440, "fr", None),
    ("tln_supplier_catalog_import", "Talend", 1440, "fr", None),
    ("tln_pos_tickets_load", "Talend", 15, "fr", None),
    ("tln_crm_contacts_dedup", "Talend", 60, "en", None),
    ("wf_finance_gl_daily", "Informatica", 1440, "fr", None),
    ("wf_finance_ap_invoices", "Informatica", 60, "fr", None),
    ("wf_risk_exposure_calc", "Informatica", 1440, "en", None),
    ("wf_mdm_products_publish", "Informatica", 60, "en", None),
    ("wf_treasury_cash_positions", "Informatica", 60, "fr", None),
    ("dbt_marts_orders", "dbt", 60, "en", None),
    ("dbt_marts_customers", "dbt", 60, "en", None),
    ("dbt_staging_payments", "dbt", 60, "en", None),
    ("dbt_finance_revenue", "dbt", 1440, "en", None),
    ("dbt_marketing_attribution", "dbt", 1440, "en", None),
    ("dbt_snapshots_products", "dbt", 1440, "en", None),
    ("dag_ingest_s3_events", "Airflow", 15, "en", None),
    ("dag_export_partner_feeds", "Airflow", 60, "en", 0.25),  # flaky: the partner's SFTP
    ("dag_ml_feature_store", "Airflow", 60, "en", None),
    ("dag_backup_postgres", "Airflow", 1440, "en", None),
    ("dag_refresh_bi_extracts", "Airflow", 60, "en", None),
    ("dag_gdpr_purge", "Airflow", 1440, "en", None),
    ("nifi-iot-telemetry", "NiFi", 15, "en", None),
    ("nifi-sftp-partner-files", "NiFi", 60, "en", None),
    ("nifi-web-logs-ingest", "NiFi", 15, "en", None),
    ("nifi-edi-orders", "NiFi", 60, "en", None),
    ("nifi-mainframe-extracts", "NiFi", 1440, "fr", None),
    ("kafka-connect-orders-sink", "Kafka", 15, "en", None),
    ("kafka-connect-cdc-customers", "Kafka", 15, "en", None),
    ("kafka-streams-payments-enrich", "Kafka", 15, "en", None),
    ("kafka-mirror-eu-us", "Kafka", 60, "en", None),
    ("kafka-connect-s3-archive", "Kafka", 60, "en", None),
)

_OOM_TRACE = "".join(f"\n\tat {f}" for f in (
    "java.util.Arrays.copyOf(Arrays.java:3236)",
    "java.io.ByteArrayOutputStream.grow(ByteArrayOutputStream.java:118)",
    "org.apache.spark.util.ByteBufferOutputStream.write(ByteBufferOutputStream.scala:41)",
    "org.apache.spark.serializer.KryoSerializationStream.writeObject(KryoSerializer.scala:245)",
    "org.apache.spark.storage.DiskBlockObjectWriter.write(DiskBlockObjectWriter.scala:252)",
    "org.apache.spark.shuffle.sort.BypassMergeSortShuffleWriter.write(BypassMergeSortShuffleWriter.java:171)",
    "org.apache.spark.scheduler.ShuffleMapTask.runTask(ShuffleMapTask.scala:99)",
    "org.apache.spark.scheduler.Task.run(Task.scala:141)",
    "org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:620)",
    "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1149)",
    "java.lang.Thread.run(Thread.java:750)"))
_SPARK_ABORT = ("Job aborted due to stage failure: Task {n} in stage {stage}.0 failed 4 times, most recent "
                "failure: Lost task {n}.3 in stage {stage}.0 (TID {id}) ({host} executor {exec}): ")
OOM = _SPARK_ABORT + "java.lang.OutOfMemoryError: Java heap space" + _OOM_TRACE

# Recurring errors. Placeholders ({id}, {ip}, {ymd}...) are the parts that change from run to run;
# masking them collapses a template back to one signature. The first entries are the most frequent.
ERRORS = {
    "Spark": (OOM,
              "Table or view not found: sales.orders_{ym}; line 1 pos {pos}",
              "java.net.ConnectException: Connection refused: connect to {ip}:5432",
              "org.apache.spark.shuffle.FetchFailedException: Failed to connect to {host}:7337",
              "org.apache.spark.sql.AnalysisException: Path does not exist: s3a://dp-raw/clickstream/dt={date}"),
    "Talend": ("Exception in component tDBOutput_1: Duplicate entry '{id}' for key 'PRIMARY'",
               "Exception in component tFileInputDelimited_1: java.io.FileNotFoundException: "
               "/data/in/customers_{ymd}.csv (No such file or directory)",
               "Exception in component tOracleConnection_1: IO Error: The Network Adapter could not "
               "establish the connection ({ip}:1521)"),
    "Informatica": ("[READER_1_1_1] ORA-01017: invalid username/password; logon denied",
                    "[WRITER_1_*_1] ORA-00001: unique constraint (DWH.PK_GL_ENTRY) violated, row {id} rejected",
                    "[LM_36320] Execution failed: Integration Service ISVC_PROD is unavailable on node node{n}"),
    "dbt": ('Database Error in model orders (models/marts/orders.sql) column "amount_eur" does not exist',
            "Failure in test unique_orders_order_id (models/marts/schema.yml) Got {n} results, "
            "configured to fail if != 0",
            "Database Error in model stg_payments (models/staging/stg_payments.sql) "
            "canceling statement due to statement timeout after {ms} ms"),
    "Airflow": ("Task exited with return code 1",
                "Dependency 'upstream_ready' failed: task {task} is in state upstream_failed (try {try} of 3)",
                "airflow.exceptions.AirflowTaskTimeout: Timeout, PID: {id}",
                "botocore.exceptions.ClientError: An error occurred (SlowDown) when calling the PutObject "
                "operation (reached max retries: 4): Please reduce your request rate."),
    "NiFi": ("PutHDFS failed: Failed to write to HDFS due to org.apache.hadoop.ipc.RemoteException: "
             "File /data/raw/iot/part-{id}.avro could only be written to 0 of the 1 minReplication nodes",
             "FetchSFTP failed to fetch /out/partner/orders_{ymd}.csv: No such file",
             "InvokeHTTP request to https://api.partner.example/v2/events returned 503 after {ms} ms"),
    "Kafka": ("org.apache.kafka.common.errors.TimeoutException: Expiring {n} record(s) for orders-{p}:"
              "{ms} ms has passed since batch creation",
              "org.apache.kafka.connect.errors.DataException: Failed to deserialize data for topic "
              "cdc.customers to Avro: Unknown magic byte! (offset {id})",
              "org.apache.kafka.common.errors.RecordTooLargeException: The message is {bytes} bytes "
              "when serialized which is larger than 1048576"),
}
# Teams that log in French (their DB drivers still speak English: French pipelines use both lists).
ERRORS_FR = {
    "Talend": ("Échec de connexion à la base ORACLE_FIN : délai dépassé ({ms} ms)",
               "Fichier introuvable : /data/in/clients_{ymd}.csv",
               "Rejet de {n} lignes : violation de la clé primaire (tDBOutput_1)"),
    "Informatica": ("[READER_1_1_1] ORA-01017 : nom d'utilisateur/mot de passe non valide ; connexion refusée",
                    "Échec de la session s_m_chargement_gl : fichier source /infa/srcfiles/gl_{ymd}.dat introuvable"),
    "NiFi": ("Échec du transfert FTP vers mainframe-prod : connexion interrompue après {ms} ms",),
}
# Broke after a deploy a day and a half ago: the answer to "what's new?". Never seen before that.
NEW_ERRORS = {
    "dbt_marts_customers": "Compilation Error in model customers (models/marts/customers.sql) depends on "
                           "a node named 'stg_crm__contacts_v2' which was not found",
    "spark-fraud-scoring": "org.apache.spark.api.python.PythonException: ModuleNotFoundError: "
                           "No module named 'xgboost' (executor {exec})",
    "kafka-connect-s3-archive": "org.apache.kafka.connect.errors.ConnectException: S3 PutObject failed: "
                                "The provided token has expired. (Status Code: 400; Request ID: {id})",
    "tln_erp_invoices_extract": "Certificat SSL expiré pour sftp-fournisseurs.example.fr (handshake {id})",
}
NEW_SINCE = timedelta(hours=36)
NEW_FAIL = 0.6

WARNINGS = {
    "Spark": ("Skew detected in stage {stage}: max task {secs}s vs median {n}s",
              "Slow task: stage {stage} took {secs}s (SLA 600s)"),
    "Talend": ("{rows} rows rejected by tMap_1 (invalid date format)",),
    "Informatica": ("[TM_6019] Session completed with {n} row errors",),
    "dbt": ("Warning in test not_null_orders_customer_id (models/marts/schema.yml) Got {n} results",),
    "Airflow": ("Retry {try}/3 after transient error: Connection reset by peer",
                "Slow task: {task} took {secs}s (SLA 900s)"),
    "NiFi": ("Back pressure engaged on connection {id}: {rows} FlowFiles queued",),
    "Kafka": ("Consumer lag for group payments-enricher is {rows} messages",
              "Retry {try}/3 producing to orders-{p}: NOT_LEADER_OR_FOLLOWER"),
}
WARNINGS_FR = ("Nouvelle tentative {try}/3 après erreur transitoire", "Traitement lent : {secs} s (SLA 900 s)",
               "{rows} lignes rejetées (format de date invalide)")
SUCCESS = {"Spark": "Job completed in {secs}s, {rows} rows", "Talend": "Job completed in {secs}s, {rows} rows",
           "Informatica": "Workflow completed successfully. Source rows: {rows}, target rows: {rows}",
           "dbt": "Completed successfully in {secs}s. PASS={n} WARN=0 ERROR=0 SKIP=0", "Airflow": "Marking task as SUCCESS",
           "NiFi": "", "Kafka": ""}
SUCCESS_FR = "Traitement terminé en {secs} s, {rows} lignes"

# Rare messages with secrets flowrag must redact: (tech, status, message). One every 1,000 records.
SECRETS = (
    ("Spark", "failed", "java.sql.SQLException: cannot connect to jdbc:postgresql://etl:S3cr3tP@ss@db-prod:5432/dwh"),
    ("Talend", "failed", "Login failed: user=svc_talend password=hunter2 host=ora-fin-01"),
    ("Airflow", "failed", "S3 AccessDenied for key AKIAIOSFODNN7EXAMPLE on s3://dp-raw/events/"),
    ("Airflow", "warning", "Slack alert not sent: token xoxb-123-456-abcdef rejected (invalid_auth)"),
    ("NiFi", "failed", "InvokeHTTP 401 Unauthorized, sent Authorization: Bearer "
                       "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldGwifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1rwW1gFWFOEjXk"),
    ("Kafka", "failed", 'SaslAuthenticationException with sasl.jaas.config=PlainLoginModule required '
                        'username="svc_kafka" password="K@fk4Pr0d!";'),
)
SECRET_VALUES = ("S3cr3tP@ss", "hunter2", "AKIAIOSFODNN7EXAMPLE", "xoxb-123-456-abcdef",
                 "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldGwifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1rwW1gFWFOEjXk", "K@fk4Pr0d!")
CHANNEL = ("NiFi", "warning", "Partner files late, <!channel> please check the SFTP drop /out/partner/")
# A deep Catalyst plan blows the stack: 40-100 KB messages, one every 2,000 records.
_DEEP_FRAMES = "".join(f"\n\tat org.apache.spark.sql.catalyst.trees.TreeNode.{m}(TreeNode.scala:{ln})" for m, ln in (
    ("$anonfun$transformDownWithPruning$1", 590), ("mapChildren", 1228), ("transformDownWithPruning", 590),
    ("$anonfun$transformDownWithPruning$3", 594), ("mapProductIterator", 884), ("withNewChildren", 1061)) * 2)
LONG_TRACE = ("Spark", "failed", None)

_STATUS_VARIANTS = {"failed": ("FAILED", "Failed", "KO", "ERROR"), "success": ("ok", "OK", "SUCCESS", "Succeeded"),
                    "warning": ("WARN", "Warning", "WARNING"), "running": ("RUNNING", "Running")}
BROKEN_TIMESTAMPS = ("not a date", "N/A", "2026-13-45 99:99:99", "??")
_TASKS = ("extract", "load_staging", "transform", "publish", "wait_for_upstream")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# How each placeholder is filled: (rng.random, record datetime) -> text.
_FILL = {
    "n": lambda r, ts: 1 + int(r() * 64), "id": lambda r, ts: 1000 + int(r() * 99000),
    "pos": lambda r, ts: 10 + int(r() * 400), "stage": lambda r, ts: int(r() * 90),
    "exec": lambda r, ts: 1 + int(r() * 40), "p": lambda r, ts: int(r() * 12), "try": lambda r, ts: 1 + int(r() * 3),
    "ms": lambda r, ts: 1000 * (5 + int(r() * 55)), "bytes": lambda r, ts: 1048577 + int(r() * 4_000_000),
    "rows": lambda r, ts: int(r() * 250_000), "secs": lambda r, ts: 1 + int(r() * 900),
    "ip": lambda r, ts: f"10.20.{int(r() * 8)}.{2 + int(r() * 250)}",
    "host": lambda r, ts: f"ip-10-20-{int(r() * 8)}-{2 + int(r() * 250)}.eu-west-1.compute.internal",
    "task": lambda r, ts: _TASKS[int(r() * len(_TASKS))],
    "ymd": lambda r, ts: ts.strftime("%Y%m%d"), "date": lambda r, ts: ts.strftime("%Y-%m-%d"),
    "ym": lambda r, ts: ts.strftime("%Y_%m"),
}


class _Vars(dict):
    """Fills placeholders lazily, once per name: a number repeated in one message stays the same."""

    def __init__(self, r, ts, **known):
        super().__init__(known)
        self.r, self.ts = r, ts

    def __missing__(self, key):
        value = self[key] = _FILL[key](self.r, self.ts)
        return value


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def incident_window(now: datetime | None = None, days: float = 30) -> tuple[datetime, datetime]:
    """The bad afternoon (13:00-17:00 UTC, ~3 days ago) when most Spark jobs die of the same OOM."""
    now = _utc(now)
    day = (now - timedelta(days=min(3, days / 2))).replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - timedelta(days=days), min(day + timedelta(hours=13), now - timedelta(hours=4)))
    return start, start + timedelta(hours=4)


def _schedules(rng: random.Random, start_s: int, end_s: int) -> list[tuple]:
    """Per pipeline: its slots inside the window. A run = phase + k * period + jitter."""
    out = []
    for name, tech, every, lang, fail in PIPELINES:
        period = every * 60
        jitter = max(30, period // 20)  # 45 s for 15-min jobs, 3 min hourly, 72 min for nightly batches
        # Nightly batches start between 02:00 and 06:00 UTC; others at a fixed minute of their period.
        phase = 7200 + int(rng.random() * 14400) if every == 1440 else int(rng.random() * period)
        k0 = -((phase - start_s) // period)  # first slot >= start
        count = (end_s - jitter + 1 - phase) // period - k0 + 1
        base = {15: 60, 60: 300, 1440: 1800}[every]  # typical duration, seconds
        if count > 0:
            out.append((name, tech, lang, period, phase, jitter, k0, count, base,
                        BASE_FAIL if fail is None else fail, NEW_ERRORS.get(name)))
    return out


def generate(n: int, *, seed: int = 42, now: datetime | None = None, days: float = 30,
             messy: bool = True) -> Iterator[dict]:
    """Yield n raw MongoDB documents (dicts with a bson ObjectId `_id`), spread over the `days` days
    before `now` (UTC-aware; default now), deterministic for a given (n, seed, now, days, messy).

    A longer run starts with the same records as a shorter one, and messy=False yields the same
    records minus the mess."""
    if n < 0 or days <= 0:  # checked here, not at the first next(): generate() itself is not a generator
        raise ValueError("n must be >= 0 and days > 0")
    return _generate(n, seed, _utc(now), days, messy)


def _generate(n: int, seed: int, now: datetime, days: float, messy: bool) -> Iterator[dict]:
    rng = random.Random(seed)
    r, bits = rng.random, rng.getrandbits
    now_s = now.timestamp()
    end_s = int(now_s // 1) - 1  # last whole second: second + .999 stays before `now`
    start_s = -int((days * 86400 - now_s) // 1)  # ceil(now - days)
    pipes = _schedules(rng, start_s, end_s)
    cum, total = [], 0
    for p in pipes:
        total += p[7]
        cum.append(total)
    by_tech = {t: [p for p in pipes if p[1] == t] for t in TECHS}
    inc0, inc1 = (int(d.timestamp()) for d in incident_window(now, days))
    new_s = int((now - NEW_SINCE).timestamp())
    recent_s = end_s - 7200

    for i in range(n):
        # Special records sit at fixed positions, so even a small demo has secrets, a huge trace...
        special = (SECRETS[i // 1000 % len(SECRETS)] if i % 1000 == 311 else LONG_TRACE if i % 2000 == 1499
                   else CHANNEL if i % 5000 == 2500 else None)
        if special:
            same = by_tech[special[0]]
            p = same[int(r() * len(same))]
        else:
            p = pipes[bisect(cum, r() * total)]
        name, tech, lang, period, phase, jitter, k0, count, base, fail, new = p
        sec = phase + (k0 + int(r() * count)) * period + int(r() * jitter)
        ms = int(r() * 1000)
        ts = _EPOCH + timedelta(0, sec, ms * 1000)  # positional: noticeably faster than keywords
        dur = int(base * (0.3 + 1.4 * r()))

        if special:
            status, msg = special[1], special[2]
            if msg is None:  # the long trace
                msg = (_SPARK_ABORT.format_map(_Vars(r, ts)) + "java.lang.StackOverflowError"
                       + _DEEP_FRAMES * (40 + int(r() * 60)))
        elif inc0 <= sec < inc1 and tech == "Spark" and r() < 0.7:
            status, msg = "failed", OOM.format_map(_Vars(r, ts))
        elif new and sec >= new_s and r() < NEW_FAIL:
            status, msg = "failed", new.format_map(_Vars(r, ts))
        elif sec > recent_s and r() < 0.3:
            status, msg, dur = "running", "", None
        else:
            v = r()
            if v < fail:
                pool = ERRORS_FR[tech] if lang == "fr" and tech in ERRORS_FR and r() < 0.6 else ERRORS[tech]
                status, msg = "failed", pool[int(len(pool) * r() * r())].format_map(_Vars(r, ts, secs=dur))
            elif v < fail + WARN_RATE:
                pool = WARNINGS_FR if lang == "fr" else WARNINGS[tech]
                status, msg = "warning", pool[int(len(pool) * r())].format_map(_Vars(r, ts, secs=dur))
            elif v > 0.998:  # a zombie run that never reported back
                status, msg, dur = "running", "", None
            else:
                status = "success"
                msg = (SUCCESS_FR if lang == "fr" else SUCCESS[tech]).format(
                    secs=dur, rows=int(r() * 250_000), n=1 + int(sec % 40))

        # 4-byte big-endian seconds + 8 random bytes, like a driver's ObjectId: _id order ~ time order.
        doc = {"_id": ObjectId((sec << 64 | bits(64)).to_bytes(12, "big")),
               "pipeline_name": name, "tech": tech, "status": status, "error_message": msg,
               "timestamp": ts, "duration_s": dur}
        roll = r()  # drawn even when messy=False, so both modes share every other value
        if messy:
            if i % 1000 == 617:  # broken beyond repair: counted and skipped by ingest
                doc["timestamp"] = BROKEN_TIMESTAMPS[i // 1000 % len(BROKEN_TIMESTAMPS)]
            elif roll < MESSY_SHARE:
                doc = _mess(doc, int(roll / MESSY_SHARE * 7), ms)
            elif roll < 3 * MESSY_SHARE and status in ("failed", "warning"):  # so "KO" & co. show up
                doc = _mess(doc, 0, ms)
        yield doc


def _mess(doc: dict, kind: int, ms: int) -> dict:
    """One of the ways real collections drift from the schema; `kind` in 0..6."""
    ts = doc["timestamp"]
    if kind == 0:
        variants = _STATUS_VARIANTS[doc["status"]]
        doc["status"] = variants[ms % len(variants)]
    elif kind == 1:
        doc["timestamp"] = (ts.isoformat(), ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms:03d}Z",
                            ts.strftime("%Y-%m-%d %H:%M:%S"))[ms % 3]
    elif kind == 2:
        doc["timestamp"] = int(ts.timestamp())  # epoch seconds
    elif kind == 3:
        doc["timestamp"] = int(ts.timestamp()) * 1000 + ms  # epoch milliseconds
    elif kind == 4:
        doc["tech"] = doc["tech"].lower() if ms % 2 else doc["tech"].upper()
    elif kind == 5:
        del doc[("tech", "timestamp", "error_message")[ms % 3]]  # a missing timestamp falls back to _id
    else:
        doc = {"_id": doc["_id"], "job": {"name": doc["pipeline_name"], "tech": doc["tech"]},
               "status": doc["status"], "error_message": doc["error_message"], "timestamp": ts,
               "duration_s": doc["duration_s"]}
    return doc


def load(collection, n: int, *, batch_size: int = 5000, **kw) -> int:
    """insert_many `generate(n, **kw)` into a pymongo collection in batches; returns the count."""
    inserted, batch = 0, []
    for doc in generate(n, **kw):
        batch.append(doc)
        if len(batch) >= batch_size:
            inserted += len(collection.insert_many(batch, ordered=False).inserted_ids)
            batch = []
    if batch:
        inserted += len(collection.insert_many(batch, ordered=False).inserted_ids)
    return inserted
