"""Ranking a why-question's candidate messages (core/ask/relevance.py) with the real embedder:
a message is also read with the pipeline that wrote it."""
from __future__ import annotations

from datetime import timedelta

from conftest import NOW, run

from core.ask.relevance import Relevance, context_name, in_context


class MemoryCache(dict):
    def cached_vectors(self, name, sigs):
        return {s: self[(name, s)] for s in sigs if (name, s) in self}

    def cache_vectors(self, name, items):
        self.update({(name, s): v for s, v in items.items()})


MESSAGES = {"cache": "Unknown base file: <PATH>", "import": "Unknown source file: <PATH>"}
QUESTION = "why does the image cache find files it does not recognise?"


def rank(embedder, pipelines: dict[str, str]) -> list[str]:
    cache = MemoryCache({(embedder.name, s): v for s, v in zip(MESSAGES, embedder.embed_passages(list(MESSAGES.values())))})
    relevance = Relevance(embedder, cache, lambda sigs: {s: MESSAGES[s] for s in sigs},
                          lambda sigs: {s: pipelines[s] for s in sigs if s in pipelines})
    score, _ = relevance.fused(QUESTION, list(MESSAGES), {}, QUESTION)
    return sorted(score, key=lambda s: -score[s])


def test_the_pipeline_that_wrote_a_message_tells_what_it_is_about(embedder):
    # the two lines differ by one word and neither says "image cache": the pipeline does
    assert rank(embedder, {"cache": "vm-image-cache", "import": "crm-contacts-import"})[0] == "cache"
    # the same two lines without their pipelines: the question alone does not tell them apart
    assert rank(embedder, {})[0] == "import"


def test_pipeline_names_are_read_as_words():
    assert in_context("vm-image-cache", "Unknown base file: <PATH>") == "vm image cache: Unknown base file: <PATH>"
    assert in_context("etl.orders_daily/load", "boom") == "etl orders daily load: boom"
    assert in_context("", "boom") == "boom"


def test_ingest_reads_each_new_message_with_its_pipeline_once(mongo_db, make_engine):
    mongo_db.flows.insert_many([run("vm-image-cache", "OpenStack", "WARNING", f"Unknown base file: /var/lib/{i}",
                                    NOW - timedelta(hours=i)) for i in range(5)]
                               + [run("crm-contacts-import", "Talend", "FAILED", "Unknown source file: /in/x.csv",
                                      NOW - timedelta(hours=1))])
    engine = make_engine(mongo_db.name)
    assert engine.ingest().distinct_messages == 2
    sigs = [s for (s,) in engine.store.query("SELECT sig FROM signatures")]
    assert len(engine.state.cached_vectors(context_name(engine.embedder), sigs)) == 2
    assert engine.ingest(full=True).embedded == 0, "a rebuild reuses them"
    answer = engine.ask(QUESTION, use_llm=False)
    assert answer.messages[0].text.startswith("Unknown base file")
