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


# ---------------------------------------------------------------- secret families
# Fake credentials in their vendors' real formats (prefix, alphabet, length),
# built by concatenation so that no secret scanner mistakes this file for a leak.
_B62 = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6"
_HEX = "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e"


def b62(n: int) -> str:
    return (_B62 * 8)[:n]


def hexs(n: int) -> str:
    return (_HEX * 8)[:n]


AZURE_KEY = b62(86) + "=="
SAS_SIG = "q1W2e3R4t5Y6u7I8o9P0%2Ba1S2d3F4g5H6j7K8l9%3D"
GCP_KEY_ID = hexs(40)
GOOGLE_KEY = "AIza" + "SyD-" + b62(31)
OPENAI_KEY = "sk-proj-" + b62(20) + "_" + b62(40) + "T3BlbkFJ" + b62(30)
OPENAI_LEGACY = "sk-" + b62(20) + "T3BlbkFJ" + b62(20)
ANTHROPIC_KEY = "sk-ant-api03-" + b62(60) + "-" + b62(32) + "AA"
STRIPE_SECRET = "sk_" + "live_" + b62(24)
STRIPE_RESTRICTED = "rk_" + "live_" + b62(24)
STRIPE_PUBLISHABLE = "pk_" + "live_" + b62(24)
SENDGRID_KEY = "SG." + b62(22) + "." + b62(43)
TWILIO_SID = "SK" + hexs(32)
TWILIO_ACCOUNT = "AC" + hexs(32)
MAILGUN_KEY = "key-" + hexs(32)
NPM_TOKEN = "npm_" + b62(36)
PYPI_TOKEN = "pypi-" + "AgEIcHlwaS5vcmc" + b62(70)
HF_TOKEN = "hf_" + b62(34)
DD_API_KEY = hexs(32)
DD_APP_KEY = hexs(40)
NR_LICENSE = hexs(36) + "NRAL"
NR_USER_KEY = "NRAK-" + b62(27).upper()
DATABRICKS = "dapi" + hexs(32)
GITLAB_PAT = "glpat-" + b62(20)
GITLAB_RUNNER = "glrt-" + b62(20)
GITLAB_DEPLOY = "gldt-" + b62(20)
GITLAB_TRIGGER = "glptt-" + hexs(40)
SLACK_REFRESH = "xoxe-1-" + b62(40)
SLACK_WORKSPACE = "xoxr-" + b62(30)
AWS_SESSION = "IQoJb3JpZ2luX2VjEJr" + "//////////wEaCWV1LXdlc3QtMSJHMEUCIQD" + b62(60) + "=="
AZURE_AD_SECRET = "abc8Q~" + b62(34)
SA_PEM = ("-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7\\n"
          "-----END PRIVATE KEY-----\\n")

