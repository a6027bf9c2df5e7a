"""What an ingest with nothing new costs: the documents MongoDB sends back, seen by a pymongo
command listener on real SecantusDB. Expected figures come from the inserted documents."""
from __future__ import annotations

from datetime import timedelta

from bson import ObjectId
from pymongo import monitoring

from conftest import NOW, run


class Returned(monitoring.CommandListener):
    """Documents each find/getMore of one database returned, and the filters sent."""

    def __init__(self, db: str):
        self.db, self.docs, self.filters, self.active = db, 0, [], False
        self._dbs: dict[int, str] = {}

    def started(self, event):
        self._dbs[event.request_id] = event.database_name
        if self.active and event.database_name == self.db and event.command_name == "find":
            self.filters.append(event.command.get("filter"))

    def succeeded(self, event):
        if not self.active or self._dbs.pop(event.request_id, None) != self.db:
            return
        if event.command_name in ("find", "getMore"):
            cursor = event.reply.get("cursor", {})
            self.docs += len(cursor.get("firstBatch", cursor.get("nextBatch", [])))

    def failed(self, event):
        self._dbs.pop(event.request_id, None)


def _docs(n: int, days: int) -> list[dict]:
    """Runs every few minutes up to NOW - 1 h, each `_id` minted at its run's time."""
    step = timedelta(days=days) / n
    out = []
    for i in range(n):
        ts = NOW - timedelta(hours=1) - (n - 1 - i) * step
        oid = ObjectId(int(ts.timestamp()).to_bytes(4, "big") + i.to_bytes(8, "big"))
        out.append({**run(f"p{i % 7}", ("Spark", "Talend", "dbt")[i % 3], "FAILED" if i % 5 == 0 else "SUCCESS",
                          f"boom {i}" if i % 5 == 0 else "ok", ts), "_id": oid})
    return out


def test_a_reingest_with_nothing_new_reads_only_the_overlap_and_the_refresh_window(mongo_db, make_engine):
    docs = _docs(600, days=20)
    mongo_db.flows.insert_many(docs)
    mongo_db.flows.create_index("timestamp")  # as the README asks
    listener = Returned(mongo_db.name)
    monitoring.register(listener)
    engine = make_engine(mongo_db.name)
    listener.active = True
    assert engine.ingest().new == 600
    assert listener.docs == 600  # the first run reads every document once

    listener.docs, listener.filters = 0, []
    again = engine.ingest()
    listener.active = False
    assert (again.new, again.updated) == (0, 0)
    # plain Python: the 10-minute overlap before the newest _id's second, and the 48 h window
    newest = max(d["_id"].generation_time for d in docs)
    overlap = sum(1 for d in docs if d["_id"].generation_time >= newest - timedelta(minutes=10))
    window = sum(1 for d in docs if d["timestamp"] >= NOW - timedelta(hours=48))
    assert listener.docs == overlap + window < 600 // 4
    # and no query that only a collection scan answers (the old scan for non-ObjectId _ids)
    assert not any("$not" in repr(f) for f in listener.filters), listener.filters


def test_an_id_that_is_not_an_object_id_inserted_later_is_found_then_read_by_id(mongo_db, make_engine):
    docs = _docs(200, days=10)
    mongo_db.flows.insert_many(docs)
    listener = Returned(mongo_db.name)
    monitoring.register(listener)
    engine = make_engine(mongo_db.name, FLOWRAG_REFRESH_WINDOW="0")
    engine.ingest()
    mongo_db.flows.insert_one({**run("manual", "Talend", "FAILED", "rerun by hand", NOW - timedelta(days=9)),
                               "_id": "manual-1"})
    listener.active = True
    assert engine.ingest().new == 1  # the collection holds one more document than the index knows
    mongo_db.flows.update_one({"_id": "manual-1"}, {"$set": {"error_message": "fixed by hand"}})
    listener.filters = []
    assert engine.ingest().updated == 1
    listener.active = False
    assert {"_id": {"$in": ["manual-1"]}} in listener.filters
    assert not any("$not" in repr(f) for f in listener.filters), listener.filters
