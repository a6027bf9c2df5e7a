"""How the benchmark's templates were drawn — kept so the draw can be re-run and checked.

    python -m bench.explain.draw            # prints the draw: system, EventIds, level, template

The draw is seeded and reproducible. It draws *meanings*: a template, or a SAME_MEANING group of
templates that differ only in their variable part (a question about one of them targets all).

* Quotas per system are proportional to the square root of the system's weighted mass (the sum
  of its meanings' weights), so a system full of errors gets more questions but none drowns the
  others; a system gives at most 80 % of its meanings, the rest of its quota goes elsewhere.
* Inside a system, meanings are drawn without replacement (Efraimidis-Spirakis keys) with weight
  8 when its records are FAILED or WARNING, 3 for info-level lines that read like trouble
  ("error", "fail", "exception", "timeout", "not", ...), 1 for plain info: on-call people mostly
  ask about errors, but "what does X mean" about an info line is a real question too.

Not drawn: templates with fewer than two plain words of four letters or more (a lone "LOOKING",
"fpr29=<*>", "lr:<*> cr:<*> xer:<*> ctr:<*>") and the single fields of BGL's multi-line register
dumps ("icache prefetch depth.......<*>", "machine state register: <*>"): nobody asks about one
field of a core dump on its own.
"""
from __future__ import annotations

import importlib.util
import math
import random
import re
from collections import Counter, defaultdict
from datetime import date

from . import LOGHUB_FLOWS, SYSTEMS, TODAY

SEED = 20261124
TOTAL = 136
CAP = 0.8

# Templates that say the same thing (only the varying part differs: "... for root" / "... for
# admin"), or one same kind of line (a job's state changes, a VM's lifecycle events, the three
# "Total disk/memory/vcpu" figures): one question per group, and it targets all of the group.
SAME_MEANING = {
    "Apache": [],
    "HDFS": [("E11", "E12")],
    "OpenSSH": [("E4", "E5"), ("E15", "E16", "E17"), ("E19", "E20"), ("E12", "E13"), ("E9", "E14"),
                ("E24", "E25", "E26")],
    "Zookeeper": [("E18", "E19"), ("E32", "E33", "E34", "E35", "E36", "E37"), ("E9", "E10"), ("E27", "E28"),
                  ("E3", "E4")],
    "Spark": [("E13", "E14", "E15", "E16", "E17"), ("E2", "E3"), ("E4", "E5"), ("E33", "E34"), ("E20", "E29"),
              ("E21", "E36"), ("E23", "E31")],
    "OpenStack": [("E6", "E19"), ("E16", "E17", "E18"), ("E20", "E21", "E22", "E23"), ("E24", "E25", "E26"),
                  ("E12", "E15")],
    "Hadoop": [("E3", "E4", "E5"), ("E15", "E16", "E18"), ("E14", "E17", "E19", "E20", "E21"), ("E35", "E101"),
               ("E54", "E55", "E56"), ("E102", "E103", "E104"), ("E50", "E51", "E98"), ("E11", "E24"),
               ("E65", "E87"), ("E58", "E59"), ("E106", "E107")],
    "BGL": [("E1", "E2", "E118", "E119"), ("E5", "E6"), ("E8", "E9", "E10"), ("E13", "E14"),
            ("E44", "E45", "E46", "E47"), ("E80", "E81"), ("E90", "E94"), ("E95", "E96"), ("E85", "E86"),
            ("E91", "E92")],
}

TROUBLE = re.compile(r"error|fail|exception|cannot|can't|\bnot\b|unable|timeout|time out|refused|denied|"
                     r"invalid|broken|panic|interrupt|lost|unknown|expir|too young|forbidden|dropped|GOODBYE",
                     re.I)
# One field of BGL's multi-line register dumps: "name......<*>" (one dot when the name fills the
# column: "...block touch.<*>"), "... register: <*>", "data address: <*>".
DUMP_FIELD = re.compile(r"\.{2,}\s*<\*>|touch\.<\*>$|(register|address)s?:( <\*>)?$", re.I)
WEIGHT = {"failed": 8, "warning": 8, "trouble": 3, "info": 1}


