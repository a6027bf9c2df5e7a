"""Runs at realistic diversity, for bench/bench_scale.py: 300 pipelines × 10 technologies over
60 days, 2,010 message templates whose variable parts (numbers, ids, hosts, paths, durations)
make almost every raw message distinct, and whose few unmasked variants (a stage, a table, a
mode written without quotes) make a few thousand signatures out of them.

Deterministic for a seed; documents come in `_id` order, the last run just before `end`.
`docs(n, end, seed)` streams them; `load(col, n, end, seed)` writes them in batches."""
from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from bson import ObjectId

DAYS = 60
TECHS = ("Spark", "Talend", "Informatica", "dbt", "Airflow", "NiFi", "Kafka", "Hive", "Snowflake", "Databricks")
PIPELINES_PER_TECH = 30
TEMPLATES_PER_TECH = 201  # 2,010 in all: 15 success, 10 warning, 176 failure templates each

_DOMAINS = ("sales", "crm", "billing", "hr", "finance", "risk", "iot", "clickstream", "orders", "payments",
            "inventory", "marketing", "supply", "logistics", "partners", "catalog", "fraud", "ledger", "gdpr",
            "audit", "support", "pricing", "returns", "shipping", "loyalty", "ads", "search", "reviews",
            "tax", "treasury")
_VERBS = ("load", "extract", "sync", "build", "publish", "aggregate", "dedup", "export", "score", "snapshot")
_LANG_FR = {"Talend", "Informatica"}

# Failure templates are made from a tech's components × a cause × an unmasked variant word.
_COMPONENTS = {
    "Spark": ("Executor", "Driver", "ShuffleMapTask", "BlockManager", "DAGScheduler", "TaskSetManager",
              "SparkContext", "YarnAllocator"),
    "Talend": ("tDBOutput", "tFileInputDelimited", "tMap", "tSalesforceInput", "tFTPGet", "tDBInput",
               "tJavaRow", "tRESTClient"),
    "Informatica": ("Session", "Mapping", "Workflow", "DTM", "Reader", "Writer", "Integration Service",
                    "Repository Service"),
    "dbt": ("model", "seed", "snapshot", "test", "source freshness", "macro", "exposure", "run-operation"),
    "Airflow": ("Task", "DagRun", "Scheduler", "SFTPOperator", "PythonOperator", "KubernetesPodOperator",
                "BashOperator", "S3Hook"),
    "NiFi": ("PutSFTP", "ConsumeKafka", "PutDatabaseRecord", "InvokeHTTP", "MergeContent", "FetchS3Object",
             "ExecuteSQL", "PublishKafka"),
    "Kafka": ("Connector", "WorkerSinkTask", "Producer", "Consumer", "StreamThread", "MirrorMaker",
              "SchemaRegistry", "KafkaAdminClient"),
    "Hive": ("HiveServer2", "Metastore", "TezTask", "MapRedTask", "MoveTask", "StatsTask", "LLAP daemon",
             "DDLTask"),
    "Snowflake": ("COPY INTO", "warehouse", "Snowpipe", "task", "stream", "MERGE", "stage", "external function"),
    "Databricks": ("cluster", "job run", "notebook task", "DLT pipeline", "Delta writer", "Unity Catalog",
                   "Autoloader", "SQL warehouse"),
}
_CAUSES = (
    ("lost connection to {host}:{port} after {n} retries", "connexion perdue avec {host}:{port} après {n} tentatives"),
    ("timed out after {n} ms waiting for {host}", "délai dépassé après {n} ms en attendant {host}"),
    ("out of memory: requested {n} MB, {m} MB free on {host}", "mémoire insuffisante : {n} Mo demandés, {m} Mo libres sur {host}"),
    ("file not found: {path}", "fichier introuvable : {path}"),
    ("permission denied on {path} for job {id}", "permission refusée sur {path} pour le job {id}"),
    ("duplicate key {n} violates unique constraint on batch {id}", "clé dupliquée {n} viole la contrainte unique du lot {id}"),
    ("schema mismatch at column {n}: expected {m} fields, got {k}", "schéma incohérent à la colonne {n} : {m} champs attendus, {k} reçus"),
    ("disk quota exceeded on {host} writing {path}", "quota disque dépassé sur {host} en écrivant {path}"),
    ("authentication failed against {host} (request {id})", "échec d'authentification sur {host} (requête {id})"),
    ("HTTP {code} from {url} after {n} ms", "HTTP {code} reçu de {url} après {n} ms"),
    ("deadlock detected on transaction {id}, {n} rows rolled back", "interblocage détecté sur la transaction {id}, {n} lignes annulées"),
)
_VARIANTS = ("staging", "raw", "curated", "archive", "hot", "cold", "primary", "replica", "incremental",
             "full", "nightly", "hourly", "backfill", "delta", "legacy", "v2")