# (log line, the secret or secrets in it). Redacting must give back the line
# with exactly those secrets replaced by MARKER: every other character (key,
# scheme, user, host, the words around) stays as it was, so the line still reads.
SECRETS = [
    # cloud keys and signed URLs
    ("BlobServiceClient failed: DefaultEndpointsProtocol=https;AccountName=dlraw;AccountKey=" + AZURE_KEY
     + ";EndpointSuffix=core.windows.net", AZURE_KEY),
    ("PUT https://dlraw.blob.core.windows.net/landing/orders.csv?sv=2022-11-02&ss=b&srt=co&sp=rwdlac"
     "&se=2026-12-01T00:00:00Z&spr=https&sig=" + SAS_SIG + " returned 403 AuthenticationFailed", SAS_SIG),
    ("Endpoint=sb://events.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="
     + AZURE_KEY[:44] + ";EntityPath=orders", AZURE_KEY[:44]),
    ('credentials.json: {"type": "service_account", "project_id": "dp-prod", "private_key_id": "' + GCP_KEY_ID
     + '", "private_key": "' + SA_PEM + '", "client_email": "etl@dp-prod.iam.gserviceaccount.com"}',
     (GCP_KEY_ID, SA_PEM)),
    ("Geocoding API REQUEST_DENIED for key=" + GOOGLE_KEY + " (referer not allowed)", GOOGLE_KEY),
    ("GET https://storage.googleapis.com/dp-exports/report.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256"
     "&X-Goog-Credential=etl%40dp-prod.iam.gserviceaccount.com%2F20261123%2Fauto%2Fstorage%2Fgoog4_request"
     "&X-Goog-Date=20261123T101500Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=" + hexs(128)
     + " returned 403", hexs(128)),
    ("presigned URL expired: https://dp-raw.s3.eu-west-1.amazonaws.com/events/part-0001.parquet"
     "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + AWS_KEY_ID + "%2F20261123%2Feu-west-1%2Fs3%2Faws4_request"
     "&X-Amz-Date=20261123T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=" + hexs(64),
     (AWS_KEY_ID, hexs(64))),
    ("aws_session_token = " + AWS_SESSION, AWS_SESSION),
    ("assumed role, got " + AWS_SESSION + " then AccessDenied", AWS_SESSION),
    ('sts response {"AccessKeyId": "ASIAY34FZKBOKMUTVV7A", "SecretAccessKey": "' + AWS_SECRET
     + '", "Expiration": "2026-11-23T11:15:00Z"}', ("ASIAY34FZKBOKMUTVV7A", AWS_SECRET)),
    ("GET https://d111111abcdef8.cloudfront.net/exports/a.csv?Expires=1700000000&Signature=Nql641NHEUkUaXQH~Abc"
     "&Key-Pair-Id=K2JCJMDEHXQW5F returned 403", "Nql641NHEUkUaXQH~Abc"),
    ("azure.identity: AADSTS7000215 invalid client secret " + AZURE_AD_SECRET + " for app 1f2e", AZURE_AD_SECRET),
    # LLM, payment and SaaS API keys
    ("openai.AuthenticationError: Error code: 401 - Incorrect API key provided: " + OPENAI_KEY + ".", OPENAI_KEY),
    ("OPENAI_API_KEY=" + OPENAI_LEGACY + " python enrich.py", OPENAI_LEGACY),
    ("anthropic.AuthenticationError: 401 invalid x-api-key " + ANTHROPIC_KEY, ANTHROPIC_KEY),
    ("stripe.error.PermissionError: The provided key '" + STRIPE_RESTRICTED + "' does not have access",
     STRIPE_RESTRICTED),
    ("charge sync: Stripe(" + STRIPE_SECRET + ") 401, publishable " + STRIPE_PUBLISHABLE,
     (STRIPE_SECRET, STRIPE_PUBLISHABLE)),
    ("SendGrid 403 Forbidden with " + SENDGRID_KEY + " (mail send)", SENDGRID_KEY),
    ("TwilioRestException: HTTP 401 authenticating " + TWILIO_SID + " for account " + TWILIO_ACCOUNT, TWILIO_SID),
    ("Mailgun: 401 Forbidden for domain mg.example.com with api key " + MAILGUN_KEY, MAILGUN_KEY),
    ("npm ERR! 401 Unauthorized - //registry.npmjs.org/:_authToken=" + NPM_TOKEN, NPM_TOKEN),
    ("npm publish with token " + NPM_TOKEN + " failed", NPM_TOKEN),
    ("twine upload: 403 Invalid or non-existent authentication information, password " + PYPI_TOKEN, PYPI_TOKEN),
    ("huggingface_hub.errors.HfHubHTTPError: 401 for token " + HF_TOKEN, HF_TOKEN),
    ("datadog: 403 Forbidden, DD_API_KEY=" + DD_API_KEY + " DD_APP_KEY=" + DD_APP_KEY, (DD_API_KEY, DD_APP_KEY)),
    ("newrelic agent: NEW_RELIC_LICENSE_KEY=" + NR_LICENSE + " rejected", NR_LICENSE),
    ("NerdGraph 401 with user key " + NR_USER_KEY, NR_USER_KEY),
    ("databricks-sql-connector: 403 Invalid access token " + DATABRICKS, DATABRICKS),
    # Slack and GitLab tokens
    ("slack token rotation failed for " + SLACK_REFRESH, SLACK_REFRESH),
    ("legacy workspace token " + SLACK_WORKSPACE + " revoked", SLACK_WORKSPACE),
    ("POST https://hooks.slack.com/workflows/T0123ABCD/A0456EFGH/123456789/aBcDeFgHiJkLmNoP returned 404",
     "T0123ABCD/A0456EFGH/123456789/aBcDeFgHiJkLmNoP"),
    ("git clone https://oauth2:" + GITLAB_PAT + "@gitlab.example.com/dp/etl.git failed", GITLAB_PAT),
    ("gitlab-runner register --token " + GITLAB_RUNNER + " --url https://gitlab.example.com", GITLAB_RUNNER),
    ("docker login -u gitlab+deploy-token-7 registry.gitlab.example.com using " + GITLAB_DEPLOY, GITLAB_DEPLOY),
    ("curl -X POST --form token=" + GITLAB_TRIGGER
     + " --form ref=main https://gitlab.example.com/api/v4/projects/7/trigger/pipeline",
     GITLAB_TRIGGER),
    ("Header PRIVATE-TOKEN: " + GITLAB_PAT + " rejected", GITLAB_PAT),
    # passwords on command lines
    ("curl -sS -u etl:S3cr3tP4ss https://api.example.com/v1/jobs returned 401", "S3cr3tP4ss"),
    ("curl --user 'svc_airflow:pa ss word' -X GET https://nexus.example.com/repo", "pa ss word"),
    ("mysqldump -h db-prod -u etl -pS3cr3tP4ss warehouse > dump.sql", "S3cr3tP4ss"),
    ("mysql --host=db-prod --user=etl --password=S3cr3tP4ss -e 'select 1'", "S3cr3tP4ss"),
    ("sshpass -p 'S3cr3tP4ss' scp out.csv etl@sftp.partner.com:/in/", "S3cr3tP4ss"),
    ("PGPASSWORD=S3cr3tP4ss psql -h db-prod -U etl -c 'select 1'", "S3cr3tP4ss"),
    ("java -Dspring.datasource.password=S3cr3tP4ss -Djavax.net.ssl.trustStorePassword=changeit -jar etl.jar",
     ("S3cr3tP4ss", "changeit")),
    ("docker login -u etl -p S3cr3tP4ss registry.example.com", "S3cr3tP4ss"),
    ("redis-cli -h cache-01 -a S3cr3tP4ss ping: NOAUTH", "S3cr3tP4ss"),
    ("mongodump --host mongo-01 -u backup -p S3cr3tP4ss --db runs", "S3cr3tP4ss"),
    ("ldapsearch -x -H ldap://ldap-01 -D cn=etl,dc=example,dc=com -w S3cr3tP4ss -b dc=example,dc=com", "S3cr3tP4ss"),
    ("smbclient //fs01/share -U etl%S3cr3tP4ss -c 'get a.csv'", "S3cr3tP4ss"),
    # connection strings
    ("jdbc:sqlserver://sql01:1433;databaseName=dwh;user=etl;password=S3cr3tP4ss;encrypt=true", "S3cr3tP4ss"),
    ("Driver={ODBC Driver 18 for SQL Server};Server=tcp:sql01,1433;Uid=etl;Pwd={S3c;r3tP4ss};Encrypt=yes",
     "S3c;r3tP4ss"),
    ("SqlException: Server=sql01;Database=dwh;User Id=etl;Password=S3cr3tP4ss;TrustServerCertificate=True",
     "S3cr3tP4ss"),
    ("sqlplus -s etl/S3cr3tP4ss@//ora01:1521/FIN @load.sql failed with ORA-01017", "S3cr3tP4ss"),
    ("jdbc:oracle:oci:etl/S3cr3tP4ss@ora01:1521/FIN", "S3cr3tP4ss"),
    ("expdp userid=system/S3cr3tP4ss@FIN directory=DP dumpfile=fin.dmp", "S3cr3tP4ss"),
    # .netrc and .pgpass
    ("netrc: machine api.heroku.com login etl@example.com password S3cr3tP4ss", "S3cr3tP4ss"),
    ("~/.netrc is\nmachine nexus.example.com\n  login deploy\n  password S3cr3tP4ss\n", "S3cr3tP4ss"),
    ('echo "db-prod.internal:5432:warehouse:etl:S3cr3tP4ss" >> ~/.pgpass', "S3cr3tP4ss"),
    ("pgpass line *:*:*:replicator:S3cr3tP4ss ignored: permissions 0644", "S3cr3tP4ss"),
    ("PGPASSFILE=/run/secrets/pgpass holds warehouse.internal:15432:dwh:loader:S3cr3tP4ss", "S3cr3tP4ss"),
    # YAML, INI, properties
    ("config dump:\ndatabase:\n  host: db-prod\n  password: S3cr3tP4ss\n  port: 5432", "S3cr3tP4ss"),
    ("[client]\nuser = etl\nsecret = S3cr3tP4ss\n", "S3cr3tP4ss"),
    ("application.properties: spring.datasource.password=S3cr3tP4ss", "S3cr3tP4ss"),
    ("client_secret: 'S3cr3tP4ss'", "S3cr3tP4ss"),
    # headers and webhooks
    ("407 from proxy, sent Proxy-Authorization: Basic ZXRsOlMzY3IzdFA0c3M=", "ZXRsOlMzY3IzdFA0c3M="),
    ("X-Auth-Token: S3cr3tP4ss", "S3cr3tP4ss"),
    ("Ocp-Apim-Subscription-Key: " + hexs(32) + " rejected by gateway", hexs(32)),
    ("POST https://acme.webhook.office.com/webhookb2/1f2e3d4c-aaaa-bbbb-cccc-0123456789ab@9a8b7c6d-1111-2222-3333"
     "-444455556666/IncomingWebhook/" + hexs(32) + "/5e6f7a8b-9999 returned 400",
     "1f2e3d4c-aaaa-bbbb-cccc-0123456789ab@9a8b7c6d-1111-2222-3333-444455556666/IncomingWebhook/" + hexs(32)
     + "/5e6f7a8b-9999"),
    ("https://discord.com/api/webhooks/112233445566778899/" + b62(68) + " returned 401", b62(68)),
    ("telegram: POST https://api.telegram.org/bot123456789:" + b62(35) + "/sendMessage 401", "123456789:" + b62(35)),
]

