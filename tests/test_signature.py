import time

import pytest

from core.signature import MAX_SIGNATURE_CHARS, signature, signature_id


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Executor lost after 3 retries", "Executor lost after <NUM> retries"),
        ("took 0.25 s, read 1,024 rows", "took <NUM> s, read <NUM> rows"),
        ("object 5f2b9c1e8a7d3f40 not found", "object <HEX> not found"),
        ("segfault at 0x7ffd5a3c", "segfault at <HEX>"),
        ("request 550e8400-e29b-41d4-a716-446655440000 timed out", "request <UUID> timed out"),
        ("connection to 10.0.12.7:5432 refused", "connection to <IP> refused"),
        ("connection to [2001:db8::8a2e:370:7334]:443 refused", "connection to [<IP>]:<NUM> refused"),
        ("cannot open /data/raw/2026/11/23/part-0001.csv", "cannot open <PATH>"),
        (r"cannot open C:\talend\jobs\sales.item", "cannot open <PATH>"),
        ("GET https://api.example.com/v1/runs?id=7 returned 503", "GET <URL> returned <NUM>"),
        ("Table 'sales.orders' doesn't exist", "Table <STR> doesn't exist"),
        ('relation "public.orders" does not exist', "relation <STR> does not exist"),
        ("job job_20261123_0042 failed", "job job_<NUM>_<NUM> failed"),
        ("Application application_1445062781478_0001 failed", "Application application_<NUM>_<NUM> failed"),
        ("container_1445062781478_0001_01_000002 killed", "container_<NUM>_<NUM>_<NUM>_<NUM> killed"),
        ("Receiving blk_-1608999687919862906 src", "Receiving blk_<NUM> src"),
        ("started at 2026-11-23T14:05:09.123Z and", "started at <TS> and"),
        ("at 2026-11-23 14:05:09,123 disk full", "at <TS> disk full"),
        ("since Sun Dec 04 04:47:44 2005 no heartbeat", "since <TS> no heartbeat"),
        ("mail to ops.team@example.com bounced", "mail to <EMAIL> bounced"),
        ("Invalid user webmaster from 173.234.31.186", "Invalid user <USER> from <IP>"),
        ("  lots\tof \n whitespace  ", "lots of whitespace"),
    ],
)
def test_masks_variable_parts(message, expected):
    assert signature(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "ORA-00942: table or view does not exist",
        "log4j configuration not found for s3a filesystem",
        "NullPointerException in SparkContext",
        "accepted deadbeef decaf",
    ],
)
def test_keeps_words_and_error_codes(message):
    assert signature(message) == message


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Job job_20261123_0042 failed after 3 attempts on 10.0.0.12",
            "Job job_20261124_0007 failed after 12 attempts on 10.0.3.250",
        ),
        (
            "java.io.FileNotFoundException: /data/in/2026-11-23/orders.csv (No such file or directory)",
            "java.io.FileNotFoundException: /data/in/2026-11-24/customers.csv (No such file or directory)",
        ),
        (
            "Lost task 3.0 in stage 12.0 (TID 4411, 10.1.2.3, executor 7): ExecutorLostFailure",
            "Lost task 15.2 in stage 3.0 (TID 87, 10.1.2.99, executor 21): ExecutorLostFailure",
        ),
        (
            "Deadlock on row id 7f3a9b2c41d0e8f6 in table 'stg.orders' at 2026-11-23 04:00:01",
            "Deadlock on row id 0a1b2c3d4e5f6789 in table 'stg.customers' at 2026-11-24 04:00:07",
        ),
        (
            "BLOCK* ask 10.250.14.224:50010 to delete blk_-6952295868487656571",
            "BLOCK* ask 10.250.19.16:50010 to delete blk_38865049064139660 blk_-1 blk_77",
        ),
        (
            "Component tPostgresqlOutput_1 failed: request 550e8400-e29b-41d4-a716-446655440000",
            "Component tPostgresqlOutput_2 failed: request 123e4567-e89b-12d3-a456-426614174000",
        ),
    ],
)
def test_runs_of_the_same_error_share_a_signature(first, second):
    assert signature(first) == signature(second)
    assert signature_id(signature(first)) == signature_id(signature(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ORA-00942: table or view does not exist", "ORA-01017: invalid username/password; logon denied"),
        ("Container killed by YARN for exceeding memory limits", "Container exited with a non-zero exit code 1"),
        ("java.lang.OutOfMemoryError: Java heap space", "java.lang.OutOfMemoryError: GC overhead limit exceeded"),
        ('{"error": "Table not found", "code": 42}', '{"error": "Permission denied", "code": 42}'),
        ("dbt test failed: not_null_orders_id", "dbt test failed: unique_orders_id"),
    ],
)
def test_different_errors_keep_different_signatures(first, second):
    assert signature(first) != signature(second)
    assert signature_id(signature(first)) != signature_id(signature(second))


def test_empty_message():
    assert signature("") == ""


def test_long_stack_trace_is_bounded_and_keeps_its_head():
    head = "org.apache.spark.SparkException: Job aborted due to stage failure: Task 4 in stage 7.0 failed 4 times\n"
    frames = "".join(f"\tat org.apache.spark.scheduler.DAGScheduler.f{i}(DAGScheduler.scala:{i + 100})\n" for i in range(900))
    message = head + frames
    assert len(message) > 50_000
    sig = signature(message)
    assert len(sig) <= MAX_SIGNATURE_CHARS
    assert sig.startswith(
        "org.apache.spark.SparkException: Job aborted due to stage failure: Task <NUM> in stage <NUM> failed <NUM> times"
    )
    # A second run differing in its numbers, deep in the trace or near the cut, maps to the same signature.
    other = message.replace("Task 4 in stage 7.0", "Task 11 in stage 1234.5").replace("scala:1", "scala:98765")
    assert signature(other) == sig


def test_huge_message_whose_head_masks_short_is_still_bounded():
    message = " ".join(f"550e8400-e29b-41d4-a716-4466554400{i % 100:02d}" for i in range(30_000))
    sig = signature(message)
    assert len(sig) <= MAX_SIGNATURE_CHARS
    assert sig == "<UUID>"


def test_signature_id_is_stable_short_hex():
    assert signature_id("Executor lost after <NUM> retries") == "82eef5a001955fd9"
    assert len(signature_id("x")) == 16
    assert signature_id("a") != signature_id("b")


def test_fast_on_many_distinct_messages():
    messages = [
        f"Job job_2026112{i % 10}_{i:04d} failed on 10.0.{i % 256}.{i % 7} after {i} ms: "
        f"FileNotFoundException /data/in/{i}/orders.csv (request {i:08x}-e29b-41d4-a716-446655440000)"
        for i in range(16_000)
    ]
    started = time.perf_counter()
    signatures = {signature(m) for m in messages}
    assert time.perf_counter() - started < 1.0
    assert len(signatures) == 1