def group_of(system: str, event_id: str) -> tuple[str, ...]:
    for group in SAME_MEANING.get(system, ()):
        if event_id in group:
            return group
    return (event_id,)


def loghub_flows():
    spec = importlib.util.spec_from_file_location("loghub_flows", LOGHUB_FLOWS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def catalog() -> dict[tuple[str, str], dict]:
    """(system, EventId) -> template, record count, statuses, from Loghub via loghub_flows.py."""
    out: dict[tuple[str, str], dict] = {}
    for record, label in loghub_flows().records(date.fromisoformat(TODAY)):
        entry = out.setdefault((label["system"], label["event_id"]),
                               {"template": label["template"], "n": 0, "statuses": Counter()})
        entry["n"] += 1
        entry["statuses"][record["status"]] += 1
    return out


def askable(template: str) -> bool:
    if DUMP_FIELD.search(template):
        return False
    words = re.split(r"[^A-Za-z0-9_']+", template.replace("<*>", " "))
    return sum(1 for w in words if w.isalpha() and len(w) >= 4) >= 2


def level(entry: dict) -> str:
    top = entry["statuses"].most_common(1)[0][0]
    if top in ("FAILED", "WARNING"):
        return top.lower()
    return "trouble" if TROUBLE.search(entry["template"]) else "info"


def quotas(masses: dict[str, list[int]], total: int) -> dict[str, int]:
    """Questions per system from the weights of its meanings (see the module's docstring)."""
    mass = {s: math.sqrt(sum(ws)) for s, ws in masses.items()}
    caps = {s: math.floor(CAP * len(ws)) for s, ws in masses.items()}
    quota = {s: 0 for s in masses}
    left = total
    while left > 0:
        open_ = [s for s in masses if quota[s] < caps[s]]
        if not open_:
            break
        share = sum(mass[s] for s in open_)
        exact = {s: left * mass[s] / share for s in open_}
        grant = {s: min(caps[s] - quota[s], math.floor(exact[s])) for s in open_}
        if not any(grant.values()):  # less than one each: largest remainders first
            for s in sorted(open_, key=lambda s: exact[s] - math.floor(exact[s]), reverse=True)[:left]:
                grant[s] = 1
        for s, g in grant.items():
            quota[s] += g
            left -= g
    return quota


def _event_number(event_id: str) -> int:
    return int(event_id[1:])


def meanings(cat: dict) -> dict[str, list[tuple[str, ...]]]:
    """Per system, its askable meanings (EventId tuples), in EventId order."""
    out: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for (system, event_id), entry in sorted(cat.items(), key=lambda kv: (kv[0][0], _event_number(kv[0][1]))):
        group = tuple(e for e in group_of(system, event_id) if (system, e) in cat)
        if askable(entry["template"]) and group not in out[system]:
            out[system].append(group)
    return out


def weight(cat: dict, system: str, group: tuple[str, ...]) -> int:
    return max(WEIGHT[level(cat[(system, e)])] for e in group)


def draw(cat: dict | None = None, seed: int = SEED, total: int = TOTAL) -> list[tuple[str, tuple[str, ...]]]:
    """[(system, EventIds)] in draw order, system by system."""
    cat = cat or catalog()
    pool = meanings(cat)
    quota = quotas({s: [weight(cat, s, g) for g in pool[s]] for s in SYSTEMS}, total)
    rng = random.Random(seed)
    chosen = []
    for system in SYSTEMS:
        keys = {g: rng.random() ** (1 / weight(cat, system, g)) for g in pool[system]}
        chosen += [(system, g) for g in sorted(pool[system], key=keys.__getitem__, reverse=True)[:quota[system]]]
    return chosen


def representative(cat: dict, system: str, group: tuple[str, ...]) -> str:
    """The group's most frequent template."""
    return max(group, key=lambda e: cat[(system, e)]["n"])


if __name__ == "__main__":
    cat = catalog()
    picks = draw(cat)
    print(len(picks), Counter(s for s, _ in picks),
          Counter(level(cat[(s, representative(cat, s, g))]) for s, g in picks))
    for system, group in picks:
        entry = cat[(system, representative(cat, system, group))]
        print(f"{system:10} {','.join(group):14} {level(entry):8} n={entry['n']:<4} {entry['template'][:140]}")
