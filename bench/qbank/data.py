"""Deterministic pipeline-run documents for the question bank.

`generate(now)` gives ~4,000 runs of 19 pipelines over 9 technologies during the 30 days before
`now`, on daily schedules (local hours, Europe/Paris) with seeded jitter and statuses, and then
plants the features the questions are about:

* silent since yesterday: partner_files_router, ledger_backup, api_cronjobs (Kubernetes, whose
  only pipeline it is, so the technology is silent too); all three ran every day before;
* failure streaks at the end: fraud_scoring 4 failed runs since yesterday 16:05 (then one
  RUNNING run, which streaks ignore), sap_orders_extract 6, hr_payroll_import 3; finance_marts
  ends with only 2 (below the default threshold of 3); marketing_models in an episode since
  yesterday 11:00 (failed, failed, a lone success, failed: the same error), and a RUNNING run of
  hive_partitions_refresh 10 days old (stuck);
* messages first seen yesterday (Spark, Talend, and a PostgreSQL warning) and today (NiFi); a
  Kafka Connect message recurring every other day for four weeks; two traps that fail
  yesterday but are not new (seen weeks ago as a warning, or on another pipeline);
* failures during last night and this morning (two after 08:00); Kubernetes failures with the raw status ERROR;
  runs started in the last 40 minutes are RUNNING;
* for the topic questions (planted last, so every earlier message keeps its numbers): an
  Informatica message with the plural "timeouts" (first seen 20 days ago, then yesterday and
  last night) beside a PostgreSQL "statement timeout" yesterday, while the new Spark message says
  "timed out" (a topic "timeout" must count the first two and not the third).

`filler(n, now)` yields healthy background runs (SUCCESS, empty message) of other pipelines at
regular intervals, so every filler pipeline runs in every hour: it never looks silent, never
fails, never brings a message, and the planted features survive any volume. The expected
answers are always recomputed over everything inserted, so the filler only changes figures
that depend on volume (run counts, rates' denominators, distinct counts).

Messages vary only by standalone numbers (never digits glued to letters, no paths, quotes or
addresses), so the engine's message identity and the bank's (digits masked) agree.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Paris")
DAYS = 30
RUNNING_WITHIN = timedelta(minutes=40)

# (name, tech, local hours it starts each day, failure probability, warning probability)
PIPELINES = (
    ("crm_accounts_load", "Informatica", (1, 7, 13, 19), 0.08, 0.05),
    ("sap_orders_extract", "Informatica", (3, 11, 19), 0.06, 0.04),
    ("ledger_backup", "PostgreSQL", (2,), 0.05, 0.03),
    ("pricing_vacuum", "PostgreSQL", (1, 13), 0.05, 0.08),
    ("orders_cdc_sink", "Kafka Connect", tuple(range(0, 24, 2)), 0.05, 0.05),
    ("clickstream_sink", "Kafka Connect", tuple(range(24)), 0.04, 0.04),
    ("supplier_sync", "Talend", (1, 5, 9, 13, 17, 21), 0.08, 0.05),
    ("hr_payroll_import", "Talend", (7, 19), 0.06, 0.04),
    ("sales_aggregates", "Spark", (0, 3, 6, 9, 12, 15, 18, 21), 0.07, 0.05),
    ("fraud_scoring", "Spark", (0, 4, 8, 12, 16, 20), 0.06, 0.04),
    ("reco_features", "Spark", (2, 6, 10, 14, 18, 22), 0.10, 0.05),
    ("finance_marts", "dbt", (6, 19), 0.07, 0.06),
    ("marketing_models", "dbt", (5, 11, 17, 23), 0.08, 0.06),
    ("iot_ingest", "NiFi", tuple(range(24)), 0.05, 0.05),
    ("partner_files_router", "NiFi", tuple(range(1, 24, 2)), 0.06, 0.04),
    ("hive_partitions_refresh", "Hadoop", (0, 6, 12, 18), 0.08, 0.05),
    ("logs_compaction", "Hadoop", (23,), 0.06, 0.04),
    ("archive_distcp", "Hadoop", (3,), 0.10, 0.00),  # Sundays only: never "silent"
    ("api_cronjobs", "Kubernetes", tuple(range(0, 24, 2)), 0.07, 0.04),
)
WEEKLY = {"archive_distcp": 6}  # pipeline -> the one weekday it runs
RAW_FAILED = {"Kubernetes": "ERROR"}  # this collector writes ERROR, the others FAILED
SILENT_SINCE_YESTERDAY = ("partner_files_router", "ledger_backup", "api_cronjobs")

# Everyday messages per technology: {a}, {b}, {c} are filled with numbers.
FAILURES = {
    "Spark": ("Job aborted due to stage failure: task {a} in stage {b} failed {c} times",
              "java.lang.OutOfMemoryError: Java heap space while shuffling {b} partitions",
              "Table or view not found: sales.daily_orders"),
    "dbt": ("Database error in model: relation analytics.orders does not exist",
            "Test not_null_orders_id failed with {a} failing rows"),
    "NiFi": ("Failed to transfer flow file to remote process group after {c} attempts",
             "Processor PutHDFS yielded for {a} s after an IOException"),
    "Talend": ("Talend job exited with code {c} in component tFileInputDelimited",
               "Schema mismatch on column unit_price, {b} rows rejected"),
    "Informatica": ("Session task failed: writer thread terminated with {b} rejected rows",
                    "Workflow failed because the repository service did not respond within {a} s",
                    "Lookup cache build failed: not enough space in the cache directory"),
    "PostgreSQL": ("could not serialize access due to concurrent update",
                   "canceling statement due to statement timeout after {b} ms",
                   "deadlock detected while updating {b} rows"),
    "Kafka Connect": ("Sink task threw an unrecoverable exception after {c} retries",
                      "Record deserialization error at offset {b} on partition {c}"),
    "Hadoop": ("Container killed by the ApplicationMaster, exit code {b}",
               "Block replication failed, only {c} datanodes available"),
    "Kubernetes": ("Pod evicted: the node was low on memory after {c} restarts",
                   "CrashLoopBackOff: back-off {a} s restarting failed container"),
}
WARNINGS = {
    "Spark": ("Stage {c} took {a} s longer than usual",),
    "dbt": ("Model took {b} s, above the {a} s threshold",),
    "NiFi": ("Queue reached {a} percent of its back pressure object threshold",),
    "Talend": ("{b} rows rejected by tSchemaComplianceCheck",),
    "Informatica": ("Session completed with {b} rejected rows",),
    "PostgreSQL": ("autovacuum took {a} s on table prices",),
    "Kafka Connect": ("Consumer lag reached {b} messages on topic orders",),
    "Hadoop": ("HDFS capacity above {a} percent",),
    "Kubernetes": ("Job took {b} s, the deadline is {a} s",),
}

# Planted messages (see the module docstring).
NEW_SPARK = "Executor heartbeat timed out after {b} ms on stage {c}"  # first seen yesterday
NEW_TALEND = "Lookup returned {a} duplicate rows for the supplier reference table"  # yesterday
NEW_NIFI = "Back pressure threshold reached on queue with {b} flow files"  # first seen today
NEW_PG_WARNING = "Slow query detected, scan took {a} s on partition {c}"  # warning, yesterday
RECURRING_KAFKA = "Connection reset by peer while reading from broker after {c} retries"
TRAP_HADOOP = "Disk usage at {a} percent on data node"  # warning 12 days ago, failure yesterday
TRAP_DBT = "Compilation error in model, column customer_id not found"  # other pipeline, 15 days ago
TIMEOUTS_INFA = "Repository calls ended in {c} timeouts in a row"  # 20 days ago, yesterday, last night

FILLER_TECHS = ("Spark", "dbt", "NiFi", "Talend", "Informatica", "PostgreSQL", "Kafka Connect", "Hadoop")
FILLER_RUNS_PER_PIPELINE = 2000


def local_time(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A Paris wall-clock time as an aware UTC datetime (what MongoDB stores)."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ).astimezone(timezone.utc)


def _doc(pipeline: str, tech: str, status: str, message: str, ts: datetime) -> dict:
    return {"pipeline_name": pipeline, "tech": tech, "status": status, "error_message": message, "timestamp": ts}


class _Runs:
    """The scheduled runs, addressable by (pipeline, day offset, hour) so plants name real runs."""

    def __init__(self, now: datetime, rng: random.Random):
        self.now, self.rng = now, rng
        self.today = now.astimezone(TZ).date()
        self.by_slot: dict[tuple[str, int, int], dict] = {}
        self.tech = {name: tech for name, tech, *_ in PIPELINES}

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(a=r.randint(20, 95), b=r.randint(100, 90000), c=r.randint(2, 9))

    def schedule(self) -> None:
        """Every scheduled run of the 30 days, with random jitter and status."""
        start = self.now - timedelta(days=DAYS)
        for offset in range(-(DAYS - 1), 1):
            day = self.today + timedelta(days=offset)
            for name, tech, hours, p_fail, p_warn in PIPELINES:
                if name in WEEKLY and day.weekday() != WEEKLY[name]:
                    continue
                for hour in hours:
                    ts = local_time(day, hour, self.rng.randint(0, 25), self.rng.randint(0, 59))
                    if not start <= ts < self.now:
                        continue
                    roll = self.rng.random()
                    if self.now - ts < RUNNING_WITHIN:
                        status, message = "RUNNING", ""
                    elif roll < p_fail:
                        status, message = RAW_FAILED.get(tech, "FAILED"), self.fill(self.rng.choice(FAILURES[tech]))
                    elif roll < p_fail + p_warn:
                        status, message = "WARNING", self.fill(self.rng.choice(WARNINGS[tech]))
                    else:
                        status, message = "SUCCESS", ""
                    self.by_slot[(name, offset, hour)] = _doc(name, tech, status, message, ts)

    def set(self, pipeline: str, offset: int, hour: int, status: str, template: str = "",
            minute: int | None = None) -> None:
        """Overwrite one scheduled run; a missing slot is a bug in the plan, not something to skip."""
        doc = self.by_slot[(pipeline, offset, hour)]
        if status == "FAILED":
            status = RAW_FAILED.get(doc["tech"], "FAILED")
        doc["status"], doc["error_message"] = status, self.fill(template) if template else ""
        if minute is not None:
            doc["timestamp"] = local_time(self.today + timedelta(days=offset), hour, minute)

    def runs_of(self, pipeline: str) -> list[dict]:
        return sorted((d for (p, _, _), d in self.by_slot.items() if p == pipeline), key=lambda d: d["timestamp"])


def _seed_templates(runs: _Runs) -> None:
    """Show every everyday message in the first days, so only planted messages are ever 'new'."""
    for tech in FAILURES:
        busiest = max((p for p in PIPELINES if p[1] == tech), key=lambda p: len(p[2]))[0]
        early = runs.runs_of(busiest)
        plan = [("FAILED", t) for t in FAILURES[tech]] + [("WARNING", t) for t in WARNINGS[tech]]
        for i, (status, template) in enumerate(plan):
            doc = early[1 + 2 * i]
            doc["status"] = RAW_FAILED.get(tech, "FAILED") if status == "FAILED" else status
            doc["error_message"] = runs.fill(template)


def _end_healthy(runs: _Runs) -> None:
    """Every pipeline's last finished run succeeds, so the only streaks are the planted ones."""
    for name, *_ in PIPELINES:
        finished = [d for d in runs.runs_of(name) if d["status"] != "RUNNING"]
        finished[-1]["status"], finished[-1]["error_message"] = "SUCCESS", ""


