import uuid
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone

import pytest
from bson import Binary, Decimal128, Int64, ObjectId
from bson.datetime_ms import DatetimeMS

from core.models import STATUSES, Record
from core.normalize import (
    MAX_MESSAGE_CHARS,
    FieldMapping,
    TimestampOutOfRange,
    UnreadableRecord,
    decode_id,
    encode_id,
    normalize,
    normalize_status,
    parse_timestamp,
    projection,
    shell_filter,
)

UTC = timezone.utc
OID = ObjectId("6b04d94cddd8fb15af578ade")
WHEN = datetime(2026, 11, 23, 14, 5, 9, tzinfo=UTC)


def doc(**fields):
    base = {
        "_id": OID,
        "pipeline_name": "daily_sales",
        "tech": "Spark",
        "status": "FAILED",
        "error_message": "java.lang.OutOfMemoryError: Java heap space",
        "timestamp": datetime(2026, 11, 23, 14, 5, 9),
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not DROP}


DROP = object()


# ---------------------------------------------------------------- records

def test_clean_document():
    assert normalize(doc()) == Record(
        id="6b04d94cddd8fb15af578ade",
        pipeline="daily_sales",
        tech="Spark",
        status="failed",
        timestamp=WHEN,
        message="java.lang.OutOfMemoryError: Java heap space",
    )


def test_missing_fields_get_defaults():
    record = normalize({"_id": OID, "timestamp": "2026-11-23T14:05:09Z"})
    assert (record.pipeline, record.tech, record.status, record.message) == ("unknown", "unknown", "unknown", "")
    assert record.timestamp == WHEN


def test_none_and_blank_values_count_as_missing():
    record = normalize(doc(pipeline_name=None, tech="   ", status=None, error_message=None))
    assert (record.pipeline, record.tech, record.status, record.message) == ("unknown", "unknown", "unknown", "")


def test_values_of_the_wrong_type_become_text():
    record = normalize(doc(_id=42, pipeline_name=1234, tech=3.5, error_message=404))
    assert (record.id, record.pipeline, record.tech, record.message) == ("int:42", "1234", "3.5", "404")


def test_whitespace_is_tidied_but_case_kept():
    record = normalize(doc(pipeline_name="  daily   sales\n", tech=" spark  SQL "))
    assert (record.pipeline, record.tech) == ("daily sales", "spark SQL")
    assert normalize(doc(tech="spark")).tech == "spark"
    assert normalize(doc(tech="Spark")).tech == "Spark"


def test_message_is_kept_whole_but_absurd_ones_are_capped():
    trace = "java.lang.RuntimeException: boom\n" + "\tat com.acme.Step.run(Step.java:12)\n" * 2000
    assert len(trace) > 50_000
    assert normalize(doc(error_message=trace)).message == trace.strip()
    huge = normalize(doc(error_message="x" * (MAX_MESSAGE_CHARS + 10))).message
    assert huge.startswith("x" * MAX_MESSAGE_CHARS)
    assert MAX_MESSAGE_CHARS < len(huge) < MAX_MESSAGE_CHARS + 50


def test_nested_message_becomes_readable_text():
    record = normalize(doc(error_message={"code": "E42", "détail": "table absente"}))
    assert record.message == '{"code": "E42", "détail": "table absente"}'
    lines = normalize(doc(error_message=["step 1 ok", "step 2 failed"]))
    assert lines.message == "step 1 ok\nstep 2 failed"
    mixed = normalize(doc(error_message=[{"line": 1}, "oops"]))
    assert mixed.message == '[{"line": 1}, "oops"]'


def test_dotted_paths_reach_nested_documents():
    mapping = FieldMapping(
        pipeline="job.name", tech="meta.tech", status="run.state", message="run.error.text", timestamp="run.at"
    )
    source = {
        "_id": "run-1",
        "job": {"name": "load_orders"},
        "meta": {"tech": "Talend"},
        "run": {"state": "KO", "error": {"text": "tDBOutput_1 failed"}, "at": "2026-11-23T15:05:09+01:00"},
    }
    assert normalize(source, mapping) == Record(
        id="run-1", pipeline="load_orders", tech="Talend", status="failed", timestamp=WHEN, message="tDBOutput_1 failed"
    )