# Lines that look like they hold a secret and do not: they must come back unchanged.
LOOK_ALIKES = [
    "Deployed commit 3f786850e387550fdab836ed7e6dc881de23001b to prod (3f78685)",
    "run 5f2b8c1e-9d4a-4c7e-8b21-0a6e3f9d7c44 finished in 42 s",
    "Created MRAppMaster for application appattempt_1445144423722_0020_000001",
    "Spark application_1445144423722_0020 finished with state FAILED",
    "Container container_e17_1445144423722_0020_01_000012 killed by YARN for exceeding memory limits",
    "Committed offset 98231 for partition orders-12 (group etl-loader), lag 17",
    "orders:12:98231 committed",
    "payload eyJldmVudCI6ImNsaWNrIiwidXNlciI6NDJ9 dropped (schema mismatch)",
    "chunk 3/7: SGVsbG8gV29ybGQhIFRoaXMgaXMgYW4gb3JkaW5hcnkgcGF5bG9hZA== ok",
    "blob R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw+QAIzaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456 ok",
    "window 2026-11-23T10:15:00.123Z .. 2026-11-23 11:15:00,978 (UTC+01:00)",
    "wrote /data/warehouse/orders/dt=2026-11-23/part-00000-5f2b8c1e-9d4a.snappy.parquet",
    'FATAL:  password authentication failed for user "etl"',
    "Failed password for root from 1.2.3.4 port 22 ssh2",
    "token expired",
    "Access token expired at 2026-11-23T10:15:00Z, refreshing",
    "org.apache.hadoop.security.token.SecretManager$InvalidToken: token (HDFS_DELEGATION_TOKEN token 42) "
    "can't be found",
    "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403)",
    "read s3://dp-raw/events/2026/11/23/part-0001.parquet",
    "GET https://dp-raw.s3.eu-west-1.amazonaws.com/events/part-0001.parquet?versionId=3HL4kqtJlcpXroDTDmJ returned 404",
    "docker run -u 1000:1000 -p 8080:8080 etl:latest",
    "chown etl:etl /data && ssh -p 2222 etl@sftp.example.com",
    "curl -sS https://api.example.com/health returned 200",
    "mysql -u etl -p warehouse < load.sql",
    "psql -h db-prod -p 5432 -U etl -d warehouse",
    "Login successful for user hdfs/nn1.example.com@EXAMPLE.COM using keytab /etc/security/keytabs/hdfs.keytab",
    "ZooKeeper session 0x14f05578bf40006 established, sessionid:0x14f05578bf40006",
    "PacketResponder 1 for block blk_-1608999687919862906 terminating",
    "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1 status: 200",
    "MAC 00:11:22:33:44:55 link up, IPv6 fe80:0:0:0:200:f8ff:fe21:67cf",
    'interface {"mac": "13:10:de:ad:be:ef", "ip": "2001:db8:85a3:0:0:8a2e:370:7334"}',
    "12:30:45:123 worker-3 started",
    "Running task-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7 on executor 3 (sk-learn 1.5)",
    "SKU SK-1234 out of stock; disk_live_test_01 mounted",
    "spark.authenticate.secret.file=/etc/spark/secret loaded",
    "ProducerRecord(topic=orders, partition=3, key=order-42, value=null)",
    "max_tokens=4096 passed=12 failed=0 bypass_cache=true",
    "publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "Signature verification failed for message 42; design signal",
    "Using default password policy for machine learning jobs",
    "image sha256:9b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c pulled",
    "machine check: i-fetch......................0",
    "ciod: LOGIN chdir(/home/germann2/BGL-demo) failed: No such file or directory",
    "Kafka SASL mechanism PLAIN, credentials from /etc/kafka/jaas.conf",
    "The secret key must be 32 bytes",
    "see ~/.netrc and ~/.pgpass for the credentials file format",
    "author=jdoe, application=etl, license=MIT",
    "sqlplus / as sysdba",
    "Exception in thread main: java.lang.IllegalStateException at Foo.java:42:17",
    "load_orders.py:123:INFO:main:started (pid 4242)",
]