def _plant_streaks(runs: _Runs) -> None:
    spark_abort = FAILURES["Spark"][0]
    runs.set("fraud_scoring", -1, 12, "SUCCESS")
    runs.set("fraud_scoring", -1, 16, "FAILED", spark_abort, minute=5)  # the streak starts 16:05
    for offset, hour in ((-1, 20), (0, 0), (0, 4)):
        runs.set("fraud_scoring", offset, hour, "FAILED", spark_abort)
    runs.set("fraud_scoring", 0, 8, "RUNNING")  # still running: not part of the streak

    runs.set("sap_orders_extract", -2, 3, "SUCCESS")
    for offset, hour in ((-2, 11), (-2, 19), (-1, 3), (-1, 11), (-1, 19), (0, 3)):
        runs.set("sap_orders_extract", offset, hour, "FAILED", FAILURES["Informatica"][1])

    runs.set("hr_payroll_import", -2, 19, "SUCCESS")
    for offset, hour in ((-1, 7), (-1, 19), (0, 7)):
        runs.set("hr_payroll_import", offset, hour, "FAILED", FAILURES["Talend"][0])

    # an episode with a lone success inside: failing since yesterday 11:00, 3 of its last 4 runs
    runs.set("marketing_models", -1, 5, "SUCCESS")
    for offset, hour in ((-1, 11), (-1, 17), (0, 5)):
        runs.set("marketing_models", offset, hour, "FAILED", FAILURES["dbt"][1])
    runs.set("marketing_models", -1, 23, "SUCCESS")
    # a run that started 10 days ago and never finished: stuck, not running
    runs.set("hive_partitions_refresh", -10, 6, "RUNNING")

    runs.set("finance_marts", -1, 6, "SUCCESS")
    runs.set("finance_marts", -1, 19, "FAILED", TRAP_DBT)  # also the "not new" dbt trap
    runs.set("finance_marts", 0, 6, "FAILED", FAILURES["dbt"][0])