def test_a_nested_job_gives_its_technology_as_well_as_its_name():
    """With the default mapping: {"job": {"name", "tech"}} was read as a pipeline of unknown technology."""
    source = {"_id": "run-2", "job": {"name": "kafka-connect-cdc", "tech": "Kafka"}, "status": "FAILED",
              "error_message": "boom", "timestamp": "2026-11-23T15:05:09+01:00"}
    rec = normalize(source)
    assert (rec.pipeline, rec.tech) == ("kafka-connect-cdc", "Kafka")
    assert normalize({**source, "tech": "Spark"}).tech == "Spark", "a top-level tech field still comes first"


def test_dotted_path_into_a_list():
    mapping = FieldMapping(message="attempts.1.error")
    source = doc(attempts=[{"error": "first"}, {"error": "second"}], error_message=DROP)
    assert normalize(source, mapping).message == "second"


@pytest.mark.parametrize(
    ("field", "alias", "value", "attribute", "expected"),
    [
        ("error_message", "message", "boom", "message", "boom"),
        ("error_message", "error", "boom", "message", "boom"),
        ("error_message", "msg", "boom", "message", "boom"),
        ("error_message", "log", "boom", "message", "boom"),
        ("error_message", "details", "boom", "message", "boom"),
        ("pipeline_name", "pipeline", "p1", "pipeline", "p1"),
        ("pipeline_name", "job", "p1", "pipeline", "p1"),
        ("pipeline_name", "job_name", "p1", "pipeline", "p1"),
        ("pipeline_name", "flow", "p1", "pipeline", "p1"),
        ("pipeline_name", "flow_name", "p1", "pipeline", "p1"),
        ("pipeline_name", "dag_id", "p1", "pipeline", "p1"),
        ("tech", "technology", "NiFi", "tech", "NiFi"),
        ("tech", "engine", "NiFi", "tech", "NiFi"),
        ("tech", "platform", "NiFi", "tech", "NiFi"),
        ("tech", "tool", "NiFi", "tech", "NiFi"),
        ("status", "state", "success", "status", "success"),
        ("status", "result", "ERROR", "status", "failed"),
        ("timestamp", "ts", "2026-11-23T14:05:09Z", "timestamp", WHEN),
        ("timestamp", "date", "2026-11-23T14:05:09Z", "timestamp", WHEN),
        ("timestamp", "time", "2026-11-23T14:05:09Z", "timestamp", WHEN),
        ("timestamp", "created_at", "2026-11-23T14:05:09Z", "timestamp", WHEN),
        ("timestamp", "start_time", "2026-11-23T14:05:09Z", "timestamp", WHEN),
        ("timestamp", "@timestamp", "2026-11-23T14:05:09Z", "timestamp", WHEN),
    ],
)
def test_aliases_used_when_the_mapped_field_is_absent(field, alias, value, attribute, expected):
    source = doc(**{field: DROP})
    source[alias] = value
    assert getattr(normalize(source), attribute) == expected


def test_mapped_field_wins_over_aliases():
    record = normalize(doc(message="other", job="other", state="ok"))
    assert (record.message, record.pipeline, record.status) == (
        "java.lang.OutOfMemoryError: Java heap space",
        "daily_sales",
        "failed",
    )


def test_custom_mapping_falls_back_to_aliases():
    mapping = FieldMapping(pipeline="job.name", message="payload.err")
    record = normalize(doc(), mapping)
    assert (record.pipeline, record.message) == ("daily_sales", "java.lang.OutOfMemoryError: Java heap space")


def test_pipeline_given_as_a_subdocument_uses_its_name():
    source = doc(pipeline_name=DROP, job={"name": "nightly_dbt", "id": 9})
    assert normalize(source).pipeline == "nightly_dbt"


