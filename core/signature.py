"""Group runs of the same error under one signature.

The index embeds each distinct signature once, so embedding cost follows the
number of distinct errors, not the number of runs. A signature is the message
with its variable parts (numbers, ids, hashes, addresses, paths, timestamps,
quoted values) masked and whitespace collapsed; the words stay, so different
errors keep different signatures.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

MAX_SIGNATURE_CHARS = 1000
NO_MESSAGE = "(no message)"  # the signature of runs that carry no message

# Patterns begin with a character class and check what precedes their first
# character with a lookbehind placed after it: a leading \b or lookbehind would
# stop the regex engine from skipping quickly to candidate positions.
_HEX_CHAR = "[0-9a-fA-F]"
_URL = re.compile(r"[A-Za-z](?<![\w+.-][A-Za-z])[\w+.-]*://[^\s\"'<>()\[\]{}|\\^`]+")
_PATH = re.compile(r"/(?<![\w/.<>]/)[\w.~+@%=-][^\s\"'<>:,;()\[\]{}]*")
_WINDOWS_PATH = re.compile(r"\b[A-Za-z]:\\[^\s\"'<>]+")
_EMAIL = re.compile(r"[\w.+-](?<![\w.+-][\w.+-])[\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")
# A quoted token without spaces is a value (table, column, user, file);
# quoted prose stays, as do JSON keys (a quoted token followed by ":").
_QUOTED = re.compile(
    r"'(?<![\w\\]')[^'\s]{1,200}'(?![\w'])|\"(?<![\w\\]\")[^\"\s]{1,200}\"(?![\w\"]|\s*:)"
)
_TS_NUMERIC = re.compile(
    r"\d(?<![\w.]\d)(?:"
    # 2026-11-23T14:05:09.123Z, 2026/11/23 14:05:09,123, 2005.06.03-15.42.50.675872
    r"\d{3}[-/.]\d{2}[-/.]\d{2}"
    r"(?:[T -]\d{2}[:.]\d{2}(?:[:.]\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2}\b)?)?"
    # 14:05:09,123
    r"|\d?:\d{2}:\d{2}(?:[.,]\d+)?\b"
    # 17/06/09 20:10:40, 23/11/2026
    r"|\d/\d{2}/\d{2,4}(?: \d{2}:\d{2}(?::\d{2})?)?"
    r")"
)
# Dec 10 06:55:46, Sun Dec 04 04:47:44 2005, Tue Aug 2 13:01:02 PDT 2005.
# The weekday is folded in afterwards: an optional leading group would cost
# the month pattern its fast scan.
_TS_MONTH = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? (?:\d{4} )?"
    r"\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?: [A-Z]{3,4})?(?: \d{4}\b)?"
)
_TS_WEEKDAY = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? <TS>")
_UUID = re.compile(
    _HEX_CHAR + r"(?<![\w-]" + _HEX_CHAR + r")" + _HEX_CHAR + r"{7}-"
    + _HEX_CHAR + r"{4}-" + _HEX_CHAR + r"{4}-" + _HEX_CHAR + r"{4}-" + _HEX_CHAR + r"{12}\b"
)
_MAC = re.compile(r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5,}\b")
_IPV4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])")
# Full form, or compressed with "::", so "a:b" in prose never matches.
_IPV6 = re.compile(
    r"(?<![\w:.])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
    r"|(?:[0-9a-fA-F]{1,4}:){1,6}(?::[0-9a-fA-F]{1,4}){1,6}"
    r"|::(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})(?![\w:])"
)
# Account names vary between runs of the same authentication error.
_USER = re.compile(r"(?i)\b((?:for|invalid) user[ \t]+|user(?:name)?=)[^\s,;'\"<>]+")
_HEX_LITERAL = re.compile(r"0[xX][0-9a-fA-F]+\b")
# Hashes, object ids, request ids: 8+ hex chars with both a digit and a
# letter (decided in _hex_marker), so words like "accepted" and plain numbers
# are left alone.
_HEX_RUN = re.compile(_HEX_CHAR + r"(?<!\w" + _HEX_CHAR + r")" + _HEX_CHAR + r"{7,}\b")
# A sign is part of the value: blk_-123 and blk_123, "boot = -3" and "boot = 3"
# are the same message.
_NEGATIVE = re.compile(r"-(?<=[\s=(\[:,_]-)(?=\d)")
# Every digit run not glued to a letter before it: job_20261123_0042,
# part-00042, 512MB, Foo.java:42 lose their numbers while log4j, s3a and x86
# keep theirs. Error codes such as ORA-00942 are kept: they name the error.
_NUMBER = re.compile(r"\d(?<![A-Za-z0-9]\d)(?<![A-Z][A-Z]-\d)\d*(?:[.,]\d+)*")


def _hex_marker(match: re.Match) -> str:
    run = match.group(0)
    if run.isdigit() or run.isalpha():
        return run
    return "<HEX>"


def _mask(text: str) -> str:
    # Each mask runs only when a character it needs is present. The order
    # matters: URLs, paths, timestamps and addresses are made of digits and
    # hex that the general masks below would otherwise chop into pieces.
    if "://" in text:
        text = _URL.sub("<URL>", text)
    if "/" in text:
        text = _PATH.sub("<PATH>", text)
    if ":\\" in text:
        text = _WINDOWS_PATH.sub("<PATH>", text)
    if "@" in text:
        text = _EMAIL.sub("<EMAIL>", text)
    if "'" in text or '"' in text:
        text = _QUOTED.sub("<STR>", text)
    if ":" in text:
        text = _TS_MONTH.sub("<TS>", text)
        if "<TS>" in text:
            text = _TS_WEEKDAY.sub("<TS>", text)
    text = _TS_NUMERIC.sub("<TS>", text)
    if text.count("-") >= 4:
        text = _UUID.sub("<UUID>", text)
    if "." in text:
        text = _IPV4.sub("<IP>", text)
    if "::" in text or text.count(":") >= 5:
        text = _MAC.sub("<HEX>", text)
        text = _IPV6.sub("<IP>", text)
    if "0x" in text or "0X" in text:
        text = _HEX_LITERAL.sub("<HEX>", text)
    if "user" in text or "USER" in text or "User" in text:
        text = _USER.sub(r"\1<USER>", text)
    text = _HEX_RUN.sub(_hex_marker, text)
    if "-" in text:
        text = _NEGATIVE.sub("", text)
    text = _NUMBER.sub("<NUM>", text)
    tokens = text.split()
    if len(tokens) != len(set(tokens)):
        # A list of ids ("delete blk_1 blk_2 blk_3") reads the same whatever
        # its length: consecutive repeats of a masked token are folded.
        tokens = [
            token
            for i, token in enumerate(tokens)
            if i == 0 or token != tokens[i - 1] or "<" not in token
        ]
    return " ".join(tokens)


# A huge message is masked by its head only. The raw head grows until its
# masked form overshoots the cap by a margin, so the effects of cutting the raw
# text (a timestamp split in two...) fall beyond the part that is kept.
_RAW_HEAD_CHARS = 4 * MAX_SIGNATURE_CHARS
_CUT_MARGIN = 200


# Runs of the same job repeat the same message word for word.
_CACHED_MESSAGE_CHARS = 2000


def signature(message: str) -> str:
    """The message with its variable parts masked, at most MAX_SIGNATURE_CHARS long."""
    if not message:
        return ""
    if len(message) <= _CACHED_MESSAGE_CHARS:
        return _cached_signature(message)
    return _signature(message)


@lru_cache(maxsize=8192)
def _cached_signature(message: str) -> str:
    return _signature(message)


def _signature(message: str) -> str:
    head_len = _RAW_HEAD_CHARS
    while len(message) > head_len:
        # Cut at whitespace so that no number or path is split in two.
        cut = max(message.rfind(" ", 0, head_len), message.rfind("\n", 0, head_len))
        masked = _mask(message[: cut if cut > 0 else head_len])
        if len(masked) > MAX_SIGNATURE_CHARS + _CUT_MARGIN:
            break
        head_len *= 2
    else:
        masked = _mask(message)
    if len(masked) <= MAX_SIGNATURE_CHARS:
        return masked
    # Cut on a token boundary: messages whose masked heads agree share a signature.
    space = masked.rfind(" ", 0, MAX_SIGNATURE_CHARS + 1)
    return masked[:space] if space > 0 else masked[:MAX_SIGNATURE_CHARS]


def signature_id(sig: str) -> str:
    """Stable 16-hex-digit id of a signature."""
    return hashlib.sha1(sig.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_PLACEHOLDER = re.compile(r"<[A-Z]+>")


def has_placeholders(sig_text: str) -> bool:
    """Whether a signature stands for messages that differ in their numbers, ids, paths…"""
    return bool(_PLACEHOLDER.search(sig_text))
