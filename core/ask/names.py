"""Which technologies and pipelines a question names: whole names, the short names on-call
engineers type, a distinctive part of a name, or a small typo."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..store import key_of
from ..text import fold

# Short name -> the canonical names it may stand for, first known one wins; a fallback only where
# it names a part of the same product (HDFS is Hadoop; Databricks is not Spark). Only words that
# are not also ordinary French or English words ("es", "ds" would be).
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    # Hadoop family
    "hdfs": ("HDFS", "Hadoop"), "yarn": ("YARN", "Hadoop"), "mapreduce": ("Hadoop",), "mapred": ("Hadoop",),
    "hive": ("Hive", "Hadoop"), "hbase": ("HBase", "Hadoop"), "zk": ("ZooKeeper", "Zookeeper"),
    "pyspark": ("Spark",), "sparksql": ("Spark",), "databricks": ("Databricks",), "dbx": ("Databricks",),
    "emr": ("EMR",),
    # streaming
    "kafka": ("Kafka",), "kconnect": ("Kafka Connect",), "ksql": ("ksqlDB",), "ksqldb": ("ksqlDB",),
    "flink": ("Flink",), "pulsar": ("Pulsar",), "kinesis": ("Kinesis",),
    # databases
    "pg": ("PostgreSQL",), "postgres": ("PostgreSQL",), "psql": ("PostgreSQL",), "pgsql": ("PostgreSQL",),
    "mongo": ("MongoDB",), "mssql": ("SQL Server",), "sqlserver": ("SQL Server",), "ora": ("Oracle",),
    "mysql": ("MySQL",), "maria": ("MariaDB",), "elastic": ("Elasticsearch",), "bq": ("BigQuery",),
    "snow": ("Snowflake",), "redshift": ("Redshift",), "cassandra": ("Cassandra",),
    # orchestration
    "k8s": ("Kubernetes",), "kube": ("Kubernetes",), "controlm": ("Control-M",), "ctm": ("Control-M",),
    "autosys": ("AutoSys",), "airflow": ("Airflow",), "dagster": ("Dagster",), "prefect": ("Prefect",),
    "adf": ("Azure Data Factory",), "glue": ("AWS Glue",),
    # ETL
    "infa": ("Informatica", "Informatica PowerCenter"), "pwc": ("Informatica PowerCenter", "Informatica"),
    "powercenter": ("Informatica PowerCenter", "Informatica"), "iics": ("Informatica Cloud", "Informatica"),
    "talend": ("Talend",), "tld": ("Talend",), "ssis": ("SSIS",), "datastage": ("DataStage",),
    "odi": ("Oracle Data Integrator", "ODI"), "nifi": ("NiFi", "Apache NiFi"), "dbt": ("dbt",),
    # systems that show up beside pipelines
    "ssh": ("OpenSSH",), "sshd": ("OpenSSH",), "nova": ("OpenStack",),
}


_JOB = r"(?:jobs?|pipelines?|flux|dags?|traitements?|workflows?|chaines?)"
_NOUN_WORD = re.compile(rf"\b{_JOB}\s+(?:(?:de|du|d')\s*)?(?P<a>\w{{3,}})\b|\b(?P<b>\w{{3,}})\s+{_JOB}\b")


@dataclass(frozen=True)
class NameHit:
    kind: str  # "tech" | "pipeline"
    name: str  # display name, as the index spells it
    start: int  # offsets in the folded question
    end: int
    how: str  # "name" | "alias" | "part" | "typo"


def parse_aliases(spec: str) -> dict[str, str]:
    """FLOWRAG_ALIASES="infa=Informatica, pg=PostgreSQL" -> {"infa": "Informatica", ...}."""
    out = {}
    for item in re.split(r"[,;\n]", spec or ""):
        if "=" in item:
            short, full = (x.strip() for x in item.split("=", 1))
            if short and full:
                out[fold(short)] = full
    return out


class NameFinder:
    def __init__(self, vocabulary: dict[str, dict[str, str]], aliases: dict[str, str] | None = None,
                 stopwords: frozenset[str] = frozenset()):
        self.known = {kind: {fold(k): v for k, v in vocabulary.get(kind, {}).items() if k and k != "unknown"}
                      for kind in ("tech", "pipeline")}
        self.stop = stopwords
        self.aliases: dict[str, tuple[str, str]] = {}  # folded short -> (kind, display)
        for short, targets in BUILTIN_ALIASES.items():
            hit = self._lookup(targets)
            if hit:
                self.aliases[short] = hit
        for short, full in (aliases or {}).items():  # the team's own aliases win over ours
            hit = self._lookup((full,))
            if hit:
                self.aliases[short] = hit
        self.parts = self._distinctive_parts()
        self.pipe_words = self._pipeline_words()
        # every known name in one alternation, longest first: one scan per question, not one per
        # name (a thousand pipelines)
        whole = sorted(((k, kind, v) for kind in ("pipeline", "tech") for k, v in self.known[kind].items()
                        if len(k) >= 2), key=lambda x: -len(x[0]))
        self._whole = {k: (kind, v) for k, kind, v in reversed(whole)}  # a pipeline wins a tie with a tech
        self._whole_rx = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(k) for k, _, _ in whole) + r")(?![\w\-])"
                                    ) if whole else None

    def _lookup(self, names) -> tuple[str, str] | None:
        for n in names:
            k = fold(key_of(n))
            for kind in ("tech", "pipeline"):
                if k in self.known[kind]:
                    return kind, self.known[kind][k]
        return None

    def _distinctive_parts(self) -> dict[str, tuple[str, str]]:
        """A word that belongs to exactly one technology name ("connect" -> Kafka Connect).
        Not parts of pipeline names: those are ordinary words ("resource", "orders") too often."""
        out: dict[str, tuple[str, str]] = {}
        for kind in ("tech",):
            owners: dict[str, set[str]] = {}
            for k, display in self.known[kind].items():
                for part in re.split(r"[\s\-_.:/]+", k):
                    if len(part) >= 4 and not part.isdigit() and part not in self.stop:
                        owners.setdefault(part, set()).add(display)
            for part, names in owners.items():
                if len(names) == 1 and part not in out and part not in self.known["tech"]:
                    out[part] = (kind, next(iter(names)))
        return out

    def _pipeline_words(self) -> dict[str, set[str]]:
        """Word of a pipeline's name -> the pipelines whose name has it, technology names aside
        ("spark-sales-aggregation": sales, aggregation)."""
        out: dict[str, set[str]] = {}
        techs = set(self.known["tech"]) | set(self.aliases)
        for k, display in self.known["pipeline"].items():
            for part in re.split(r"[\s\-_.:/]+", k):
                if len(part) >= 3 and not part.isdigit() and part not in self.stop and part not in techs:
                    out.setdefault(part, set()).add(display)
        return out

    def _by_words(self, folded: str, free) -> list[tuple[str, int, int]]:
        """Pipelines named by two or three of their words in a row ("the sales aggregation job",
        « les tickets POS »): only when those words belong to one pipeline's name alone."""
        words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\w+", folded)
                 if m.group(0) not in self.stop and free(m.start(), m.end())]
        out, i = [], 0
        while i < len(words):
            for n in (3, 2):
                window = words[i:i + n]
                if len(window) < n or any(w not in self.pipe_words for w, _, _ in window):
                    continue
                owners = set.intersection(*(self.pipe_words[w] for w, _, _ in window))
                if len(owners) == 1:
                    out.append((next(iter(owners)), window[0][1], window[-1][2]))
                    i += n - 1
                    break
            i += 1
        return out

    def _by_noun(self, folded: str, free) -> list[tuple[str, int, int]]:
        """A pipeline named by one word of its name next to the word "job" ("the payroll job",
        « du job payroll »): only a word that belongs to one pipeline's name alone."""
        out = []
        for m in _NOUN_WORD.finditer(folded):
            word = m.group("a") or m.group("b")
            a, b = m.span("a") if m.group("a") else m.span("b")
            owners = self.pipe_words.get(word, set())
            if len(owners) == 1 and word not in self.stop and free(a, b):
                out.append((next(iter(owners)), a, b))
        return out

    def find(self, folded: str) -> list[NameHit]:
        hits: list[NameHit] = []
        taken = [False] * len(folded)

        def free(a, b):
            return not any(taken[a:b])

        def take(kind, name, a, b, how):
            hits.append(NameHit(kind, name, a, b, how))
            for i in range(a, b):
                taken[i] = True

        # whole names, longest first: "spark-sales-aggregation" must not read as the tech "spark"
        if self._whole_rx is not None:
            for m in self._whole_rx.finditer(folded):
                take(*self._whole[m.group(0)], m.start(), m.end(), "name")
        for name, a, b in self._by_words(folded, free):
            take("pipeline", name, a, b, "words")
        for name, a, b in self._by_noun(folded, free):
            take("pipeline", name, a, b, "words")
        for m in re.finditer(r"[\w][\w\-.]*[\w]|\w", folded):
            tok, a, b = m.group(0), m.start(), m.end()
            if not free(a, b) or tok in self.stop:
                continue
            if tok in self.aliases:
                take(*self.aliases[tok], a, b, "alias")
            elif tok in self.parts:
                take(*self.parts[tok], a, b, "part")
            else:
                hit = self._typo(tok)
                if hit:
                    take(*hit, a, b, "typo")
        return sorted(hits, key=lambda h: h.start)

    def _typo(self, tok: str) -> tuple[str, str] | None:
        for kind, min_len in (("pipeline", 8), ("tech", 4)):
            if len(tok) < min_len or tok.isdigit():
                continue
            keys = list(self.known[kind])
            hit = process.extractOne(tok, keys, scorer=fuzz.ratio, score_cutoff=80 if len(tok) >= 5 else 85)
            if hit and len(hit[0]) >= min_len:
                return kind, self.known[kind][hit[0]]
        return None