def test_boolean_success_flag():
    assert normalize(doc(status=DROP, success=False)).status == "failed"
    assert normalize(doc(status=DROP, success=True)).status == "success"


def test_any_mapping_type_is_accepted():
    assert normalize(OrderedDict(doc())).status == "failed"


# ---------------------------------------------------------------- redaction

def test_redaction_happens_inside_normalize():
    record = normalize(
        doc(
            pipeline_name="load password=Hunter2x",
            tech="Spark token=abcdef123",
            error_message="connect postgres://etl:S3cr3t@db:5432/x failed, AKIAIOSFODNN7EXAMPLE",
        )
    )
    assert record.pipeline == "load password=[REDACTED]"
    assert record.tech == "Spark token=[REDACTED]"
    assert record.message == "connect postgres://etl:[REDACTED]@db:5432/x failed, [REDACTED]"


def test_nested_message_is_redacted():
    record = normalize(doc(error_message={"msg": "login failed", "password": "Hunter2x"}))
    assert "Hunter2x" not in record.message
    assert record.message == '{"msg": "login failed", "password": "[REDACTED]"}'


# ---------------------------------------------------------------- unreadable

@pytest.mark.parametrize("value", [None, "not a doc", ["_id", 1], 42, b"{}"])
def test_non_mapping_documents_are_unreadable(value):
    with pytest.raises(UnreadableRecord):
        normalize(value)


def test_document_without_id_is_unreadable():
    with pytest.raises(UnreadableRecord, match="_id"):
        normalize(doc(_id=DROP))
    with pytest.raises(UnreadableRecord, match="_id"):
        normalize(doc(_id=None))


def test_unreadable_timestamp_without_object_id_is_unreadable():
    with pytest.raises(UnreadableRecord, match="timestamp"):
        normalize(doc(_id="run-1", timestamp="someday"))
    with pytest.raises(UnreadableRecord, match="timestamp"):
        normalize(doc(_id="run-1", timestamp=DROP))


def test_object_id_time_stands_in_for_a_missing_timestamp():
    oid = ObjectId.from_datetime(datetime(2026, 11, 23, 14, 5, 9, tzinfo=UTC))
    assert normalize(doc(_id=oid, timestamp=DROP)).timestamp == WHEN
    assert normalize(doc(_id=oid, timestamp="  ")).timestamp == WHEN
    assert normalize(doc(_id={"$oid": str(oid)}, timestamp=DROP)).timestamp == WHEN


def test_unreadable_timestamp_is_not_replaced_by_a_guess():
    oid = ObjectId.from_datetime(datetime(2026, 11, 23, 14, 5, 9, tzinfo=UTC))
    with pytest.raises(UnreadableRecord, match="someday"):
        normalize(doc(_id=oid, timestamp="someday"))


def test_unreadable_mapped_timestamp_falls_back_to_a_readable_alias():
    assert normalize(doc(timestamp="someday", created_at="2026-11-23T14:05:09Z")).timestamp == WHEN


def test_unexpected_errors_become_unreadable_record():
    class Exploding(dict):
        def get(self, key, default=None):
            raise RuntimeError("secret value inside")

    with pytest.raises(UnreadableRecord) as info:
        normalize(Exploding(doc()))
    assert "secret value inside" not in str(info.value)


def test_unreadable_record_is_a_value_error():
    assert issubclass(UnreadableRecord, ValueError)


