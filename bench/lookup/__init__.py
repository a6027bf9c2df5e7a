"""A labeled benchmark of *lookup* questions: what is in the logs, asked in a user's own words.

On-call engineers ask flowrag about the content of pipeline runs, not only "why": which task
attempts died on a network error, when a datanode last took in a block, how many wrong-password
logins sshd rejected, how long OpenStack took to build its VMs, whether ZooKeeper saw clients
hang up mid-stream. Each question here describes the content of one Loghub EventTemplate (or of
up to three sibling templates that answer it equally) the way someone who saw the symptom, not
the exact log line, would type it in Slack, in French or English. Its ground truth is the set of
records carrying those EventIds, over all time (no question has a time word).

Who wrote it and how: a helper session, without reading the engine (core/, bot/, tests/, the
bench scripts) or the other benchmarks' questions; only the README (the user's view), the
scoring module of bench/explain and the shared Loghub data. Templates were drawn with a seed
(`draw`: dev seed 1204, held-out seed 7919, stratified over the 8 systems, alternating
errors/warnings and ordinary info lines, templates with at least 2 records), then the questions
were written by hand for the drawn templates.

* `dev` — QUESTIONS, the set a developer may look at and tune on;
* `holdout` — QUESTIONS, written separately (other seed, terser Slack-chat style), not to be
  shown to the developer before measuring;
* `nonsense` — INPUTS, gibberish and jargon the logs do not contain, with the words a correct
  "I don't know these words" notice should name;
* `truth` — the answer key (records per question) and the lint, standard library only:
  `python -m bench.lookup.truth --flows F --labels L` (F and L from
  `python ../shared/datasets/loghub_flows.py --out F --labels L`).

Data: Loghub, read at run time from ../shared/datasets (never copied here beyond short template
quotes in comments). Loghub's notice:

    The datasets are freely available for research or academic work, subject to the following
    condition: For any usage or distribution of the loghub datasets, please refer to the loghub
    repository URL (https://github.com/logpai/loghub) and cite the following loghub paper where
    applicable. Jieming Zhu, Shilin He, Pinjia He, Jinyang Liu, Michael R. Lyu. Loghub: A Large
    Collection of System Log Datasets for AI-driven Log Analytics. In ISSRE, 2023.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LookupQuestion:
    id: str            # e.g. "hadoop-noroute-en"
    lang: str          # "fr" | "en"
    system: str        # Loghub system as loghub_flows.py names its tech: Hadoop, OpenSSH, Zookeeper, …
    targets: tuple     # EventIds (of that system) whose records answer the question; 1 to 3
    text: str          # the question as a user would type it in Slack
    shape: str         # which | when | how_many | how_long | what_happened | is_there | list | other
