"""Remove secrets from text before it is stored, embedded or shown.

Runs on every record at ingest, so each rule is guarded by a cheap substring
test and no pattern nests quantifiers (50 KB stack traces must stay linear).
Only the secret value is replaced: the key, scheme, user and host stay, so
the message still reads well and the same error keeps the same shape.
Redacting twice gives the same text as redacting once.

Where the rules come from. The token formats (the prefix, alphabet and length
of each vendor's keys) are adapted from gitleaks' rule set, config/gitleaks.toml
at gitleaks/gitleaks@b58d3f1 (MIT licence, Copyright (c) 2019 Zachary Rice),
cross-checked against detect-secrets 1.5 plugins (Apache-2.0, Yelp). gitleaks
matches with Go's RE2 and reports the whole match; here each rule is rewritten
for Python's backtracking engine (no nested quantifiers, a literal prefix or a
substring guard), keeps the text around the secret, and is a little looser on
length where the prefix alone is distinctive, so that a cut or newer key is
still caught. Rules marked "flowrag" have no gitleaks counterpart.
"""
from __future__ import annotations

import re

MARKER = "[REDACTED]"


def _any_of(needles) -> re.Pattern:
    """A pattern that finds any of `needles`, for guarding many rules at once.

    The needles are grouped by first character: the engine then skips through
    the text to the characters that start one and tests only that group, which
    is several times faster than one `in` per needle (and than a flat
    alternation) once there are more than a handful of needles.
    """
    groups: dict[str, list[str]] = {}
    for needle in dict.fromkeys(needles):
        groups.setdefault(needle[0], []).append(re.escape(needle[1:]))
    return re.compile("|".join(
        re.escape(first) + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")"
        for first, rests in groups.items()
    ))


# Whole PEM blocks; a truncated block (no END line, e.g. a cut log line) is
# redacted through the end of its base64 body so no key material survives.
_PEM = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
    r"(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:-]*)",
    re.DOTALL,
)

# user:password@ after any "scheme://". Anchored on "://" rather than on the
# scheme so the engine never scans every word looking for one. The password
# runs greedily to the last "@" before the path, so an unescaped "@" inside it
# cannot leak its tail.
_URI_PASSWORD = re.compile(r"(://[^\s:/@?#\[\]]*:)[^\s/?#]+@")
# Oracle JDBC carries credentials as user/password@host (thin and OCI drivers).
_ORACLE_JDBC = re.compile(r"(?i)(:(?:thin|oci8?):[^\s/@:]*/)[^\s@]+@")
# Oracle tools take user/password[@db] as an argument (flowrag): sqlplus,
# sqlldr, expdp/impdp, rman, dgmgrl, and userid= in their parameter files.
# Only after one of these words: service/host@REALM is a Kerberos principal.
_ORACLE_TOOL = re.compile(
    r"(?i)((?:\b(?:sqlplus|sqlldr|expdp|impdp|rman|dgmgrl)(?:[ \t]+-[a-z]+)?"
    r"[ \t]+(?:target[ \t]+)?|\buserid[ \t]*=[ \t]*)[\"']?[\w$#.]+/)"
    r"([^\s\"'@/][^\s\"']*(?=@)|[^\s\"'@/]+)"
)
_ORACLE_HINTS = ("sqlplus", "sqlldr", "expdp", "impdp", "rman", "dgmgrl", "userid")

