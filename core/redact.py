"""Remove secrets from text before it is stored, embedded or shown.

Runs on every record at ingest, so each rule is guarded by a cheap substring
test and no pattern nests quantifiers (50 KB stack traces must stay linear).
Only the secret value is replaced: the key, scheme, user and host stay, so
the message still reads well and the same error keeps the same shape.
Redacting twice gives the same text as redacting once.
"""
from __future__ import annotations

import re

MARKER = "[REDACTED]"

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
# Oracle thin JDBC carries credentials as user/password@host.
_ORACLE_THIN = re.compile(r"(?i)(:thin:[^\s/@:]*/)[^\s@]+@")

_AWS_KEY_ID = re.compile(
    r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"
    # A secret key written right after its id (CSV exports, "id:secret").
    r"(?:([\s,;:|\"'=]{1,5})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))?"
)
_SLACK_TOKEN = re.compile(r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]{6,}")
_SLACK_WEBHOOK = re.compile(
    r"(hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+"
)
_GITHUB_TOKEN = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")

# The whole value of an Authorization header, whatever the scheme.
_AUTH_HEADER = re.compile(
    r"(?i)(authorization[\"']?[ \t]*[:=][ \t]*[\"']?)"
    r"(?:(bearer|basic|token|digest|negotiate|apikey)[ \t]+)?[^\s\"',;]+"
)
# "Bearer"/"Basic" outside a header are also ordinary English words, so the
# value is only treated as a credential when it looks like one (see below).
_BARE_AUTH = re.compile(r"\b(?i:(bearer|basic))[ \t]+([A-Za-z0-9._~+/-]{8,}=*)")
_CREDENTIAL_HINT = re.compile(r"[0-9+/=]|[a-z][A-Z]")

# Names whose value is a secret. No left word boundary, so db_password,
# PGPASSWORD, keyPassword, client_secret, access_token all match; the right
# side must not continue with a letter/digit, so "tokens:" or "tokenizer=" do
# not. Only the value after "=" or ":" is secret: "password authentication
# failed" and "Failed password for root" stay as they are.
_KEY = (
    r"(?:passw(?:or)?d|pwd|passphrase|secret|token|api[_-]?key)"
    r"(?:[_.-]?(?:access[_-]?)?key|[_.-]?value)?(?![A-Za-z0-9])"
)
_VALUE = (
    r"(?:\"(?:[^\"\\\n]|\\.)+\""  # "value" (JSON, with escapes)
    r"|'[^'\n]+'"  # 'value'
    r"|\\\"[^\"\n]*?\\\""  # \"value\" (JSON embedded in a JSON string)
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

_KEY_HINTS = ("pass", "pwd", "secret", "token", "api_key", "apikey", "api-key")


def _quoted_marker(match: re.Match) -> str:
    value = match.group(2)
    if value.startswith('\\"'):
        return match.group(1) + '\\"' + MARKER + '\\"'
    if value[0] in "\"'":
        return match.group(1) + value[0] + MARKER + value[0]
    return match.group(1) + MARKER


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


_AWS_PREFIXES = ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA")
_GITHUB_HINTS = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")


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
    if _has_any(text, _AWS_PREFIXES):
        text = _AWS_KEY_ID.sub(_aws_marker, text)
    if "hooks.slack.com" in text:
        text = _SLACK_WEBHOOK.sub(r"\1" + MARKER, text)
    if "xox" in text or "xapp-" in text:
        text = _SLACK_TOKEN.sub(MARKER, text)
    if _has_any(text, _GITHUB_HINTS):
        text = _GITHUB_TOKEN.sub(MARKER, text)
    if "eyJ" in text:
        text = _JWT.sub(MARKER, text)
    lowered = text.lower()
    if ":thin:" in lowered:
        text = _ORACLE_THIN.sub(r"\1" + MARKER + "@", text)
    if "authorization" in lowered:
        text = _AUTH_HEADER.sub(_auth_marker, text)
    if "bearer" in lowered or "basic" in lowered:
        text = _BARE_AUTH.sub(_bare_auth_marker, text)
    if _has_any(lowered, _KEY_HINTS):
        text = _KEY_VALUE.sub(_quoted_marker, text)
        if "--" in text:
            text = _CLI_FLAG.sub(_quoted_marker, text)
        if "</" in text:
            text = _XML_ELEMENT.sub(r"\1" + MARKER, text)
    return text
