"""What the command line prints: a progress bar, the ingest summary line, an answer as text or JSON.
Shared by `flowrag ask`/`ingest` and the demo."""
from __future__ import annotations

import sys
from contextlib import contextmanager

from core.ask.headline import headline_of


@contextmanager
def terminal_progress(enabled: bool = True):
    """A progress callback drawing a bar on stderr, or None when nobody watches a terminal."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=0, unit="rec", desc="ingest", file=sys.stderr)

    def progress(p):
        bar.total = p.total
        bar.n = p.scanned
        bar.set_postfix(new=p.new, embedded=p.embedded, skipped=p.skipped, refresh=False)
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


def summary_line(s) -> str:
    return (f"{s.scanned} scanned, {s.new} new, {s.updated} updated, {s.skipped} skipped · "
            f"{s.distinct_messages} distinct messages, {s.embedded} embedded · {s.seconds}s")


def answer_json(answer) -> dict:
    return {
        "answer": answer.text,
        "citations": [{"ref": c.ref, "id": c.id, "pipeline_name": c.pipeline_name, "tech": c.tech,
                       "status": c.status, "timestamp": c.timestamp.isoformat().replace("+00:00", "Z"),
                       "snippet": c.snippet} for c in answer.citations],
        "interpretation": answer.interpretation,
        "query": answer.query.as_json() if answer.query is not None else None,
        "result": answer.result.as_json() if answer.result is not None else None,
        "facts": answer.facts,
        "mode": answer.mode,
        "notices": list(answer.notices),
        "context": answer.context,
        "timings_ms": answer.timings_ms,
    }


def answer_text(answer, tz) -> str:
    first, _, rest = answer.text.partition("\n")
    lines = [f"⚠ {n}" for n in answer.notices] + [first]
    if answer.interpretation:
        lines.append(f"  ({answer.interpretation})")
    if rest:
        lines.append(rest)
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            when = c.timestamp.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            snippet = headline_of(c.snippet, 160)
            parts = [c.pipeline_name, c.tech, c.status, when, snippet]
            lines.append(f"[{c.ref}] " + " · ".join(p for p in parts if p))  # a run may carry no message
    return "\n".join(lines)
