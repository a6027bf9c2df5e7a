import time

import pytest

from core.redact import MARKER, redact

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SLACK_BOT = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6ImV0bCJ9"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
    "-----END RSA PRIVATE KEY-----"
)


def redacted_without(text: str, secret: str) -> str:
    out = redact(text)
    assert secret not in out
    assert MARKER in out
    return out


@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        (
            "could not connect to postgres://etl:S3cr3t!@db:5432/warehouse",
            "S3cr3t!",
            "could not connect to postgres://etl:[REDACTED]@db:5432/warehouse",
        ),
        (
            "jdbc:postgresql://etl:pg-pass-1@db:5432/x timed out",
            "pg-pass-1",
            "jdbc:postgresql://etl:[REDACTED]@db:5432/x timed out",
        ),
        (
            "MongoServerError at mongodb+srv://admin:Mongo%40pw@cluster0.example.net/runs?retryWrites=true",
            "Mongo%40pw",
            "MongoServerError at mongodb+srv://admin:[REDACTED]@cluster0.example.net/runs?retryWrites=true",
        ),
        (
            "broker amqp://guest:rabbitpw@rabbit:5672/ refused",
            "rabbitpw",
            "broker amqp://guest:[REDACTED]@rabbit:5672/ refused",
        ),
        (
            "GET https://bob:hunter2@repo.example.com/artifacts failed",
            "hunter2",
            "GET https://bob:[REDACTED]@repo.example.com/artifacts failed",
        ),
        (
            # an unescaped "@" inside the password must not leak its tail
            "mongodb://admin:p@ssw0rd@mongo:27017/db",
            "ssw0rd",
            "mongodb://admin:[REDACTED]@mongo:27017/db",
        ),
        (
            "jdbc:oracle:thin:scott/tiger99@//db:1521/ORCL refused",
            "tiger99",
            "jdbc:oracle:thin:scott/[REDACTED]@//db:1521/ORCL refused",
        ),
    ],
)
def test_passwords_in_connection_uris(text, secret, expected):
    assert redacted_without(text, secret) == expected


@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        ("login with password=Hunter2x then retry", "Hunter2x", "login with password=[REDACTED] then retry"),
        ("PASSWORD=Hunter2x", "Hunter2x", "PASSWORD=[REDACTED]"),
        ("db_password: Hunter2x (from vault)", "Hunter2x", "db_password: [REDACTED] (from vault)"),
        ("passwd=Hunter2x;", "Hunter2x", "passwd=[REDACTED];"),
        ("Server=db;Uid=sa;Pwd=Hunter2x;Database=x", "Hunter2x", "Server=db;Uid=sa;Pwd=[REDACTED];Database=x"),
        ("client_secret=abcDEF123 grant=x", "abcDEF123", "client_secret=[REDACTED] grant=x"),
        ("refresh with token=tok_9f8e7d6c", "tok_9f8e7d6c", "refresh with token=[REDACTED]"),
        ("access_token: tok_9f8e7d6c", "tok_9f8e7d6c", "access_token: [REDACTED]"),
        ("api_key=k-123456 region=eu", "k-123456", "api_key=[REDACTED] region=eu"),
        ("apikey=k-123456", "k-123456", "apikey=[REDACTED]"),
        ("X-Api-Key: k-123456", "k-123456", "X-Api-Key: [REDACTED]"),
        (
            "jdbc:mysql://db:3306/x?user=etl&password=Hunter2x&useSSL=true",
            "Hunter2x",
            "jdbc:mysql://db:3306/x?user=etl&password=[REDACTED]&useSSL=true",
        ),
        (
            'config {"user": "etl", "password": "Hun ter\\"2x", "port": 5432}',
            "Hun ter",
            'config {"user": "etl", "password": "[REDACTED]", "port": 5432}',
        ),
        ("{'api_key': 'k-123456', 'x': 1}", "k-123456", "{'api_key': '[REDACTED]', 'x': 1}"),
        ("spark-submit --db-password Hunter2x --class Main", "Hunter2x", "spark-submit --db-password [REDACTED] --class Main"),
        ("dbt run --password 'Hunter 2x' --target prod", "Hunter 2x", "dbt run --password '[REDACTED]' --target prod"),
        ("<connection><password>Hunter2x</password></connection>", "Hunter2x", "<connection><password>[REDACTED]</password></connection>"),
    ],
)
def test_secret_key_values(text, secret, expected):
    assert redacted_without(text, secret) == expected


def test_aws_access_key_id():
    out = redacted_without(f"S3 403 for access key {AWS_KEY_ID} on bucket raw", AWS_KEY_ID)
    assert out == "S3 403 for access key [REDACTED] on bucket raw"


def test_aws_temporary_key_id():
    assert redact("key ASIAY34FZKBOKMUTVV7A expired") == "key [REDACTED] expired"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"aws_secret_access_key = {AWS_SECRET}", "aws_secret_access_key = [REDACTED]"),
        (f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}", "export AWS_SECRET_ACCESS_KEY=[REDACTED]"),
        (f"creds {AWS_KEY_ID}:{AWS_SECRET} rejected", "creds [REDACTED]:[REDACTED] rejected"),
    ],
)
def test_aws_secret_key(text, expected):
    assert redacted_without(text, AWS_SECRET) == expected


