"""Ground truth for the lookup questions, from plain Python over loghub_flows.py's output.

A question's answer is the set of records whose Loghub label is (its system, one of its target
EventIds): `key()` gives, per question, how many there are, their record ids (oldest first) and
the first and last timestamps, for a count check, a "which/when" check and the "none" check (a
question whose answer cites none of these ids missed). Nothing here imports the engine.

    python -m bench.lookup.truth --flows F --labels L     # lint both sets and print the counts
    python -m bench.lookup.truth --flows F --labels L --json key.json   # also write the key

`lint()` returns the problems (empty when all holds) and prints the figures: ids unique, targets
exist for their system and occur in the flows, languages about half and half, systems evenly
spread, shapes varied, few why-questions, no time words, how often a question names its system,
carries an identifier-like token, or shares more than two content words with its templates; each
question sits on its slot of the seeded draw; the nonsense inputs' unknown words occur in the
input and in no log line.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict

SYSTEMS = ("Hadoop", "OpenSSH", "Zookeeper", "OpenStack", "Spark", "HDFS", "Apache", "BGL")
SHAPES = ("which", "when", "how_many", "how_long", "what_happened", "is_there", "list", "other")
MAX_TARGETS = 3
MIN_RECORDS = 2

# How a user may name each system (for the "names its system" share; matching is on words).
SYSTEM_NAMES = {
    "Hadoop": r"hadoop|mapreduce|yarn", "OpenSSH": r"ssh|sshd|openssh", "Zookeeper": r"zookeeper|zk",
    "OpenStack": r"openstack|nova", "Spark": r"spark", "HDFS": r"hdfs", "Apache": r"apache|httpd",
    "BGL": r"bgl|blue ?gene",
}
TIME_WORDS = re.compile(
    r"\b(yesterday|today|tonight|last (night|week|month|hour)|this (morning|week|month)|hier|aujourd|"
    r"ce matin|cette nuit|cette semaine|la semaine derni|avant-hier|monday|tuesday|lundi|mardi|"
    r"\d{4}-\d\d-\d\d|\d{1,2}h\d\d)", re.I)
WHY = re.compile(r"\b(why|pourquoi)\b", re.I)
# A token a user pastes: CamelCase, snake_case, dotted.path, /path, an error-code-like word.
IDENTIFIER = re.compile(r"(?<![\w/])(?:[A-Za-z]+[a-z][A-Z]\w*|[A-Za-z]\w*_\w+|\w+\.\w+(?:\.\w+)*|/\w[\w/.-]*"
                        r"|\w+\(\)|[a-z]+\d\w*)")
STOP = set("""
a an the of to in on for from by at with and or not no is are was were be been being do does did
has have had it its this that these those there their them they we our us you your i me my what
which who whom when where how many much long any all some each every last first ever still since
about into over than then out up down off get got per one ones lines line log logs message messages
show tell list give see seen find happen happened happening anything something times time
le la les un une des du de d l au aux et ou ne pas sur dans par pour avec sans que qui quoi quel
quels quelle quelles quand comment combien est sont été être a ont avait fait il elle ils elles on
nous vous leur leurs ce cet cette ces se s y en son sa ses plus moins tout tous toutes toute
donne liste montre dis moi arrivé arrive passé depuis dernier dernière derniers dernières fois
lignes ligne journaux journal messages message quoi eu ya t
""".split())


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def content_words(text: str) -> set[str]:
    words = set()
    for w in re.findall(r"[a-z0-9]+", fold(text.replace("<*>", " "))):
        if len(w) < 3 or w.isdigit() or w in STOP:
            continue
        words.add(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return words


def load(flows_path: str, labels_path: str):
    """(flows by id, labels by id -> (system, EventId), templates by (system, EventId))."""
    flows, labels, templates = {}, {}, {}
    with open(flows_path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            rid = r["_id"]["$oid"] if isinstance(r["_id"], dict) else str(r["_id"])
            ts = r["timestamp"]["$date"] if isinstance(r["timestamp"], dict) else r["timestamp"]
            flows[rid.lower()] = dict(r, _id=rid.lower(), timestamp=ts)
    with open(labels_path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            labels[d["_id"].lower()] = (d["system"], d["event_id"])
            templates[(d["system"], d["event_id"])] = d["template"]
    return flows, labels, templates


def records_of(question, flows: dict, labels: dict) -> list[str]:
    """Ids of the records carrying one of the question's targets, oldest first."""
    wanted = {(question.system, e) for e in question.targets}
    ids = [rid for rid, label in labels.items() if label in wanted]
    return sorted(ids, key=lambda rid: (flows[rid]["timestamp"], rid))