def _plant_messages(runs: _Runs) -> None:
    for offset, hour in ((-1, 15), (-1, 18), (0, 6)):
        runs.set("sales_aggregates", offset, hour, "FAILED", NEW_SPARK)
    runs.set("supplier_sync", -1, 9, "FAILED", NEW_TALEND)
    runs.set("iot_ingest", 0, 3, "FAILED", NEW_NIFI)
    runs.set("iot_ingest", 0, 6, "FAILED", NEW_NIFI)
    runs.set("pricing_vacuum", -1, 13, "WARNING", NEW_PG_WARNING)
    runs.set("reco_features", 0, 2, "FAILED", FAILURES["Spark"][1])  # one more night failure
    runs.set("clickstream_sink", 0, 8, "FAILED", FAILURES["Kafka Connect"][1])  # this morning, after 8
    runs.set("iot_ingest", 0, 9, "FAILED", FAILURES["NiFi"][0])

    runs.set("hive_partitions_refresh", -12, 12, "WARNING", TRAP_HADOOP)
    runs.set("logs_compaction", -1, 23, "FAILED", TRAP_HADOOP)
    runs.set("marketing_models", -15, 11, "FAILED", TRAP_DBT)

    for offset in range(-28, 1, 2):
        runs.set("orders_cdc_sink", offset, 4, "FAILED", RECURRING_KAFKA)
    runs.set("orders_cdc_sink", -1, 10, "FAILED", RECURRING_KAFKA)
    for offset in range(-27, -2, 3):
        runs.set("clickstream_sink", offset, 14, "FAILED", RECURRING_KAFKA)