@pytest.mark.parametrize(
    "token",
    [
        SLACK_BOT,
        "xoxp-1234567890-1234567890-1234567890-abcdef0123456789",
        "xoxa-2-abcdef123456",
        "xoxs-1234567890-abcdef",
        "xapp-1-A0123456789-1234567890123-abcdef0123456789",
        "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    ],
)
def test_slack_tokens(token):
    assert redacted_without(f"slack auth failed with {token} (invalid_auth)", token) == (
        "slack auth failed with [REDACTED] (invalid_auth)"
    )


def test_slack_webhook_url():
    text = "POST https://hooks.slack.com/services/T0123ABCD/B0123EFGH/aBcDeFgHiJkLmNoPqRsTuVwX returned 404"
    out = redacted_without(text, "aBcDeFgHiJkLmNoPqRsTuVwX")
    assert out == "POST https://hooks.slack.com/services/[REDACTED] returned 404"


def test_authorization_bearer_header():
    text = "401 with header Authorization: Bearer abc.DEF-123_xyz~=="
    out = redacted_without(text, "abc.DEF-123_xyz")
    assert out == "401 with header Authorization: Bearer [REDACTED]"


def test_bare_bearer_token():
    out = redacted_without("retrying with Bearer abcDEF1234567890 now", "abcDEF1234567890")
    assert out == "retrying with Bearer [REDACTED] now"


def test_basic_credentials():
    out = redacted_without('headers={"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}', "dXNlcjpwYXNzd29yZA")
    assert out == 'headers={"Authorization": "Basic [REDACTED]"}'
    assert redact("sent Basic dXNlcjpwYXNz to proxy") == "sent Basic [REDACTED] to proxy"


@pytest.mark.parametrize("kind", ["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED "])
def test_pem_private_key_block_removed_whole(kind):
    block = PEM.replace("RSA ", kind)
    out = redact(f"bad key:\n{block}\nwhile loading sftp credentials")
    assert out == f"bad key:\n{MARKER}\nwhile loading sftp credentials"


def test_truncated_pem_block_removed_to_the_end_of_its_body():
    out = redact(PEM.split("-----END")[0] + "\n")
    assert "MIIEow" not in out and "VTLw7" not in out
    assert out.startswith(MARKER)


def test_pem_in_json_string():
    text = '{"private_key": "' + PEM.replace("\n", "\\n") + '", "client_email": "x@y.iam"}'
    out = redact(text)
    assert "MIIEow" not in out
    assert '"client_email": "x@y.iam"' in out


def test_jwt():
    out = redacted_without(f"invalid session {JWT} for user etl", JWT[:40])
    assert out == "invalid session [REDACTED] for user etl"


def test_github_token():
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    assert redacted_without(f"git clone failed with {token}", token) == "git clone failed with [REDACTED]"


@pytest.mark.parametrize(
    "text",
    [
        'FATAL: password authentication failed for user "etl"',
        "password authentication failed for user etl",
        "Failed password for root from 1.2.3.4 port 22 ssh2",
        "Failed password for invalid user admin from 10.0.0.5 port 4242 ssh2",
        "Executing with tokens:",
        "cannot read /etc/passwd: Permission denied",
        "Tokenizer produced 12 tokens: ok",
        "Basic authentication failed",
        "Bearer token expired",
        "Secret rotation scheduled",
        "java.lang.NullPointerException at com.acme.Job.run(Job.java:42)",
        "Connecting to jdbc:postgresql://db:5432/warehouse",
        "See https://docs.example.com/errors#E42 and mail ops@example.com",
        "-" * 60,
        "",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "postgres://etl:S3cr3t@db/x password=abc token: xyz",
        f"{AWS_KEY_ID} {AWS_SECRET} {SLACK_BOT} {JWT}",
        'Authorization: Bearer abc123def456 {"password": "x\\"y"}',
        f"key {PEM} --password hunter2 <pwd>p</pwd>",
        "https://hooks.slack.com/services/T0/B0/XYZ Basic dXNlcjpwYXNz",
    ],
)
def test_idempotent(text):
    once = redact(text)
    assert once != text
    assert redact(once) == once


def test_several_secrets_in_one_stack_trace():
    trace = (
        "org.postgresql.util.PSQLException: connection refused\n"
        "\tat Driver.connect(Driver.java:10) url=postgres://etl:Pw1@db/x\n"
        f"Caused by: auth with {AWS_KEY_ID} and token={SLACK_BOT}\n"
    )
    out = redact(trace)
    for secret in ("Pw1", AWS_KEY_ID, SLACK_BOT):
        assert secret not in out
    assert "\tat Driver.connect(Driver.java:10) url=postgres://etl:[REDACTED]@db/x" in out


def test_fast_on_many_records_and_long_traces():
    lines = [
        f"Job daily_{i} failed: java.io.IOException: disk full on /data/{i} after {i * 7} ms"
        for i in range(16_000)
    ]
    started = time.perf_counter()
    for line in lines:
        redact(line)
    assert time.perf_counter() - started < 1.0

    frame = "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:288) password token://x -- <\n"
    trace = "java.lang.RuntimeException: boom\n" + frame * 700
    assert len(trace) > 50_000
    started = time.perf_counter()
    redact(trace)
    redact("-" * 50_000 + " password=x")
    redact("a@" * 25_000 + "://x:")
    assert time.perf_counter() - started < 0.5
