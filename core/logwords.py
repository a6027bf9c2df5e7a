"""Words of log lines, for ranking: log text glues words together ("OutOfMemoryError",
"org.apache.hadoop.hdfs.DFSClient", "renew_lease", "/var/log/hdfs") and people type them apart
("out of memory"). Each part is kept with its English and French stems, so "renewing" finds
"renew" and « connexions » finds « connexion »."""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from .text import fold
from .glossary import FR_EN

_TOKEN = re.compile(r"[^\W_]+(?:[._$/:\-][^\W_]+)*|[^\W_]+", re.UNICODE)
_SEP = re.compile(r"[._$/:\-]+")
# a boundary inside camelCase: "outOf", "OOMKilled", "HDFSClient"
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_EN = snowballstemmer.stemmer("english")
_FR = snowballstemmer.stemmer("french")
MAX_WORDS = 400


@lru_cache(maxsize=65536)
def _forms(part: str) -> tuple[str, ...]:
    w = fold(part)
    if len(w) < 2 or w.isdigit():
        return ()
    return tuple(dict.fromkeys((w, _EN.stemWord(w), _FR.stemWord(w))))


def log_words(text: str) -> list[str]:
    """Every word of `text` as people would type it, with stems; glued forms kept too."""
    out: list[str] = []
    text = text[:20000].replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        pieces = [p for chunk in _SEP.split(tok) for p in _CAMEL.split(chunk)]
        if len(pieces) > 1:
            out.extend(_forms(_SEP.sub("", tok)))
        for p in pieces:
            out.extend(_forms(p))
        if len(out) >= MAX_WORDS:
            break
    return list(dict.fromkeys(out))[:MAX_WORDS]


def whole_tokens(text: str) -> set[str]:
    """The tokens of `text` as written, folded, not split: "'xgboost'" gives "xgboost", but
    "sparkExecutorActorSystem" gives only itself."""
    return {fold(m.group(0)) for m in _TOKEN.finditer(text[:20000])}


def match_query(text: str, limit: int = 32) -> str:
    """An FTS5 query OR-ing the question's words, and the English words logs use for French ones:
    quoted, so that user text cannot inject syntax."""
    words = [w for w in log_words(text) if len(w) >= 3]
    for w in list(words):
        for en in FR_EN.get(w, ()):
            words += log_words(en)
    words = list(dict.fromkeys(w for w in words if len(w) >= 3))[:limit]
    return " OR ".join(f'"{w}"' for w in words)