def key(questions, flows: dict, labels: dict) -> dict[str, dict]:
    out = {}
    for q in questions:
        ids = records_of(q, flows, labels)
        out[q.id] = {"count": len(ids), "ids": ids,
                     "first": flows[ids[0]]["timestamp"] if ids else None,
                     "last": flows[ids[-1]]["timestamp"] if ids else None,
                     "statuses": dict(Counter(flows[i]["status"] for i in ids))}
    return out


def shared_words(question, templates: dict) -> set[str]:
    names = set()
    for pattern in SYSTEM_NAMES.values():
        names.update(fold(p) for p in pattern.replace(" ?", " ").split("|"))
    words = content_words(question.text) - {n for n in names}
    tmpl = set().union(*(content_words(templates.get((question.system, e), "")) for e in question.targets))
    return words & tmpl


def names_system(question) -> bool:
    return re.search(rf"\b({SYSTEM_NAMES[question.system]})", question.text, re.I) is not None


def has_identifier(question) -> bool:
    """The text carries a pasted-looking token (system names such as ZooKeeper do not count)."""
    for m in IDENTIFIER.finditer(question.text):
        if not any(re.fullmatch(p, m.group(0), re.I) for p in SYSTEM_NAMES.values()):
            return True
    return False


def _share(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.0f} %)" if total else "0/0"


def lint_set(name: str, questions, flows, labels, templates, out=sys.stdout) -> list[str]:
    problems = []
    counts = Counter(labels.values())
    n = len(questions)
    for q in questions:
        if q.lang not in ("fr", "en"):
            problems.append(f"{q.id}: lang {q.lang!r}")
        if q.shape not in SHAPES:
            problems.append(f"{q.id}: shape {q.shape!r}")
        if q.system not in SYSTEMS:
            problems.append(f"{q.id}: system {q.system!r}")
        if not isinstance(q.targets, tuple) or not 1 <= len(q.targets) <= MAX_TARGETS:
            problems.append(f"{q.id}: targets must be a tuple of 1..{MAX_TARGETS}")
        for e in q.targets:
            if (q.system, e) not in templates:
                problems.append(f"{q.id}: {q.system}/{e} is no Loghub template")
            elif not counts[(q.system, e)]:
                problems.append(f"{q.id}: {q.system}/{e} occurs in no flow record")
        if q.targets and max(counts[(q.system, e)] for e in q.targets) < MIN_RECORDS:
            problems.append(f"{q.id}: no target occurs {MIN_RECORDS}+ times")
        if TIME_WORDS.search(q.text):
            problems.append(f"{q.id}: time word in {q.text!r}")
    ids = [q.id for q in questions]
    problems += [f"{name}: duplicate id {i}" for i, c in Counter(ids).items() if c > 1]
    texts = [q.text.strip().lower() for q in questions]
    problems += [f"{name}: duplicate text {t!r}" for t, c in Counter(texts).items() if c > 1]

    langs = Counter(q.lang for q in questions)
    if n and not 0.4 <= langs["fr"] / n <= 0.6:
        problems.append(f"{name}: French share {langs['fr']}/{n} outside 40-60 %")
    systems = Counter(q.system for q in questions)
    if n and (set(systems) != set(SYSTEMS) or min(systems.values()) < 0.7 * n / len(SYSTEMS)):
        problems.append(f"{name}: systems unevenly spread {dict(systems)}")
    shapes = Counter(q.shape for q in questions)
    if n and max(shapes.values()) > 0.3 * n:
        problems.append(f"{name}: one shape dominates {dict(shapes)}")
    why = sum(bool(WHY.search(q.text)) for q in questions)
    if n and why > 0.15 * n:
        problems.append(f"{name}: {why} why-questions (> 15 %)")
    copying = [q for q in questions if len(shared_words(q, templates)) > 2]
    if n and len(copying) > 0.25 * n:
        problems.append(f"{name}: {len(copying)} questions share > 2 content words with their templates")
    named = sum(names_system(q) for q in questions)
    ident = sum(has_identifier(q) for q in questions)
    kinds = Counter()
    for q in questions:
        statuses = Counter()
        for rid, label in labels.items():
            if label[0] == q.system and label[1] in q.targets:
                statuses[flows[rid]["status"]] += 1
        kinds["problem" if statuses["FAILED"] + statuses["WARNING"] > statuses["SUCCESS"] else "info"] += 1

    print(f"== {name}: {n} questions", file=out)
    print(f"  languages: {dict(sorted(langs.items()))}", file=out)
    print(f"  systems:   {dict(sorted(systems.items()))}", file=out)
    print(f"  shapes:    {dict(sorted(shapes.items()))}", file=out)
    print(f"  targets:   problem (errors/warnings) {kinds['problem']}, info {kinds['info']}; "
          f"distinct templates {len({(q.system, e) for q in questions for e in q.targets})}", file=out)
    print(f"  names its system {_share(named, n)}; identifier-like token {_share(ident, n)}; "
          f"why {_share(why, n)}; > 2 words shared with templates {_share(len(copying), n)}", file=out)
    for q in copying:
        print(f"    shares {sorted(shared_words(q, templates))}: {q.id}", file=out)
    return problems