def expected_redaction(text: str, secrets) -> str:
    for secret in sorted((secrets,) if isinstance(secrets, str) else secrets, key=len, reverse=True):
        assert secret in text
        text = text.replace(secret, MARKER)
    return text


def sample_id(sample) -> str:
    text = sample[0] if isinstance(sample, tuple) else sample
    return text[:40]


def test_sample_tables_are_large_enough():
    assert len(SECRETS) >= 40 and len(LOOK_ALIKES) >= 40


@pytest.mark.parametrize(("text", "secrets"), SECRETS, ids=[sample_id(s) for s in SECRETS])
def test_secret_families(text, secrets):
    out = redact(text)
    for secret in (secrets,) if isinstance(secrets, str) else secrets:
        assert secret not in out
    assert out == expected_redaction(text, secrets)
    assert redact(out) == out, "idempotent"


@pytest.mark.parametrize("text", LOOK_ALIKES, ids=[sample_id(s) for s in LOOK_ALIKES])
def test_look_alikes_stay_intact(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "ExpiredToken: The security token included in the request is expired",
        "org.apache.hadoop.security.token.SecretManager$InvalidToken: token (HDFS_DELEGATION_TOKEN token 42) "
        "can't be found in cache",
        "InvalidPassword: Password does not meet the policy",
    ],
)
def test_error_names_ending_in_a_key_word_are_not_credentials(text):
    assert redact(text) == text