def _plant_topics(runs: _Runs) -> None:
    """Words for the topic filter: "timeout" in two forms yesterday (and none of them new)."""
    for offset, hour in ((-20, 13), (-1, 13), (0, 1)):
        runs.set("crm_accounts_load", offset, hour, "FAILED", TIMEOUTS_INFA)
    runs.set("pricing_vacuum", -1, 1, "FAILED", FAILURES["PostgreSQL"][1])  # "statement timeout"


def generate(now: datetime, seed: int = 20261124) -> list[dict]:
    """The bank's documents, sorted by time. Same `now` and seed, same documents."""
    runs = _Runs(now, random.Random(seed))
    runs.schedule()
    _seed_templates(runs)
    _end_healthy(runs)
    _plant_streaks(runs)
    _plant_messages(runs)
    _plant_topics(runs)
    yesterday = runs.today - timedelta(days=1)
    docs = [d for (p, _, _), d in runs.by_slot.items()
            if not (p in SILENT_SINCE_YESTERDAY and d["timestamp"].astimezone(TZ).date() >= yesterday)]
    return sorted(docs, key=lambda d: (d["timestamp"], d["pipeline_name"]))


def filler(n: int, now: datetime) -> Iterator[dict]:
    """`n` successful background runs of pipelines named background_NNNN, evenly spaced over the
    30 days (about every 22 minutes per pipeline), on every technology but Kubernetes (which must
    stay silent). A generator: a million documents never sit in memory at once."""
    if n <= 0:
        return
    pipelines = max(1, n // FILLER_RUNS_PER_PIPELINE)
    span = timedelta(days=DAYS).total_seconds()
    start = now - timedelta(days=DAYS)
    for i in range(pipelines):
        count = n // pipelines + (1 if i < n % pipelines else 0)
        step = span / count
        phase = step * i / pipelines
        name, tech = f"background_{i + 1:04d}", FILLER_TECHS[i % len(FILLER_TECHS)]
        for j in range(count):
            ts = start + timedelta(seconds=int(phase + j * step))
            yield _doc(name, tech, "SUCCESS", "", ts)
