"""A labeled benchmark of *why / descriptive* questions over real logs (Loghub), independent of
the engine it measures.

Each question paraphrases, in an on-call engineer's words, the symptom behind one Loghub
EventTemplate (or a few templates that mean the same thing); the bench asks it and looks for
the first citation whose record carries a target EventId. Nothing here imports the engine's
question reading, retrieval or answer code: only `Engine.ask` and the `Answer` it returns.

* `draw` — how the templates were drawn (seeded, weighted toward errors and warnings,
  stratified across the 8 systems); `python -m bench.explain.draw` prints the draw;
* `questions` — the hand-written questions about them, and the lint that keeps the wording
  from copying the template;
* `score` — ranks, hit@k, MRR, the first-line check, per language and per system.

Data: Loghub, read at run time from ../shared/datasets (never copied here). Loghub's notice:

    The datasets are freely available for research or academic work, subject to the following
    condition: For any usage or distribution of the loghub datasets, please refer to the loghub
    repository URL (https://github.com/logpai/loghub) and cite the following loghub paper where
    applicable. Jieming Zhu, Shilin He, Pinjia He, Jinyang Liu, Michael R. Lyu. Loghub: A Large
    Collection of System Log Datasets for AI-driven Log Analytics. In ISSRE, 2023.

The template strings quoted in `questions.py` (one per question, for reports) are Loghub's.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

# Tuesday 2026-11-24 10:30 in Paris, as in tests/conftest.py: "yesterday" is Monday the 23rd.
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
TZ = "Europe/Paris"
TODAY = "2026-11-24"  # loghub_flows.py --today: dates land 1-5 days before it

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
LOGHUB_FLOWS = DATASETS / "loghub_flows.py"
LOGHUB_DIR = DATASETS / "loghub"
SYSTEMS = ("Hadoop", "OpenSSH", "Zookeeper", "OpenStack", "Spark", "HDFS", "Apache", "BGL")


def available() -> bool:
    return LOGHUB_FLOWS.is_file() and all((LOGHUB_DIR / f"{s}_2k.log_structured.csv").is_file()
                                          for s in SYSTEMS)
