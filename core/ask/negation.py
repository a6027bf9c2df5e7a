"""What an excluding word that names nothing we know governs: "not counting retries", "the usual
suspects excluded". Those words are not a topic: read as one, "failures yesterday, not counting
retries" would count the failures about retries, the exclusion turned into its opposite. They are
left out with the excluding word, and the notice quotes them together."""
from __future__ import annotations

import re

_WORD = re.compile(r"[\w][\w'\-]*")
_CLAUSE = re.compile(r"[,;:?!.()]")
MAX_WORDS = 4


def governed(text: str, cue: re.Match) -> tuple[int, int]:
    """The span of `cue` and of the words it governs in `text` (folded, names and times blanked):
    the words after it up to the end of its clause ("not counting retries"), or, when none follow,
    those before it back to the clause's start ("the usual suspects excluded"), at most MAX_WORDS."""
    a, b = cue.span()
    after = _CLAUSE.search(text, b)
    words = list(_WORD.finditer(text, b, after.start() if after else len(text)))[:MAX_WORDS]
    if words:
        return a, words[-1].end()
    before = [m.start() for m in _CLAUSE.finditer(text, 0, a)]
    words = list(_WORD.finditer(text, before[-1] + 1 if before else 0, a))[-MAX_WORDS:]
    return (words[0].start(), b) if words else (a, b)