def lint_nonsense(inputs, flows, out=sys.stdout) -> list[str]:
    problems = []
    vocab = set()
    for r in flows.values():
        vocab.update(re.findall(r"[a-z0-9]+", fold(r.get("error_message") or "")))
        vocab.update(re.findall(r"[a-z0-9]+", fold(r.get("pipeline_name") or "")))
    if len(inputs) < 25:
        problems.append(f"nonsense: {len(inputs)} inputs (< 25)")
    for text, lang, unknown in inputs:
        if lang not in ("fr", "en"):
            problems.append(f"nonsense {text!r}: lang {lang!r}")
        if not unknown:
            problems.append(f"nonsense {text!r}: no unknown word")
        for w in unknown:
            if fold(w) not in fold(text):
                problems.append(f"nonsense {text!r}: {w!r} not in the text")
            for part in re.findall(r"[a-z0-9]+", fold(w)):
                if part in vocab:
                    problems.append(f"nonsense {text!r}: {w!r} occurs in the logs ({part!r})")
    langs = Counter(lang for _, lang, _ in inputs)
    if inputs and not 0.4 <= langs["fr"] / len(inputs) <= 0.6:
        problems.append(f"nonsense: French share {langs['fr']}/{len(inputs)} outside 40-60 %")
    print(f"== nonsense: {len(inputs)} inputs, {dict(sorted(langs.items()))}", file=out)
    return problems


def lint(flows, labels, templates, out=sys.stdout) -> list[str]:
    from bench.lookup import dev, holdout, nonsense

    problems = lint_set("dev", dev.QUESTIONS, flows, labels, templates, out)
    problems += lint_set("holdout", holdout.QUESTIONS, flows, labels, templates, out)
    both = [q.id for q in dev.QUESTIONS + holdout.QUESTIONS]
    problems += [f"id {i} in both sets" for i, c in Counter(both).items() if c > 1]
    dev_texts = {q.text.strip().lower() for q in dev.QUESTIONS}
    problems += [f"{q.id}: same text as a dev question" for q in holdout.QUESTIONS if q.text.strip().lower() in dev_texts]
    overlap = {(q.system, e) for q in dev.QUESTIONS for e in q.targets} & {
        (q.system, e) for q in holdout.QUESTIONS for e in q.targets}
    print(f"== templates targeted by both sets: {len(overlap)}", file=out)
    problems += lint_nonsense(nonsense.INPUTS, flows, out)
    problems += lint_draw(flows, labels, dev.QUESTIONS, holdout.QUESTIONS)
    return problems


def lint_draw(flows, labels, dev_questions, holdout_questions) -> list[str]:
    """Question i of each set was written for slot i of the seeded draw: same system, language
    and first target (the other targets are siblings added by hand)."""
    from bench.lookup.draw import dev_and_holdout

    problems = []
    for name, slots, questions in zip(("dev", "holdout"), dev_and_holdout(flows, labels),
                                      (dev_questions, holdout_questions)):
        if len(slots) != len(questions):
            problems.append(f"{name}: {len(questions)} questions for {len(slots)} drawn slots")
        for (system, eid, _, lang), q in zip(slots, questions):
            if (system, eid, lang) != (q.system, q.targets[0], q.lang):
                problems.append(f"{q.id}: drawn slot was {system}/{eid} in {lang}")
    return problems


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--flows", required=True, help="JSONL from loghub_flows.py --out")
    p.add_argument("--labels", required=True, help="JSONL from loghub_flows.py --labels")
    p.add_argument("--json", help="write the answer key (per question: count, ids, first, last) here")
    p.add_argument("--counts", action="store_true", help="print each question's record count")
    a = p.parse_args(argv)
    flows, labels, templates = load(a.flows, a.labels)
    problems = lint(flows, labels, templates)
    from bench.lookup import dev, holdout

    answers = key(dev.QUESTIONS + holdout.QUESTIONS, flows, labels)
    if a.counts:
        for q in dev.QUESTIONS + holdout.QUESTIONS:
            k = answers[q.id]
            print(f"{k['count']:5}  {q.system:9} {'+'.join(q.targets):12} {q.id}")
    sizes = sorted(k["count"] for k in answers.values())
    print(f"== records per question: min {sizes[0]}, median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(answers, fh, indent=1)
    for problem in problems:
        print("PROBLEM", problem)
    print("lint: ok" if not problems else f"lint: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