# ---------------------------------------------------------------- timestamps

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 23, 14, 5, 9), WHEN),  # pymongo: naive means UTC
        (datetime(2026, 11, 23, 15, 5, 9, tzinfo=timezone(timedelta(hours=1))), WHEN),
        (date(2026, 11, 23), datetime(2026, 11, 23, tzinfo=UTC)),
        ("2026-11-23T14:05:09Z", WHEN),
        ("2026-11-23T14:05:09+00:00", WHEN),
        ("2026-11-23T16:05:09+02:00", WHEN),
        ("2026-11-23T09:05:09-0500", WHEN),
        ("2026-11-23T14:05:09", WHEN),
        ("2026-11-23 14:05:09", WHEN),
        ("2026-11-23T14:05:09.250Z", WHEN.replace(microsecond=250_000)),
        ("2026-11-23T14:05:09.123456789Z", WHEN.replace(microsecond=123_456)),
        ("2026-11-23 14:05:09,123", WHEN.replace(microsecond=123_000)),
        ("2026-11-23 14:05:09 UTC", WHEN),
        ("2026-11-23 15:05:09 +01:00", WHEN),
        ("2026/11/23 14:05:09", WHEN),
        ("2026-11-23", datetime(2026, 11, 23, tzinfo=UTC)),
        ("20261123", datetime(2026, 11, 23, tzinfo=UTC)),
        ("Mon, 23 Nov 2026 14:05:09 GMT", WHEN),
        ("  2026-11-23T14:05:09Z\n", WHEN),
        (1795442709, WHEN),  # epoch seconds
        (1795442709.5, WHEN.replace(microsecond=500_000)),
        (1795442709123, WHEN.replace(microsecond=123_000)),  # epoch milliseconds
        (1795442709123.0, WHEN.replace(microsecond=123_000)),
        (1795442709123456, WHEN.replace(microsecond=123_456)),  # microseconds
        (1795442709123456789, WHEN.replace(microsecond=123_456)),  # nanoseconds
        ("1795442709", WHEN),
        ("1795442709123", WHEN.replace(microsecond=123_000)),
        ("1795442709.5", WHEN.replace(microsecond=500_000)),
        ({"$date": "2026-11-23T14:05:09Z"}, WHEN),
        ({"$date": {"$numberLong": "1795442709000"}}, WHEN),
    ],
)
def test_timestamp_forms(value, expected):
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_timestamp_in_a_document_is_utc():
    record = normalize(doc(timestamp="2026-11-23T15:05:09+01:00"))
    assert record.timestamp == WHEN
    assert record.timestamp.tzinfo is not None and record.timestamp.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value", ["", "   ", "yesterday", "2026-13-45", "12:00", None, True, 0, -5, float("nan"), float("inf"), 10**30, [1], {}]
)
def test_unreadable_timestamps(value):
    with pytest.raises(UnreadableRecord):
        parse_timestamp(value)


# ---------------------------------------------------------------- status

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(v, "failed") for v in (
            "FAILED", "failed", " Failed ", "FAILURE", "ERROR", "error", "ERR", "KO", "FATAL", "CRITICAL",
            "ABORTED", "ÉCHEC", "échec", "echec", "en erreur", "EN ERREUR", "upstream_failed",
            "completed with errors", "terminé en erreur", "FAILED: exit code 1",
        )],
        *[(v, "warning") for v in ("WARN", "warn", "WARNING", "Warning", "AVERTISSEMENT", "Succeeded with warnings")],
        *[(v, "success") for v in (
            "SUCCESS", "success", "SUCCEEDED", "OK", "ok", "DONE", "COMPLETED", "PASSED", "SUCCÈS", "succès",
            "succes", "réussi", "REUSSI",
        )],
        *[(v, "running") for v in ("RUNNING", "STARTED", "IN_PROGRESS", "in progress", "in-progress", "EN COURS", "en cours")],
        *[(v, "unknown") for v in ("", "  ", "SKIPPED", "queued", "not ok", "banana", None, 3, 0, [], {})],
        (True, "success"),
        (False, "failed"),
    ],
)
def test_status_synonyms(value, expected):
    assert normalize_status(value) == expected


def test_status_is_always_one_of_the_known_statuses():
    for value in ("FAILED", "WARN", "OK", "RUNNING", "??", None, 1.5):
        assert normalize_status(value) in STATUSES


# ---------------------------------------------------------------- projection