_WARNINGS = (
    ("slow {comp}: {n} s over the {m} s budget", "{comp} lent : {n} s au-delà du budget de {m} s"),
    ("{comp} retried {n} times before success on {host}", "{comp} relancé {n} fois avant succès sur {host}"),
    ("{n} rows rejected by {comp} (see {path})", "{n} lignes rejetées par {comp} (voir {path})"),
    ("{comp} skew: partition {n} holds {m} % of rows", "{comp} déséquilibré : la partition {n} contient {m} % des lignes"),
    ("deprecated option in {comp}, run {id}", "option obsolète dans {comp}, exécution {id}"),
)
_SUCCESSES = (
    ("{n} rows written to {path} in {m} s", "{n} lignes écrites dans {path} en {m} s"),
    ("{comp} finished: {n} records, {m} MB, run {id}", "{comp} terminé : {n} enregistrements, {m} Mo, exécution {id}"),
    ("completed in {m} s on {host}", "terminé en {m} s sur {host}"),
)


def templates() -> dict[str, dict[str, list[str]]]:
    """tech -> status -> the templates of that status (2,010 in all)."""
    out: dict[str, dict[str, list[str]]] = {}
    for ti, tech in enumerate(TECHS):
        fr = tech in _LANG_FR
        comps = _COMPONENTS[tech]
        pairs = len(comps) * len(_CAUSES)
        fail = []
        for i in range(176):
            comp, cause = comps[i % len(comps)], _CAUSES[(i // len(comps)) % len(_CAUSES)][1 if fr else 0]
            # past the first round, a mode word keeps apart templates sharing component and cause
            mode = "" if i < pairs else f"({_VARIANTS[(i // pairs + ti) % len(_VARIANTS)]} mode) "
            fail.append(f"{tech} {comp} {mode}{cause}")
        warn = [f"{tech} " + w[1 if fr else 0].replace("{comp}", comps[j % len(comps)])
                for j, w in enumerate(_WARNINGS * 2)]
        ok = [f"{tech} " + s[1 if fr else 0].replace("{comp}", comps[j % len(comps)])
              for j, s in enumerate(_SUCCESSES * 5)]
        ok = [f"{o} ({_VERBS[j % len(_VERBS)]})" for j, o in enumerate(ok)]
        out[tech] = {"failed": fail, "warning": warn, "success": ok}
    return out


def pipelines() -> list[tuple[str, str, float]]:
    """(name, tech, weight): 30 pipelines per technology, some much busier than others."""
    rnd = random.Random(7)
    out = []
    for tech in TECHS:
        for i in range(PIPELINES_PER_TECH):
            name = f"{tech.lower()}_{_DOMAINS[i]}_{_VERBS[(i + len(tech)) % len(_VERBS)]}"
            out.append((name, tech, rnd.choice((1, 1, 1, 4, 4, 24))))
    return out


def _fill(tpl: str, r: random.Random, unmasked: str) -> str:
    return (tpl.replace("{host}", f"node-{r.randrange(1, 400)}.dc{r.randrange(1, 4)}.internal")
            .replace("{port}", str(r.choice((5432, 9092, 8020, 443, 1521, 3306))))
            .replace("{path}", f"/data/{unmasked}/{r.randrange(2024, 2027)}/part-{r.randrange(100000):05d}.parquet")
            .replace("{url}", f"https://api-{r.randrange(1, 50)}.partner.example/v1/items?page={r.randrange(999)}")
            .replace("{id}", f"{r.getrandbits(48):012x}")
            .replace("{code}", str(r.choice((500, 502, 503, 504, 429))))
            .replace("{n}", str(r.randrange(1, 100000)))
            .replace("{m}", str(r.randrange(1, 5000)))
            .replace("{k}", str(r.randrange(1, 300))))


def docs(n: int, end: datetime, seed: int = 1, days: float = DAYS) -> Iterator[dict]:
    """`n` runs over the `days` days before `end`, in time (and `_id`) order."""
    r = random.Random(seed)
    tpls = templates()
    pipes = pipelines()
    weights = [w for _, _, w in pipes]
    # each pipeline fails mostly with a few of its tech's templates (Zipf-like), rarely with any
    favourites = {name: r.sample(range(176), 6) for name, _, _ in pipes}
    fail_rate = {name: r.choice((0.02, 0.04, 0.06, 0.08, 0.25)) for name, _, _ in pipes}
    start = end - timedelta(days=days)
    step = days * 86400 / max(n, 1)
    counter = r.getrandbits(40)
    chosen = r.choices(range(len(pipes)), weights=weights, k=n)
    for i in range(n):
        ts = start + timedelta(seconds=i * step + r.random() * step * 0.5)
        name, tech, _ = pipes[chosen[i]]
        x = r.random()
        if x < fail_rate[name]:
            status = "FAILED"
            y = r.random()
            k = (favourites[name][min(int(-2 * math.log(y)), 5)] if y > 0.08
                 else int(r.paretovariate(0.6)) % 176)
            tpl = tpls[tech]["failed"][k]
        elif x < fail_rate[name] + 0.05:
            status, tpl = "WARNING", r.choice(tpls[tech]["warning"])
        else:
            status, tpl = "SUCCESS", r.choice(tpls[tech]["success"])
        if i >= n - 20 and r.random() < 0.5:
            status = "RUNNING"
        unmasked = _VARIANTS[r.randrange(3)] if r.random() < 0.75 else _VARIANTS[r.randrange(6)]
        message = _fill(tpl, r, unmasked)
        if status == "FAILED" and r.random() < 0.25:
            message += f" on {unmasked} layer"
        counter = (counter + 1) & 0xFFFFFFFFFF
        oid = ObjectId(int(ts.timestamp()).to_bytes(4, "big") + r.getrandbits(24).to_bytes(3, "big")
                       + counter.to_bytes(5, "big"))
        yield {"_id": oid, "pipeline_name": name, "tech": tech, "status": status, "timestamp": ts,
               "error_message": message, "duration_s": round(r.lognormvariate(4, 1), 1)}


def load(col, n: int, end: datetime, seed: int = 1, batch: int = 10_000, days: float = DAYS) -> int:
    buf, total = [], 0
    for d in docs(n, end, seed, days):
        buf.append(d)
        if len(buf) >= batch:
            col.insert_many(buf, ordered=False)
            total += len(buf)
            buf = []
    if buf:
        col.insert_many(buf, ordered=False)
        total += len(buf)
    return total


def stats(n: int, end: datetime | None = None, seed: int = 1) -> dict:
    """Distinct raw messages and signatures of `n` runs (what the README's table quotes)."""
    from core.signature import signature

    end = end or datetime(2026, 11, 24, tzinfo=UTC)
    raw, sigs = set(), set()
    for d in docs(n, end, seed):
        raw.add(d["error_message"])
        sigs.add(signature(d["error_message"]))
    return {"runs": n, "templates": sum(len(v) for t in templates().values() for v in t.values()),
            "distinct_raw": len(raw), "signatures": len(sigs)}


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(json.dumps(stats(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)))
