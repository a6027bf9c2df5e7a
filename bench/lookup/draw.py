"""How the lookup questions' templates were drawn (seeded, reproducible, standard library only).

For each of the 8 Loghub systems, the eligible templates are those whose EventId occurs at least
twice in the flows written by loghub_flows.py. They fall in two pools: *problem* (most of their
records are FAILED or WARNING) and *info* (mostly SUCCESS). Each pool is shuffled with the seed and
the draw alternates problem, info, problem, … (a system with one empty pool draws from the other);
when both pools run out they are reshuffled and the draw goes on, so small systems (Apache has 6
templates) get several questions of different shapes about the same template. A template in
`avoid` (the dev set's draw, for the held-out set) comes after the fresh ones in its pool.
Languages alternate within a system, starting at a seeded side.

    python -m bench.lookup.draw --flows F --labels L            # the dev draw and the held-out draw
"""
from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict

from bench.lookup.truth import SYSTEMS, load

DEV_SEED, DEV_PER_SYSTEM = 1204, 13
HOLDOUT_SEED, HOLDOUT_PER_SYSTEM = 7919, 8
MIN_RECORDS = 2


def pools(flows: dict, labels: dict) -> dict[str, dict[str, list[str]]]:
    """system -> {"problem": [EventId…], "info": […]}, templates with >= MIN_RECORDS records."""
    status = defaultdict(Counter)
    for rid, (system, eid) in labels.items():
        status[(system, eid)][flows[rid]["status"]] += 1
    out: dict[str, dict[str, list[str]]] = {s: {"problem": [], "info": []} for s in SYSTEMS}
    for (system, eid), c in sorted(status.items(), key=lambda kv: (kv[0][0], int(kv[0][1][1:]))):
        if sum(c.values()) < MIN_RECORDS:
            continue
        kind = "problem" if c["FAILED"] + c["WARNING"] > c["SUCCESS"] else "info"
        out[system][kind].append(eid)
    return out


def draw(flows: dict, labels: dict, seed: int, per_system: int, avoid=frozenset()) -> list[tuple[str, str, str, str]]:
    """[(system, EventId, kind, lang)] — per_system slots for each system, in SYSTEMS order."""
    rng = random.Random(seed)
    slots = []
    for system, by_kind in pools(flows, labels).items():
        queues = {}
        for kind, eids in by_kind.items():
            fresh = [e for e in eids if (system, e) not in avoid]
            seen = [e for e in eids if (system, e) in avoid]
            rng.shuffle(fresh)
            rng.shuffle(seen)
            queues[kind] = fresh + seen
        cursors = {k: 0 for k in queues}
        order = ["problem", "info"]
        langs = ["fr", "en"] if rng.random() < 0.5 else ["en", "fr"]
        for i in range(per_system):
            kind = order[i % 2]
            if cursors[kind] >= len(queues[kind]) and cursors[order[1 - i % 2]] < len(queues[order[1 - i % 2]]):
                kind = order[1 - i % 2]
            if all(cursors[k] >= len(queues[k]) for k in queues):
                for k in queues:
                    rng.shuffle(queues[k])
                    cursors[k] = 0
                kind = kind if queues[kind] else order[1 - order.index(kind)]
            if not queues[kind]:
                kind = order[1 - order.index(kind)]
            eid = queues[kind][cursors[kind]]
            cursors[kind] += 1
            slots.append((system, eid, kind, langs[i % 2]))
    return slots


def dev_and_holdout(flows: dict, labels: dict):
    dev = draw(flows, labels, DEV_SEED, DEV_PER_SYSTEM)
    holdout = draw(flows, labels, HOLDOUT_SEED, HOLDOUT_PER_SYSTEM, avoid={(s, e) for s, e, _, _ in dev})
    return dev, holdout


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--flows", required=True)
    p.add_argument("--labels", required=True)
    a = p.parse_args(argv)
    flows, labels, templates = load(a.flows, a.labels)
    for name, slots in zip(("dev", "holdout"), dev_and_holdout(flows, labels)):
        print(f"== {name} ({len(slots)})")
        for system, eid, kind, lang in slots:
            n = sum(1 for v in labels.values() if v == (system, eid))
            print(f"{system:10} {eid:5} {kind:7} {lang} {n:4}  {templates[(system, eid)][:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