def test_projection_default_mapping():
    fields = projection(FieldMapping())
    assert fields["_id"] == 1
    for key in ("pipeline_name", "tech", "status", "error_message", "timestamp", "dag_id", "@timestamp", "state"):
        assert fields[key] == 1
    assert set(fields.values()) == {1}


def test_projection_uses_top_level_keys_of_dotted_paths():
    fields = projection(FieldMapping(pipeline="job.name", message="run.error.text"))
    assert fields["job"] == 1 and fields["run"] == 1
    assert "job.name" not in fields and "run.error.text" not in fields


# ---------------------------------------------------------------- speed

def test_many_documents_of_mixed_shapes_all_normalize():
    # how fast is bench/bench_ingest.py's business (timed tests fail on a busy machine, not on slow code)
    docs = [
        {
            "_id": ObjectId(),
            "pipeline_name": f"pipe_{i % 40}",
            "tech": ("Spark", "dbt", "Talend", "Airflow")[i % 4],
            "status": ("FAILED", "OK", "WARN", "RUNNING")[i % 4],
            "error_message": f"Job job_{i} failed: java.io.IOException: disk full on /data/{i}",
            "timestamp": (WHEN + timedelta(seconds=i)).replace(tzinfo=None) if i % 2 else f"2026-11-23T14:{i % 60:02d}:09Z",
        }
        for i in range(16_000)
    ]
    records = [normalize(d) for d in docs]
    assert [r.pipeline for r in records[:41]] == [f"pipe_{i % 40}" for i in range(41)]
    assert sum(r.status == "failed" for r in records) == 4_000
    assert records[1].timestamp == WHEN + timedelta(seconds=1)
    assert records[0].timestamp == datetime(2026, 11, 23, 14, 0, 9, tzinfo=timezone.utc)


# ---------------------------------------------------------------- typed ids

def test_ids_keep_their_type_so_distinct_documents_stay_distinct():
    hexa = "6b04d94cddd8fb15af578ade"
    values = [777, "777", ObjectId(hexa), hexa, Int64(778), 778.5, True, "", "int:777", "plain-run-1",
              {"a": 1, "b": 2}, {"b": 2, "a": 1}, datetime(2026, 11, 23, 14, 5, 9), b"\x01\x02",
              Binary(b"\x01\x02", 3), uuid.UUID("12345678-1234-5678-1234-567812345678"), Decimal128("1.5")]
    ids = [normalize(doc(_id=v)).id for v in values]
    assert len(set(ids)) == len(values), ids
    assert ids[:4] == ["int:777", "777", hexa, "str:" + hexa]
    # unchanged from earlier releases: ObjectIds are their hex, plain strings themselves
    assert ids[2] == str(ObjectId(hexa)) and ids[9] == "plain-run-1"
    assert ids[7:9] == ["str:", "str:int:777"]
    assert ids[12] == "date:2026-11-23T14:05:09Z"
    assert ids[15] == "uuid:12345678-1234-5678-1234-567812345678"
    # and back to the value MongoDB holds
    for value, rid in zip(values, ids):
        back = decode_id(rid)
        if isinstance(value, uuid.UUID):
            assert back == Binary.from_uuid(value)
        else:
            assert back == value and type(back) in (type(value), int), (value, rid, back)


def test_ids_are_shown_as_a_mongo_shell_filter():
    assert shell_filter("6b04d94cddd8fb15af578ade") == '{_id: ObjectId("6b04d94cddd8fb15af578ade")}'
    assert shell_filter(normalize(doc(_id=777)).id) == "{_id: 777}"
    assert shell_filter(normalize(doc(_id="777")).id) == '{_id: "777"}'
    assert shell_filter(normalize(doc(_id="6b04d94cddd8fb15af578ade")).id) == '{_id: "6b04d94cddd8fb15af578ade"}'
    assert shell_filter(normalize(doc(_id=datetime(2026, 1, 2))).id) == '{_id: ISODate("2026-01-02T00:00:00Z")}'
    assert shell_filter(normalize(doc(_id=1.5)).id) == "{_id: 1.5}"


