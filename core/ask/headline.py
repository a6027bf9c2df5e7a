"""One line that shows what went wrong in a long message."""
from __future__ import annotations

import re

EXCEPTION = re.compile(r"\b(?:[a-z_]\w*\.)+\w*(?:Exception|Error)\b")


def headline_of(message: str, limit: int = 220) -> str:
    """One line that shows what went wrong: where a long wrapper ("Job aborted due to stage
    failure: … most recent failure: …") hides the exception, start at the exception."""
    line = " ".join(message.split())
    if len(line) <= limit:
        return line
    found = list(EXCEPTION.finditer(line[:2000]))
    if found and found[-1].start() > limit // 2:
        line = "… " + line[found[-1].start():]
    return line[:limit] + ("…" if len(line) > limit else "")
