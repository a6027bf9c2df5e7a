"""Reading pipeline runs out of MongoDB, in bounded batches."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator, Protocol

from .errors import SourceUnavailable
from .redact import redact


class RecordSource(Protocol):
    def ping(self) -> None: ...
    def count(self) -> int: ...
    def scan(self, since: datetime | None, after=None, batch_size: int = 2000) -> Iterator[list[dict]]: ...
    def scan_other_ids(self, batch_size: int = 2000) -> Iterator[list[dict]]: ...
    def scan_ids(self, ids: list, batch_size: int = 2000) -> Iterator[list[dict]]: ...


class MongoSource:
    """Incremental reads go by ObjectId: drivers put the creation second in its first four bytes,
    so `_id >= ObjectId.from_datetime(t)` is an index range. Documents whose `_id` is not an
    ObjectId have no such order; they are read apart (`scan_other_ids`)."""

    def __init__(self, uri: str, db: str, collection: str, projection: dict | None = None,
                 timeout_ms: int = 5000):
        self._uri, self._db, self._name = uri, db, collection
        self._projection = projection
        self._timeout_ms = timeout_ms
        self._client = None

    @property
    def _col(self):
        if self._client is None:
            from pymongo import MongoClient

            try:
                # One odd document must not stop a cursor: a date beyond year 9999 arrives as a
                # DatetimeMS (normalize counts it out of range) and invalid UTF-8 as U+FFFD,
                # instead of an InvalidBSON that would end the whole read.
                self._client = MongoClient(self._uri, serverSelectionTimeoutMS=self._timeout_ms,
                                           connectTimeoutMS=self._timeout_ms, appname="flowrag",
                                           datetime_conversion="DATETIME_AUTO",
                                           unicode_decode_error_handler="replace")
            except Exception as e:  # InvalidURI, ConfigurationError, ValueError…
                raise SourceUnavailable(self._explain(e)) from None
        return self._client[self._db][self._name]

    def _explain(self, e: Exception) -> str:
        # The URI may carry a password: show it redacted, and only the first line of the cause.
        # pymongo appends its whole topology description after ", Timeout:": not for humans
        cause = redact((str(e).splitlines() or [type(e).__name__])[0]).split(", Timeout:")[0][:160]
        return (f"MongoDB is not reachable with MONGO_URI={redact(self._uri)} "
                f"({type(e).__name__}: {cause}). Check MONGO_URI (and MONGO_DB={self._db}).")

    def _guard(self, fn):
        from pymongo.errors import PyMongoError

        try:
            return fn()
        except SourceUnavailable:
            raise
        except (PyMongoError, OSError, ValueError) as e:
            raise SourceUnavailable(self._explain(e)) from None

    def ping(self) -> None:
        self._guard(lambda: self._col.database.client.admin.command("ping"))

    def _range(self, since: datetime | None, after=None) -> dict:
        from bson import ObjectId

        # Comparing with an ObjectId matches only ObjectIds (BSON type bracketing): other ids
        # are left to scan_other_ids. With no bound at all, "$gte: ObjectId(0)" says the same.
        cond: dict = {"$gte": ObjectId.from_datetime(since) if since is not None else ObjectId(b"\x00" * 12)}
        if after is not None:
            cond["$gt"] = after
        return {"_id": cond}

    def count(self) -> int:
        """The collection's size from its metadata: cheap, for progress bars only."""
        return self._guard(lambda: self._col.estimated_document_count())

    def scan(self, since: datetime | None, after=None, batch_size: int = 2000) -> Iterator[list[dict]]:
        cursor = self._guard(lambda: self._col.find(self._range(since, after), self._projection)
                             .sort("_id", 1).batch_size(batch_size))
        yield from self._batches(cursor, batch_size)

    def scan_other_ids(self, batch_size: int = 2000) -> Iterator[list[dict]]:
        """Every document whose `_id` is not an ObjectId: a collection scan, which the ingest runs
        once per index and then reads the ids it found with `scan_ids`."""
        cursor = self._guard(lambda: self._col.find({"_id": {"$not": {"$type": "objectId"}}}, self._projection)
                             .batch_size(batch_size))
        yield from self._batches(cursor, batch_size)

    def scan_ids(self, ids: list, batch_size: int = 2000) -> Iterator[list[dict]]:
        """The documents with these `_id`s: point lookups on the `_id` index, whatever the server."""
        for i in range(0, len(ids), batch_size):
            chunk = ids[i:i + batch_size]
            cursor = self._guard(lambda: self._col.find({"_id": {"$in": chunk}}, self._projection)
                                 .batch_size(batch_size))
            yield from self._batches(cursor, batch_size)

    def has_index_on(self, field: str) -> bool | None:
        """Whether an index of the collection starts with `field` (None: cannot tell)."""
        try:
            info = self._guard(lambda: self._col.index_information())
        except SourceUnavailable:
            return None
        return any(spec.get("key") and spec["key"][0][0] == field for spec in info.values())

    def scan_recent(self, field: str, since: datetime, batch_size: int = 2000) -> Iterator[list[dict]]:
        """Documents whose `field` (a BSON date) is at or after `since`: runs updated after the
        watermark passed them. Text dates cannot be compared by the server and are not re-read.
        Without an index that starts with `field` this is a collection scan (`flowrag doctor`)."""
        cursor = self._guard(lambda: self._col.find({field: {"$gte": since}}, self._projection)
                             .batch_size(batch_size))
        yield from self._batches(cursor, batch_size)

    def watch(self, resume_after: dict | None, max_await_ms: int = 1000):
        """A change stream of inserts, updates and replaces, with the whole document."""
        pipeline = [{"$match": {"operationType": {"$in": ["insert", "update", "replace"]}}}]
        return self._guard(lambda: self._col.watch(pipeline, full_document="updateLookup",
                                                   resume_after=resume_after, max_await_time_ms=max_await_ms))

    def has_change_streams(self) -> bool:
        """Replica sets and sharded clusters have change streams; a standalone server does not."""
        hello = self._guard(lambda: self._col.database.client.admin.command("hello"))
        return bool(hello.get("setName")) or hello.get("msg") == "isdbgrid"

    def collection_names(self) -> list[str]:
        return self._guard(lambda: sorted(self._col.database.list_collection_names()))

    def sample(self, n: int = 50) -> list[dict]:
        return self._guard(lambda: list(self._col.find({}, self._projection).sort("_id", -1).limit(n)))

    def _batches(self, cursor, size: int) -> Iterator[list[dict]]:
        from bson.errors import BSONError
        from pymongo.errors import PyMongoError

        batch: list[dict] = []
        try:
            for doc in cursor:
                batch.append(doc)
                if len(batch) >= size:
                    yield batch
                    batch = []
        except (PyMongoError, OSError) as e:
            raise SourceUnavailable(self._explain(e)) from None
        except BSONError as e:  # a document the driver cannot decode ends the cursor
            cause = redact(str(e).splitlines()[0] if str(e) else type(e).__name__)[:160]
            raise SourceUnavailable(
                f"MongoDB returned a document that cannot be decoded in {self._db}.{self._name} "
                f"({type(e).__name__}: {cause}). Nothing after the last finished batch was stored; "
                "fix or remove that document, then run `flowrag ingest` again (it resumes).") from None
        if batch:
            yield batch

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