def test_extended_json_object_id_is_the_object_id():
    assert encode_id({"$oid": str(OID)}) == (str(OID), OID)


# ---------------------------------------------------------------- source time zone

PARIS = FieldMapping(source_timezone="Europe/Paris")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # zone-less: wall-clock time in Paris (UTC+1 in November, UTC+2 in July)
        (datetime(2026, 11, 23, 15, 5, 9), WHEN),
        ("2026-11-23 15:05:09", WHEN),
        ("2026-11-23T15:05:09", WHEN),
        ("2026/11/23 15:05:09", WHEN),
        ("2026-07-01 12:00:00", datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
        ("20261123", datetime(2026, 11, 22, 23, 0, tzinfo=UTC)),
        # a zone of their own: unaffected
        ("2026-11-23T14:05:09Z", WHEN),
        ("2026-11-23T16:05:09+02:00", WHEN),
        ("2026-11-23 14:05:09 UTC", WHEN),
        ("2026-11-23 14:05:09 GMT", WHEN),
        ("Mon, 23 Nov 2026 14:05:09 GMT", WHEN),
        (datetime(2026, 11, 23, 14, 5, 9, tzinfo=UTC), WHEN),
        # epochs are UTC by definition
        (1795442709, WHEN),
        ("1795442709", WHEN),
    ],
)
def test_source_timezone_applies_to_zoneless_timestamps_only(value, expected):
    record = normalize(doc(timestamp=value), PARIS, now=WHEN)
    assert record.timestamp == expected
    assert record.timestamp.utcoffset() == timedelta(0)


def test_extreme_naive_dates_in_a_source_zone_are_out_of_range():
    with pytest.raises(TimestampOutOfRange):
        normalize(doc(timestamp=datetime(1, 1, 1)), FieldMapping(source_timezone="Asia/Tokyo"), now=WHEN)
    with pytest.raises(TimestampOutOfRange):
        normalize(doc(timestamp="9999-12-31 23:59:59"), FieldMapping(source_timezone="America/New_York"), now=WHEN)


def test_default_source_timezone_is_utc():
    assert FieldMapping().source_timezone == "UTC"
    assert normalize(doc(timestamp="2026-11-23 14:05:09"), now=WHEN).timestamp == WHEN


def test_mapping_reads_the_source_timezone_setting():
    from core.settings import load_settings

    settings = load_settings(_env_file=None, FLOWRAG_SOURCE_TIMEZONE="America/New_York")
    assert FieldMapping.from_settings(settings).source_timezone == "America/New_York"
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="FLOWRAG_SOURCE_TIMEZONE"):
        load_settings(_env_file=None, FLOWRAG_SOURCE_TIMEZONE="Mars/Olympus")


# ---------------------------------------------------------------- sane dates

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59Z",
        datetime(9999, 12, 31, 23, 59, 59),
        "1999-12-31T23:59:59Z",
        datetime(1970, 1, 1, 0, 0, 1),
        "19000101",
        NOW + timedelta(days=1, seconds=1),
        (NOW + timedelta(days=3)).isoformat(),
        int((NOW + timedelta(days=400)).timestamp() * 1000),
        10**11 - 1,  # epoch seconds in the year 5138
        DatetimeMS(10**15),  # a BSON date beyond the year 9999, as pymongo's DATETIME_AUTO gives it
        DatetimeMS(-(10**14)),
    ],
)
def test_dates_no_run_can_have_are_out_of_range(value):
    with pytest.raises(TimestampOutOfRange) as info:
        normalize(doc(_id=777, timestamp=value), now=NOW)
    assert info.value.reason == "out_of_range"
    assert info.value.record_id == "int:777"
    assert isinstance(info.value, UnreadableRecord), "ingest's `except UnreadableRecord` still counts it"