# ---------------------------------------------------------------- vendor tokens
# A token whose prefix names its vendor is a secret as a whole: it is replaced
# whole. Each entry: (substrings of which one must be present, pattern).
# The patterns start on a literal prefix, so the engine skips straight to it.
_W = r"(?![\w-])"  # the token ends here: not inside a longer identifier
_TOKEN_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    # AWS STS session tokens (flowrag: the base64 of their fixed protobuf header).
    (("IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE", "FQoGZXIvYXdzE"),
     r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9/+]{16,}={0,2}"),
    # gitleaks aws-amazon-bedrock-api-key-long-lived
    (("ABSK",), r"\bABSK[A-Za-z0-9+/]{100,}={0,2}"),
    # gitleaks gcp-api-key: exactly 39 characters.
    (("AIza",), r"\bAIza[\w-]{35}" + _W),
    # Google OAuth access tokens (flowrag).
    (("ya29.",), r"\bya29\.[\w-]{20,}"),
    # gitleaks openai-api-key (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-…T3BlbkFJ…)
    # and anthropic-api-key / anthropic-admin-api-key (sk-ant-api03-, sk-ant-admin01-).
    (("sk-",), r"\bsk-(?:ant-[a-z]{2,8}\d{0,3}-|proj-|svcacct-|admin-)[\w-]{20,}|\bsk-[A-Za-z0-9]{32,}" + _W),
    # gitleaks stripe-access-token (sk_/rk_), plus publishable pk_ keys and
    # webhook signing secrets whsec_ (flowrag).
    (("_live_", "_test_", "_prod_", "whsec_"),
     r"\b(?:[srp]k_(?:live|test|prod)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{24,})"),
    # gitleaks sendgrid-api-token / detect-secrets SendGridDetector: SG.<22>.<43>
    (("SG.",), r"\bSG\.[\w-]{16,32}\.[\w-]{16,64}"),
    # gitleaks twilio-api-key (API key SIDs).
    (("SK",), r"\bSK[0-9a-fA-F]{32}\b"),
    # gitleaks npm-access-token
    (("npm_",), r"\bnpm_[A-Za-z0-9]{36}\b"),
    # gitleaks pypi-upload-token (pypi.org and test.pypi.org macaroons start "pypi-AgE")
    (("pypi-AgE",), r"\bpypi-AgE[\w-]{50,}"),
    # gitleaks huggingface-access-token / huggingface-organization-api-token
    (("hf_", "api_org_"), r"\b(?:hf|api_org)_[A-Za-z0-9]{30,}\b"),
    # gitleaks github-* rules
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
     r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"),
    # gitleaks gitlab-* rules: personal, deploy, runner, pipeline-trigger, feed,
    # SCIM, CI job, incoming-mail, agent, OAuth-app and feature-flag tokens,
    # routable forms (ending ".01.xxxxxxx"), runner registration tokens.
    (("glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "glcbt-", "glimt-", "glagent-", "gloas-",
      "glffct-", "GR1348941"),
     r"\b(?:gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent|oas|ffct)-|GR1348941)[\w-]{20,}(?:\.[0-9a-z]{2}\.?[0-9a-z]{7})?"),
    # gitleaks gitlab-session-cookie: the cookie's name stays.
    (("_gitlab_session=",), r"(?<=_gitlab_session=)[0-9a-z]{32}\b"),
    # gitleaks grafana-cloud-api-token / grafana-service-account-token
    (("glc_", "glsa_"), r"\b(?:glc_[A-Za-z0-9+/]{32,}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})"),
    # gitleaks databricks-api-token
    (("dapi",), r"\bdapi[a-f0-9]{32}(?:-\d)?\b"),
    # gitleaks digitalocean-* rules
    (("_v1_",), r"\bdo[opr]_v1_[a-f0-9]{64}\b"),
    # gitleaks vault-service-token / vault-batch-token (current hvs./hvb. forms)
    (("hvs.", "hvb."), r"\bhv[sb]\.[\w-]{90,}"),
    # gitleaks shopify-* rules
    (("shpat_", "shpca_", "shppa_", "shpss_"), r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
    # gitleaks sentry-user-token / sentry-org-token
    (("sntryu_", "sntrys_"), r"\bsntry[us]_[A-Za-z0-9+/=_]{40,}"),
    # gitleaks postman-api-token, pulumi-api-token, linear-api-key, notion-api-token
    (("PMAK-",), r"\bPMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}\b"),
    (("pul-",), r"\bpul-[a-f0-9]{40}\b"),
    (("lin_api_",), r"\blin_api_[A-Za-z0-9]{40}\b"),
    (("ntn_",), r"\bntn_[0-9]{11}[A-Za-z0-9]{35}\b"),
    # gitleaks doppler-api-token (and its other dp.*. kinds), dynatrace-api-token
    (("dp.",), r"\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}"),
    (("dt0c01.",), r"\bdt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}\b"),
    # gitleaks age-secret-key, atlassian-api-token (ATATT3), heroku-api-key-v2
    (("AGE-SECRET-KEY-1",), r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
    (("ATATT3",), r"\bATATT3[\w=-]{100,}"),
    (("HRKU-AA",), r"\bHRKU-AA[\w-]{58}"),
    # gitleaks new-relic-* rules (user API, insert, browser keys) and license keys ending NRAL.
    (("NRAK-", "NRII-", "NRJS-", "NRAL"), r"\bNR(?:AK|II|JS)-[A-Za-z0-9-]{19,}|\b[0-9a-fA-F]{36}NRAL\b"),
    # gitleaks azure-ad-client-secret: "xxx8Q~…" app registration secrets.
    (("Q~",), r"(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])"),
    # Slack tokens: bot, user, app-level, workspace, refresh, config, legacy
    # (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-, xoxe-, xoxe.xoxp-, xapp-).
    (("xox", "xapp-"), r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{6,}"),
    # JWTs (three base64url segments, the first two JSON objects).
    (("eyJ",), r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
)
_TOKENS = tuple((hints, re.compile(pattern)) for hints, pattern in _TOKEN_RULES)

# gitleaks aws-access-token, plus the IAM unique-id prefixes.
_AWS_PREFIXES = ("AKIA", "ASIA", "ABIA", "ACCA", "A3T", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA")
_AWS_KEY_ID = re.compile(
    r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9]|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"
    # A secret key written right after its id (CSV exports, "id:secret").
    r"(?:([\s,;:|\"'=]{1,5})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))?"
)

# Webhook URLs: the path after the service's fixed part is the secret.
_WEBHOOK = re.compile(
    r"(hooks\.slack\.com/(?:services|workflows|triggers)/"  # gitleaks slack-webhook-url
    r"|discord(?:app)?\.com/api/webhooks/\d+/"  # gitleaks discord rules; the channel id stays
    r"|\.webhook\.office\.com/webhookb2/)"  # gitleaks microsoft-teams-webhook
    r"[A-Za-z0-9/_@-]+"
    r"|(api\.telegram\.org/bot)\d+:[\w-]+"  # gitleaks telegram-bot-api-token; the method stays
)
_WEBHOOK_HINTS = ("hooks.slack.com", "/api/webhooks/", "webhook.office.com", "api.telegram.org/bot")

# Mailgun keys are "key-" + 32 characters, which only names a vendor next to
# the word mailgun (gitleaks mailgun-private-api-token, -pub-key, -signing-key;
# the older keys are not all hex).
_MAILGUN = re.compile(r"\b(?:(?:pub)?key-[0-9a-z]{32}|[0-9a-h]{32}-[0-9a-h]{8}-[0-9a-h]{8})\b")

# The whole value of an Authorization header, whatever the scheme.
_AUTH_HEADER = re.compile(
    r"(?i)(authorization[\"']?[ \t]*[:=][ \t]*[\"']?)"
    r"(?:(bearer|basic|token|digest|negotiate|apikey)[ \t]+)?[^\s\"',;]+"
)
# "Bearer"/"Basic" outside a header are also ordinary English words, so the
# value is only treated as a credential when it looks like one (see below).
_BARE_AUTH = re.compile(r"\b(?i:(bearer|basic))[ \t]+([A-Za-z0-9._~+/-]{8,}=*)")
_CREDENTIAL_HINT = re.compile(r"[0-9+/=]|[a-z][A-Z]")

# ---------------------------------------------------------------- key = value
# Names whose value is a secret. No left word boundary, so db_password,
# PGPASSWORD, keyPassword, client_secret, access_token, AccountKey,
# Ocp-Apim-Subscription-Key all match; the right side must not continue with a
# letter/digit, so "tokens:" or "tokenizer=" do not. Only the value after "="
# or ":" is secret: "password authentication failed" and "Failed password for
# root" stay as they are. A bare "key" is no secret name (Kafka's key=null).
# The names are grouped by first letter: the engine tries the alternatives at
# every position, and one failed letter test skips a whole group.
_KEY_NAMES = ("api", "app", "application", "access", "account", "auth", "encryption", "license", "master",
              "private", "signing", "storage", "subscription", "insert")  # each followed by "key"
_KEY = (
    r"(?:p(?:assw(?:or)?d|wd|assphrase|rivate[_-]?key(?:[_-]?id)?)"
    r"|s(?:ecret|igning[_-]?key|torage[_-]?key|ubscription[_-]?key)"
    r"|token"
    r"|a(?:pi|pp(?:lication)?|cc(?:ess|ount)|uth)[_-]?key"
    r"|(?:encryption|license|master|insert)[_-]?key)"
    r"(?:[_.-]?(?:access[_-]?)?key|[_.-]?value)?(?![A-Za-z0-9])"
)
_VALUE = (
    r"(?:\"(?:[^\"\\\n]|\\.)+\""  # "value" (JSON, with escapes)
    r"|'[^'\n]+'"  # 'value'
    r"|\\\"[^\"\n]*?\\\""  # \"value\" (JSON embedded in a JSON string)
    r"|\{[^{}\n]{0,256}\}"  # {value} (ODBC quoting: PWD={a;b}); bounded, "{" never closes itself
    r"|[^\s,;&\"'<>:][^\s,;&\"'<>]*)"  # bare value, up to a delimiter
)
# Not after a slash or backslash: "/etc/passwd: Permission denied" names a file.
_KEY_VALUE = re.compile(
    r"(?i)((?<![/\\])" + _KEY + r"(?:\\?[\"'])?[ \t]*(?:=>?|:)[ \t]*)(" + _VALUE + r")"
)
# "--" must open the flag: in a "-------" ruler every later "--" would rescan.
_CLI_FLAG = re.compile(
    r"(?i)(--(?<![\w-]--)[\w.-]{0,40}?" + _KEY + r"[ \t]+)(\"[^\"\n]+\"|'[^'\n]+'|[^\s\"'-]\S*)"
)
_XML_ELEMENT = re.compile(r"(?i)(<[\w.:-]{0,40}?" + _KEY + r"[^>\n]*>)[^<]+(?=</)")
_KEY_WORDS = ("pass", "pwd", "secret", "token") + tuple(
    name + sep + "key" for name in _KEY_NAMES for sep in ("", "_", "-")
)
_KEY_HINT = _any_of(_KEY_WORDS)

# Signed URLs: S3 and GCS V4 signatures, V2 and CloudFront "Signature=", Azure
# SAS "sig=" (gitleaks has no rule for these; flowrag). The parameter's name
# stays; X-Amz-Credential keeps its date/region scope once its key id is gone.
_QUERY_SIGNATURE = re.compile(
    r"(?i)([?&;](?:x-amz-signature|x-goog-signature|signature|sig)=)[\w%+/=~.-]+"
)

# ---------------------------------------------------------------- command lines
_CLI_VALUE = r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'-][^\s\"']*)"
# curl -u/--user user:password, -U/--proxy-user (gitleaks curl-auth-user); the
# user stays. Only where curl is named: "docker run -u 1000:1000" is a uid.
_CURL_USER = re.compile(
    r"(?<![\w-])(-[uU][ \t]*|--(?:proxy-)?user(?:[ \t]+|=))"
    r"(?:\"([^\"\n:]*:)[^\"\n]+\"|'([^'\n:]*:)[^'\n]+'|([^\s:\"']*:)[^\s\"']+)"
)
# mysql/mysqldump/mariadb -pPASSWORD: attached to the flag (a spaced "-p db"
# prompts, and the word after it is the database). -P is the port.
_MYSQL_P = re.compile(r"(?<![\w-])(-p)" + _CLI_VALUE)
# Tools whose short flag takes the password as the next word (flowrag):
# sshpass -p, mongo* -p, docker/podman/helm registry login -p, redis-cli -a,
# ldapsearch & co -w, smbclient -U user%password.
# Tool names in any case, flags as written (ldapsearch -W and sshpass -P mean
# something else). The run up to the flag is bounded, so a long line full of
# tool names stays linear.
_TOOL_PASSWORD = re.compile(
    r"(\b(?i:sshpass|mongo(?:sh|dump|restore|export|import|stat|top|files)?"
    r"|(?:docker|podman|buildah|nerdctl|helm(?:[ \t]+registry)?)[ \t]+login)\b[^\n]{0,200}?[ \t]-p[ \t]*"
    r"|\b(?i:redis-cli)\b[^\n]{0,200}?[ \t]-a[ \t]+"
    r"|\b(?i:ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn))\b[^\n]{0,200}?[ \t]-w[ \t]+"
    r"|\b(?i:smbclient|rpcclient|smbmap)\b[^\n]{0,200}?[ \t](?:-U|--user(?:name)?)[ \t=]+[^\s%]+%)"
    + _CLI_VALUE
)
_TOOL_HINTS = ("sshpass", "mongo", "docker", "podman", "buildah", "nerdctl", "helm", "redis-cli", "ldap",
               "smbclient", "rpcclient", "smbmap")
_CLI_WORDS = ("curl", "mysql", "mariadb") + _TOOL_HINTS + _ORACLE_HINTS
_CLI_HINT = _any_of(_CLI_WORDS)

# .netrc: machine HOST login USER password PASS (also "default", "account"),
# on one line or several. A login/account must come first, so that prose such
# as "default password for user etl" keeps its words.
_NETRC = re.compile(
    r"(?i)(\b(?:machine\s+[^\s\"']+|default)"
    r"\s+(?:login|account)\s+[^\s\"']+(?:\s+(?:login|account)\s+[^\s\"']+)?"
    r"\s+password\s+)([^\s\"']+)"
)
# .pgpass: host:port:database:user:password (flowrag). The database and the
# user start with a letter or "_" (or are "*"), and the host starts its word,
# not after ":": clock times, IPv6 and MAC addresses never fit. The port is a
# PostgreSQL one (5432-5439, 6432 for PgBouncer, 26257 for CockroachDB) or
# "*", any other only where the text names pgpass: "app.py:123:INFO:main:ok"
# is a log format. The pattern starts on the literal ":" so the engine jumps
# from colon to colon; the host is checked only for a candidate.
_PGPASS = re.compile(
    r"(:(\d{3,5}|\*):(?:[A-Za-z_][\w$.-]*|\*):(?:[A-Za-z_][\w$.@-]*|\*):)[^\s\"':][^\s\"']*"
)
_PGPASS_HOST = re.compile(r"(?:^|[^\w.:*/\\-])(?:[A-Za-z0-9][\w.-]*|\*)\Z")
_PGPASS_PORTS = frozenset(("*", "6432", "26257", *(str(port) for port in range(5432, 5440))))

# What the vendor-token rules need in the text as written, and what every rule
# on lowered text needs: most messages have neither, and pay two scans.
_TOKEN_HINT = _any_of(_AWS_PREFIXES + _WEBHOOK_HINTS + tuple(hint for hints, _ in _TOKEN_RULES for hint in hints))
_LOWER_HINT = _any_of(
    _KEY_WORDS + _CLI_WORDS + ("mailgun", ":thin:", ":oci", "authorization", "bearer", "basic", "sig")
)


def _quoted_marker(match: re.Match) -> str:
    value = match.group(2)
    if value.startswith('\\"'):
        return match.group(1) + '\\"' + MARKER + '\\"'
    if value[0] in "\"'":
        return match.group(1) + value[0] + MARKER + value[0]
    if value[0] == "{":
        return match.group(1) + "{" + MARKER + "}"
    return match.group(1) + MARKER


# "ExpiredToken: The security token included in the request is expired" (AWS)
# and "SecretManager$InvalidToken: token (...) can't be found" (Hadoop) name an
# error, not a credential: the word after them is prose.
_ERROR_NAME = re.compile(r"(?:Invalid|Expired|Missing|Revoked|Unknown|Incorrect|Wrong|Bad|Empty|Null)\Z")


def _key_value_marker(match: re.Match) -> str:
    start = match.start()
    if match.string[start].isupper() and _ERROR_NAME.search(match.string, max(0, start - 9), start):
        return match.group(0)
    return _quoted_marker(match)


def _curl_marker(match: re.Match) -> str:
    flag, dq_user, sq_user, user = match.groups()
    if dq_user is not None:
        return f'{flag}"{dq_user}{MARKER}"'
    if sq_user is not None:
        return f"{flag}'{sq_user}{MARKER}'"
    return flag + user + MARKER


def _pgpass_marker(match: re.Match) -> str:
    text, start = match.string, match.start()
    if _PGPASS_HOST.search(text[max(0, start - 255):start]) is None:
        return match.group(0)
    if match.group(2) not in _PGPASS_PORTS and "pgpass" not in text.lower():
        return match.group(0)
    return match.group(1) + MARKER


def _webhook_marker(match: re.Match) -> str:
    return (match.group(1) or match.group(2)) + MARKER


def _aws_marker(match: re.Match) -> str:
    sep = match.group(1)
    return MARKER if sep is None else MARKER + sep + MARKER


def _auth_marker(match: re.Match) -> str:
    scheme = match.group(2)
    return match.group(1) + (scheme + " " if scheme else "") + MARKER


def _bare_auth_marker(match: re.Match) -> str:
    # "Basic authentication failed" keeps its word; "Basic dXNlcjpwYXNz" does not.
    if _CREDENTIAL_HINT.search(match.group(2)) is None:
        return match.group(0)
    return match.group(1) + " " + MARKER


def _has_any(haystack: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:
        if needle in haystack:
            return True
    return False


def redact(text: str) -> str:
    """Return `text` with passwords, tokens, keys and credentials replaced by MARKER."""
    if not text:
        return text
    # Most records hold no secret: each test below is a C-speed substring scan,
    # and a regex only runs when its rule can possibly match.
    if "PRIVATE KEY" in text:
        text = _PEM.sub(MARKER, text)
    if "://" in text and "@" in text:
        text = _URI_PASSWORD.sub(r"\1" + MARKER + "@", text)
    if _TOKEN_HINT.search(text):  # one pass over all vendor prefixes, then rule by rule
        if _has_any(text, _AWS_PREFIXES):
            text = _AWS_KEY_ID.sub(_aws_marker, text)
        if _has_any(text, _WEBHOOK_HINTS):
            text = _WEBHOOK.sub(_webhook_marker, text)
        for hints, pattern in _TOKENS:
            if _has_any(text, hints):
                text = pattern.sub(MARKER, text)
    if text.count(":") >= 4:
        text = _PGPASS.sub(_pgpass_marker, text)
    lowered = text.lower()
    if not _LOWER_HINT.search(lowered):  # one pass over every rule's words below
        return text
    if "mailgun" in lowered:
        text = _MAILGUN.sub(MARKER, text)
    if ":thin:" in lowered or ":oci" in lowered:
        text = _ORACLE_JDBC.sub(r"\1" + MARKER + "@", text)
    if "authorization" in lowered:
        text = _AUTH_HEADER.sub(_auth_marker, text)
    if "bearer" in lowered or "basic" in lowered:
        text = _BARE_AUTH.sub(_bare_auth_marker, text)
    if "sig" in lowered:
        text = _QUERY_SIGNATURE.sub(r"\1" + MARKER, text)
    if _CLI_HINT.search(lowered):  # one pass over the tool names, then tool by tool
        if "curl" in lowered:
            text = _CURL_USER.sub(_curl_marker, text)
        if "mysql" in lowered or "mariadb" in lowered:
            text = _MYSQL_P.sub(_quoted_marker, text)
        if _has_any(lowered, _TOOL_HINTS):
            text = _TOOL_PASSWORD.sub(_quoted_marker, text)
        if _has_any(lowered, _ORACLE_HINTS):
            text = _ORACLE_TOOL.sub(r"\1" + MARKER, text)
    if "password" in lowered and ("machine" in lowered or "default" in lowered):
        text = _NETRC.sub(r"\1" + MARKER, text)
    if _KEY_HINT.search(lowered):
        text = _KEY_VALUE.sub(_key_value_marker, text)
        if "--" in text:
            text = _CLI_FLAG.sub(_quoted_marker, text)
        if "</" in text:
            text = _XML_ELEMENT.sub(r"\1" + MARKER, text)
    return text