def test_pascal_case_credential_fields_are_still_redacted():
    assert redact("SessionToken: FQoDYXdzEJr123") == "SessionToken: [REDACTED]"
    assert redact("InvalidToken: x; password=hunter2") == "InvalidToken: x; password=[REDACTED]"


def test_several_families_in_one_record():
    text = (
        "sync failed: curl -u etl:Pw1 https://h/x; OPENAI_API_KEY=" + OPENAI_KEY
        + " machine h login u password Pw2 " + GITLAB_PAT + " db:5432:dwh:etl:Pw3"
    )
    out = redact(text)
    for secret in ("Pw1", OPENAI_KEY, "Pw2", GITLAB_PAT, "Pw3"):
        assert secret not in out
    assert out == (
        "sync failed: curl -u etl:[REDACTED] https://h/x; OPENAI_API_KEY=[REDACTED]"
        " machine h login u password [REDACTED] [REDACTED] db:5432:dwh:etl:[REDACTED]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "machine h login " * 5_000,
        "a:5432:db:" * 5_000,
        "x:12:a:b:" * 5_000 + "!",
        "x:12:a:b:c " * 4_000,
        "curl -u " * 6_000,
        "curl" + " -ua" * 12_000,
        "sshpass " * 6_000 + "-p",
        "mongo -u x " * 5_000,
        "sqlplus a/" * 5_000,
        "sk-" + "a" * 19 + " " * 2 + "sk-proj-" * 5_000,
        "AccountKey=" * 5_000,
        "?sig=&sig=" * 5_000,
        "abc8Q~" * 8_000,
        "-p" * 25_000 + " mysql",
        "Pwd={" * 10_000,
        "glpat-" + "a" * 50_000,
        ("SK" + "0" * 31 + " ") * 1_500,
        "InvalidToken: " * 4_000,
    ],
    ids=lambda t: repr(t[:16]),
)
def test_new_rules_stay_linear_on_hostile_input(text):
    assert len(text) >= 40_000
    started = time.perf_counter()
    out = redact(text)
    assert time.perf_counter() - started < 0.5  # quadratic would take seconds
    assert redact(out) == out