@pytest.mark.parametrize(
    "value",
    [datetime(2000, 1, 1), "2000-01-01T00:00:00Z", NOW + timedelta(hours=23), NOW + timedelta(days=1), NOW],
)
def test_dates_inside_the_range_are_kept(value):
    expected = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    expected = expected if expected.tzinfo else expected.replace(tzinfo=UTC)
    assert normalize(doc(timestamp=value), now=NOW).timestamp == expected


def test_out_of_range_placeholder_falls_back_to_a_sane_alias():
    record = normalize(doc(timestamp="9999-12-31T23:59:59Z", created_at="2026-11-23T14:05:09Z"), now=NOW)
    assert record.timestamp == WHEN


def test_object_id_time_out_of_range_is_not_used():
    future = ObjectId.from_datetime(NOW + timedelta(days=30))
    with pytest.raises(TimestampOutOfRange):
        normalize(doc(_id=future, timestamp=DROP), now=NOW)


def test_out_of_range_message_shows_the_date():
    with pytest.raises(TimestampOutOfRange) as info:
        normalize(doc(timestamp="9999-12-31T23:59:59Z"), now=NOW)
    assert info.value.value == "9999-12-31T23:59:59Z"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("not a doc", "not_a_document"),
        ({"timestamp": "2026-11-23T14:05:09Z"}, "no_id"),
        ({"_id": None, "timestamp": "2026-11-23T14:05:09Z"}, "no_id"),
        ({"_id": "r1", "timestamp": "someday"}, "unreadable_timestamp"),
        ({"_id": "r1"}, "unreadable_timestamp"),
        ({"_id": "r1", "timestamp": {"start": "2026-11-23"}}, "unreadable_timestamp"),
        ({"_id": "r1", "timestamp": b"\x00\x01"}, "unreadable_timestamp"),
        ({"_id": "r1", "timestamp": "9999-12-31T23:59:59Z"}, "out_of_range"),
    ],
)
def test_skip_reasons(document, reason):
    with pytest.raises(UnreadableRecord) as info:
        normalize(document, now=NOW)
    assert info.value.reason == reason


# ---------------------------------------------------------------- odd shapes

def test_binary_is_not_decoded_as_text():
    assert normalize(doc(error_message=b"\x00\xff\x10garbage")).message == "<binary 10 bytes>"
    assert normalize(doc(error_message=Binary(b"\x01" * 300, 5))).message == "<binary 300 bytes>"
    assert normalize(doc(error_message=["boom", b"\x00\x01"])).message == '["boom", "<binary 2 bytes>"]'
    record = normalize(doc(pipeline_name=b"\x00job", tech=Binary(b"x", 0)))
    assert (record.pipeline, record.tech) == ("unknown", "unknown")
    # a binary name gives way to an alias
    assert normalize(doc(pipeline_name=b"\x00", job="nightly")).pipeline == "nightly"


def test_numbers_and_flags_where_text_is_expected():
    record = normalize(doc(status=1, pipeline_name=42, tech=Int64(7), error_message=3.25))
    assert (record.status, record.pipeline, record.tech, record.message) == ("unknown", "42", "7", "3.25")
    assert normalize(doc(status=False)).status == "failed"
    assert normalize(doc(status=0.0)).status == "unknown"
    assert normalize(doc(pipeline_name=True)).pipeline == "unknown"


def test_structures_at_the_mapped_paths():
    record = normalize(doc(pipeline_name={"id": 9}, tech=["Spark"], status={"state": "FAILED"},
                           error_message={"when": datetime(2026, 1, 1), "oid": OID, "raw": b"\x00"}))
    assert (record.pipeline, record.tech, record.status) == ("unknown", "unknown", "unknown")
    assert record.message == ('{"when": "2026-01-01T00:00:00", "oid": "6b04d94cddd8fb15af578ade", '
                              '"raw": "<binary 1 bytes>"}')


def test_five_megabyte_message_is_capped_at_a_megabyte():
    record = normalize(doc(error_message="y" * 5_000_000))
    assert record.message == "y" * MAX_MESSAGE_CHARS + " …[truncated]"
    assert MAX_MESSAGE_CHARS == 1_000_000
