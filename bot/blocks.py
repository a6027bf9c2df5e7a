"""Pure Block Kit builders: every function takes values and returns Slack payloads
(``{"text": fallback, "blocks": [...]}``), with no Slack API calls and no I/O.

Blocks are built as ``slack_sdk.models.blocks`` objects (and ``bot/kit.py`` for what slack_sdk
lacks) and turned into dicts by ``.to_dict()``, which checks Slack's limits: a builder that breaks
one fails here, in the tests, rather than as an ``invalid_blocks`` in a channel. Slack rejects a
whole message when one limit is exceeded, so every builder clips or splits its input first;
``tests/test_blocks.py`` walks the payloads.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (ActionsBlock, ButtonElement, ContextBlock, DividerBlock, MarkdownTextObject,
                                     PlainTextObject, RawTextObject, SectionBlock, TableBlockColumnSettings)

from core.ingest import IngestProgress, IngestSummary
from core.models import STATUSES, Answer, Citation
from core.numbers import count
from core.strings import STATUS_LABEL, name_label

from . import kit
from .formatting import (answer_mrkdwn, clip, code_span, escape, fmt_time, one_line, split_text,
                         truncate)
from .strings import SLACK as T

SECTION_TEXT_LIMIT = 3000
CONTEXT_TEXT_LIMIT = 3000  # per element
MAX_BLOCKS = 50
FALLBACK_TEXT_LIMIT = 40000
MAX_CONTEXT_ELEMENTS = 10
BUTTON_VALUE_LIMIT = 2000
BUTTON_TEXT_LIMIT = 75

ACTION_FEEDBACK_UP = "flowrag_feedback_up"
ACTION_FEEDBACK_DOWN = "flowrag_feedback_down"
FEEDBACK_BLOCK_ID = "flowrag_feedback"

SNIPPET_CHARS = 300
NAME_CHARS = 120  # pipeline/tech names in a citation header: long enough, bounded
QUESTION_IN_VALUE = 300
TOP_TECHS = 6

def _t(language: str) -> dict:
    return T.get(language, T["en"])


# --- block primitives --------------------------------------------------------------------------

def section(mrkdwn: str) -> dict:
    # Slack rejects an empty section text, and one over 3,000 chars
    return SectionBlock(text=MarkdownTextObject(text=clip(mrkdwn, SECTION_TEXT_LIMIT) or " ")).to_dict()


def context(*mrkdwn: str) -> dict:
    elements = [MarkdownTextObject(text=clip(m, CONTEXT_TEXT_LIMIT) or " ") for m in mrkdwn[:MAX_CONTEXT_ELEMENTS]]
    return ContextBlock(elements=elements).to_dict()


def divider() -> dict:
    return DividerBlock().to_dict()


def button(action_id: str, label: str, value: str | None = None, style: str | None = None) -> ButtonElement:
    return ButtonElement(action_id=action_id, value=value, style=style,
                         text=PlainTextObject(text=truncate(label, BUTTON_TEXT_LIMIT), emoji=True))


def message(text: str, blocks: list[dict]) -> dict:
    return {"text": clip(text, FALLBACK_TEXT_LIMIT), "blocks": blocks[:MAX_BLOCKS]}


# --- tables and charts ------------------------------------------------------------------------

TABLE_ROWS, TABLE_CELLS = kit.TABLE_ROWS, kit.TABLE_CELLS  # Slack's limits (one table per message)
CELL_CHARS = 200
RICH_BLOCKS = ("table", "data_visualization")  # what some workspaces and clients still refuse


def _cell(v) -> RawTextObject:
    return RawTextObject(text=truncate(one_line("" if v is None else str(v)), CELL_CHARS) or "—")


def table(header: list[str], rows: list[list]) -> dict:
    """A Block Kit table: figures people compare read better in columns. Empty cells are filled
    (Slack refuses them) and the size is cut to Slack's limits; ``table_blocks`` says what was cut."""
    body = [[_cell(v) for v in r[:TABLE_CELLS]] for r in rows[:TABLE_ROWS - 1]]
    width = max([len(header[:TABLE_CELLS])] + [len(r) for r in body])
    grid = [[_cell(h) for h in header[:TABLE_CELLS]]] + body
    grid = [r + [_cell(None)] * (width - len(r)) for r in grid]
    settings = [TableBlockColumnSettings(align="left")] + [TableBlockColumnSettings(align="right")] * (width - 1)
    return kit.CheckedTableBlock(rows=grid, column_settings=settings).to_dict()


def table_blocks(header: list[str], rows: list[list], language: str) -> list[dict]:
    """The table, and a note under it when Slack's 100 rows could not hold them all: a cut table
    must never look complete."""
    out = [table(header, rows)]
    hidden = len(rows) - (TABLE_ROWS - 1)
    if hidden > 0:
        out.append(context(_t(language)["table_cut"].format(
            shown=count(TABLE_ROWS - 1, language), total=count(len(rows), language), hidden=count(hidden, language))))
    return out


def _labels(names: list[str], limit: int = kit.LABEL_CHARS) -> list[str]:
    """Names cut to Slack's label length, still unique (two long names can share a prefix)."""
    out: list[str] = []
    for name in names:
        label, k = truncate(one_line(name) or "?", limit), 2
        while label in out:
            suffix = f" {k}"
            label, k = truncate(one_line(name) or "?", limit - len(suffix)) + suffix, k + 1
        out.append(label)
    return out


def chart(title: str, categories: list[str], series: list[tuple[str, list[int | float]]], *,
          kind: str = "line", y_label: str | None = None) -> dict:
    """Slack's native chart (``data_visualization``). The caller keeps to 20 categories and 6
    series; names and labels are cut to Slack's lengths here."""
    cats = _labels(categories)
    names = _labels([name for name, _ in series])
    data = [kit.DataSeries(name=name, data=[kit.DataPoint(label=c, value=v) for c, v in zip(cats, values)])
            for name, (_, values) in zip(names, series)]
    axis = kit.AxisConfig(categories=cats, y_label=truncate(y_label, kit.AXIS_TITLE_CHARS) if y_label else None)
    return kit.DataVisualizationBlock(title=truncate(one_line(title), kit.TITLE_CHARS),
                                      chart=kit.SeriesChart(type=kind, series=data, axis_config=axis)).to_dict()


def filled_days(per_day) -> list[tuple[str, int]]:
    """(ISO day, n) pairs with the days in between that had nothing, at 0: a trend that skips the
    quiet days would draw a slope that is not there. [] when a key is not a day."""
    try:
        counts = {date.fromisoformat(d): n for d, n in per_day}
    except (TypeError, ValueError):
        return []
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [((first + timedelta(days=i)).isoformat(), counts.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


def _plain(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(round(float(v), 2))


def _chart_lines(b: dict) -> list[str]:
    """A chart's figures as text, one line per series: ``11-20 3 · 11-21 5 · …``."""
    c = b.get("chart") or {}
    if c.get("type") == "pie":
        return [" · ".join(f"{escape(s['label'])} {_plain(s['value'])}" for s in c.get("segments") or [])]
    series = c.get("series") or []
    lines = []
    for s in series:
        points = " · ".join(f"{escape(p['label'])} {_plain(p['value'])}" for p in s.get("data") or [])
        lines.append(f"{escape(s['name'])}: {points}" if len(series) > 1 else points)
    return lines


def _table_text(b: dict) -> str:
    return escape("\n".join(" · ".join(c.get("text", "") for c in row) for row in b.get("rows") or []))


def without_tables(msg: dict) -> dict:
    """The same message with its tables and native charts as text sections: what to send when
    Slack refuses one of them (``invalid_blocks``), so that the answer is never lost. Only blocks
    every client renders remain; the text of a long table is cut to stay within 50 blocks."""
    blocks = msg.get("blocks") or []
    rich = sum(1 for b in blocks if b.get("type") in RICH_BLOCKS)
    if not rich:
        return msg
    share = max(1, (MAX_BLOCKS - (len(blocks) - rich)) // rich)  # blocks each rich one may become
    said = "\n".join(str((b.get("text") or {}).get("text") or "") for b in blocks if b.get("type") == "section")
    out = []
    for b in blocks:
        if b.get("type") not in RICH_BLOCKS:
            out.append(b)
            continue
        if b["type"] == "table":
            text = _table_text(b)
        else:
            lines = _chart_lines(b)
            if all(line in said for line in lines):  # the text beside it already gives the trend
                continue
            text = "\n".join([f"*{escape(b.get('title') or '')}*", *lines])
        pieces = split_text(text, SECTION_TEXT_LIMIT) or [" "]
        if len(pieces) > share:
            pieces = pieces[:share]
            pieces[-1] = clip(pieces[-1], SECTION_TEXT_LIMIT - 2) + " …"
        out += [section(p) for p in pieces]
    return {**msg, "blocks": out[:MAX_BLOCKS]}


def answer_figures(answer: Answer, language: str) -> list[dict]:
    """The answer's figures as blocks: a per-day trend as a native chart when it fits one (2 to 20
    days); groups (by technology, pipeline, day…) and ranked names as a table; [] otherwise."""
    r = getattr(answer, "result", None)
    q = getattr(answer, "query", None)
    if r is None or q is None:
        return []
    t = _t(language)
    trend = answer_trend(answer, language)
    if trend is not None:
        return [trend]
    if r.groups:
        named = q.group_by in ("tech", "pipeline")
        return table_blocks([t["col_" + (q.group_by or "name")], t["col_runs"]],
                            [[name_label(language, q.group_by, k) if named else k, n] for k, n in r.groups], language)
    if r.names and q.measure in ("list_pipelines", "list_techs", "distinct_pipelines", "distinct_techs"):
        if "pipelines" in q.measure:
            techs = dict(r.pipeline_techs)
            return table_blocks([t["col_pipeline"], t["col_tech"], t["col_runs"]],
                                [[n, techs.get(n, ""), c] for n, c in r.names], language)
        return table_blocks([t["col_tech"], t["col_runs"]], [list(x) for x in r.names], language)
    return []


def answer_trend(answer: Answer, language: str) -> dict | None:
    """Runs per day as a line chart: a why-answer's error over its days, or a grouping by day."""
    r, q = answer.result, answer.query
    t = _t(language)
    if r.explained is not None and r.explained.per_day:
        days, name, title = filled_days(r.explained.per_day), t["col_runs"], t["chart_error_per_day"]
    elif q.group_by == "day" and r.groups:
        name = t["chart_failures"] if tuple(q.statuses) == ("failed",) else t["col_runs"]
        days, title = filled_days(r.groups), t["chart_per_day"].format(what=name)
    else:
        return None
    if not 2 <= len(days) <= kit.MAX_POINTS:  # one day is no trend; more than 20 will not fit
        return None
    return chart(title, [d[5:] for d, _ in days], [(name, [n for _, n in days])])


# --- the answer ----------------------------------------------------------------------------------

def facts_line(facts: dict, language: str) -> str:
    """``*152* runs · failed 12 · warning 3 · Hadoop 100, Spark 52``; "" when there are no facts."""
    if not facts or "total" not in facts:
        return ""
    total = int(facts["total"])
    singular, plural = _t(language)["runs"]
    parts = [f"*{count(total)}* {singular if total == 1 else plural}"]
    labels = STATUS_LABEL.get(language, STATUS_LABEL["en"])
    by_status = facts.get("by_status") or {}
    # a fixed order (failures first) reads the same from one answer to the next
    order = [s for s in STATUSES if s in by_status] + [s for s in by_status if s not in STATUSES]
    parts += [f"{escape(labels.get(s, s))} {count(by_status[s])}" for s in order]
    techs = list((facts.get("by_tech") or {}).items())
    if techs:
        shown = ", ".join(f"{escape(truncate(str(k), NAME_CHARS))} {count(v)}" for k, v in techs[:TOP_TECHS])
        parts.append(shown + (f", +{len(techs) - TOP_TECHS}" if len(techs) > TOP_TECHS else ""))
    return " · ".join(parts)


def _citation_header(c: Citation, tz: ZoneInfo, language: str) -> str:
    status = STATUS_LABEL.get(language, STATUS_LABEL["en"]).get(c.status, c.status)
    names = [escape(truncate(one_line(x or "?"), NAME_CHARS)) for x in (c.pipeline_name, c.tech)]
    return " · ".join([*names, escape(status), fmt_time(c.timestamp, tz)])


def citation_mrkdwn(c: Citation, tz: ZoneInfo, language: str) -> str:
    snippet = code_span(c.snippet, SNIPPET_CHARS, empty=_t(language)["no_message"])
    return clip(f"*[{c.ref}]* {_citation_header(c, tz, language)}\n{snippet}", SECTION_TEXT_LIMIT)


def citation_plain(c: Citation, tz: ZoneInfo, language: str) -> str:
    """The fallback line: no code span, but still escaped (the fallback is rendered too)."""
    snippet = escape(truncate(one_line(c.snippet or ""), SNIPPET_CHARS))
    return f"[{c.ref}] {_citation_header(c, tz, language)}: {snippet}"


def feedback_value(answer_id: str, question: str) -> str:
    """Compact JSON the feedback listener decodes; never rendered, so the question stays raw.

    ``ensure_ascii=False`` because "\\ud83d\\ude00"-style escapes would let 300 chars of emoji
    grow past Slack's 2,000-char value limit; the loop is a last guard for control chars."""
    q = question[:QUESTION_IN_VALUE]
    while True:
        value = json.dumps({"a": answer_id, "q": q}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= BUTTON_VALUE_LIMIT or not q:
            return value
        q = q[: len(q) // 2]


def feedback_actions(answer_id: str, question: str, language: str) -> dict:
    t = _t(language)
    value = feedback_value(answer_id, question)
    return ActionsBlock(block_id=FEEDBACK_BLOCK_ID, elements=[
        button(ACTION_FEEDBACK_UP, t["helpful"], value), button(ACTION_FEEDBACK_DOWN, t["not_helpful"], value),
    ]).to_dict()


def _pack(lines: list[tuple[str, str]], sep: str = "\n\n") -> list[tuple[str, str]]:
    """Join (mrkdwn, fallback) lines into as few sections as fit in 3,000 chars each."""
    out: list[tuple[str, str]] = []
    for md, plain in lines:
        if out and len(out[-1][0]) + len(sep) + len(md) <= SECTION_TEXT_LIMIT:
            out[-1] = (out[-1][0] + sep + md, out[-1][1] + "\n" + plain)
        else:
            out.append((md, plain))
    return out


def _paginate(units: list[list[tuple[dict, str]]], continued: str) -> list[dict]:
    """Fill messages with units (blocks that belong together, each with its fallback text),
    starting a new message when 50 blocks or 40,000 fallback chars would be exceeded."""
    messages: list[tuple[list[dict], list[str]]] = [([], [])]
    for unit in units:
        blocks, texts = messages[-1]
        size = sum(len(t) + 1 for t in texts)
        extra = sum(len(t) + 1 for _, t in unit)
        if blocks and (len(blocks) + len(unit) > MAX_BLOCKS or size + extra > FALLBACK_TEXT_LIMIT):
            messages.append(([], []))
            blocks, texts = messages[-1]
        for block, text in unit:
            # a divider is pointless at the top of a continuation message
            if block["type"] == "divider" and not blocks:
                continue
            blocks.append(block)
            if text:
                texts.append(text)
    return [message("\n".join(texts) or continued, blocks) for blocks, texts in messages]


def answer_messages(answer: Answer, *, tz: ZoneInfo, question: str, with_text: bool = True) -> list[dict]:
    """One message for a normal answer; more only when it is too long for one.

    Order: answer sections, notices, facts line, divider, citations, then the footer
    (index-as-of and mode) with the 👍/👎 buttons, which always ends the last message.
    ``with_text=False``: all but the answer's own text, for a message whose text was streamed."""
    lang = answer.language if answer.language in T else "en"
    t = _t(lang)
    units: list[list[tuple[dict, str]]] = []

    # each section's fallback is its own text, so every message's fallback holds the part of
    # the answer that message shows
    md_all = answer_mrkdwn(answer) if with_text else ""
    first, _, rest = md_all.partition("\n")
    body = split_text(first, SECTION_TEXT_LIMIT) or ([t["no_answer"]] if with_text else [])
    units += [[(section(md), md)] for md in body]
    if answer.interpretation:  # the reading used, right under the line it explains
        reading = escape(one_line(answer.interpretation))
        units.append([(context(reading), reading)])
    figures = answer_figures(answer, lang)
    if figures:  # the table (and its note) stay together, under the line they detail
        units.append([(b, "") for b in figures])
    units += [[(section(md), md)] for md in split_text(rest.strip("\n"), SECTION_TEXT_LIMIT) if md.strip()]

    notices = [f"⚠ {escape(one_line(n))}" for n in answer.notices if n and n.strip()]
    for i in range(0, len(notices), MAX_CONTEXT_ELEMENTS):
        chunk = notices[i:i + MAX_CONTEXT_ELEMENTS]
        units.append([(context(*chunk), "\n".join(chunk))])

    facts = facts_line(answer.facts, lang)
    if facts:
        units.append([(section(facts), facts)])

    cites = _pack([(citation_mrkdwn(c, tz, lang), citation_plain(c, tz, lang)) for c in answer.citations])
    if cites:
        # the divider travels with the first citations so it never ends a message on its own
        units.append([(divider(), ""), (section(cites[0][0]), cites[0][1])])
        units += [[(section(md), plain)] for md, plain in cites[1:]]

    footer = f"{t['index_as_of'].format(when=fmt_time(answer.index_as_of, tz))} · " \
             f"{t['mode'].format(mode=escape(answer.mode or '?'))}"
    units.append([(context(footer), ""), (feedback_actions(answer.id, question, lang), "")])
    return _paginate(units, t["continued"])


# --- short messages ---------------------------------------------------------------------------

def _simple(mrkdwn: str) -> dict:
    return message(mrkdwn, [section(mrkdwn)])


def placeholder_message(language: str) -> dict:
    return _simple(_t(language)["placeholder"])


def withdrawn_message(language: str) -> dict:
    """What a placeholder says when another process answered first and it could not be deleted."""
    return _simple(_t(language)["withdrawn"])


def streaming_message(partial_text: str) -> dict:
    """The answer so far, re-rendered on each update, and a "…" to show it is not finished.
    No buttons yet: feedback on half an answer would be noise."""
    pieces = split_text(answer_mrkdwn(partial_text or ""), SECTION_TEXT_LIMIT) or ["⏳"]
    pieces = pieces[: MAX_BLOCKS - 1]  # one block left for the "…" context
    blocks = [section(p) for p in pieces] + [context("…")]
    return message("\n".join(pieces) + " …", blocks)


def error_message(error_id: str, language: str, detail: str | None = None) -> dict:
    """A short apology with the reference to find the traceback in the logs; ``detail`` is a
    user-facing explanation (e.g. an empty index), escaped like everything else."""
    text = _t(language)["error"].format(ref=escape(error_id))
    blocks = [section(text)]
    if detail and detail.strip():
        detail_md = clip(escape(detail.strip()), SECTION_TEXT_LIMIT)
        blocks.append(section(detail_md))
        text = f"{text}\n{detail_md}"
    return message(text, blocks)


USAGE = """*flowrag* answers questions about data-pipeline runs, with exact counts and numbered citations of log records.
*Commands*
• `/flowrag <question>` ask a question (FR or EN)
• `/flowrag ingest` fetch new log records into the index
• `/flowrag ingest full` rebuild the index from scratch
• `/flowrag status` index size, last ingest, models
• `/flowrag digest` (`synthèse`) yesterday's digest of the flows
• `/flowrag help` this message
*In channels*: mention me with a question, then reply in the thread for follow-ups (“and the day before?”, “et pour Spark ?”) — I keep the context of the thread.
*Exemples*
• `/flowrag combien d'échecs Spark hier ?`
• `/flowrag quels pipelines ont le plus échoué cette semaine ?`
• `/flowrag quels messages d'erreur sont nouveaux aujourd'hui ?`
*Examples*
• `/flowrag how many Hadoop failures yesterday?`
• `/flowrag which technologies had warnings last week?`
• `/flowrag what went wrong with pipeline sales_daily on 2026-11-23?`"""


def usage_message() -> dict:
    return _simple(USAGE)


def feedback_line(feedback: dict | None, language: str) -> str:
    """``Feedback, last 30 days: 80% helpful (👍 12 · 👎 3)``, from Engine.status()["feedback_30d"]."""
    t = _t(language)
    fb = feedback or {}
    days = int(fb.get("days") or 30)
    up, down = int(fb.get("up") or 0), int(fb.get("down") or 0)
    if not up + down:
        return t["status_feedback_none"].format(days=days)
    ratio = fb.get("ratio")
    ratio = up / (up + down) if ratio is None else float(ratio)
    pct = f"{round(ratio * 100)}{' %' if language == 'fr' else '%'}"  # French puts a space before %
    return t["status_feedback"].format(days=days, pct=pct, up=count(up, language), down=count(down, language))


def status_message(status: dict, tz: ZoneInfo, language: str = "en") -> dict:
    """What /flowrag status shows, in the language of the command (`statut` is French). The index
    location is left out on purpose: a path or host is of no use to channel members."""
    lang = language if language in T else "en"
    t = _t(lang)
    llm = status.get("llm")
    llm_text = t["status_llm_on"].format(model=f"`{escape(str(llm))}`") if llm else t["status_llm_off"]
    lines = [
        t["status_title"],
        "• " + t["status_records"].format(n=count(int(status.get("records") or 0), lang)),
        "• " + t["status_distinct"].format(n=count(int(status.get("distinct_messages") or 0), lang)),
        "• " + t["status_last_ingest"].format(when=fmt_time(status.get("last_ingest"), tz)),
        "• " + t["status_embedder"].format(name=f"`{escape(str(status.get('embedder') or '—'))}`"),
        "• " + llm_text,
        "• " + t["status_timezone"].format(tz=escape(str(status.get("timezone") or tz.key))),
        "• " + feedback_line(status.get("feedback_30d"), lang),
    ]
    return _simple("\n".join(lines))


def progress_bar(fraction: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "▓" * filled + "░" * (width - filled)


def ingest_progress_message(p: IngestProgress) -> dict:
    """``▓▓▓▓░░░░░░ 42% · 6,720 / 16,000 records · 812 embedded``; without a known total,
    just the counts (a bar stuck at 0% would be a lie)."""
    if p.total > 0:
        frac = min(p.scanned / p.total, 1.0)
        line = f"{progress_bar(frac)} {int(frac * 100)}% · {count(p.scanned)} / {count(p.total)} records"
    else:
        line = f"⏳ {count(p.scanned)} records scanned"
    return _simple(f"{line} · {count(p.embedded)} embedded")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s"


def ingest_done_message(s: IngestSummary) -> dict:
    kind = " (full)" if s.full else " (resumed)" if s.resumed else ""
    return _simple(
        f"✅ Ingest done{kind}: {count(s.scanned)} records scanned, {count(s.new)} new, {count(s.updated)} updated, "
        f"{count(s.skipped)} skipped · {count(s.distinct_messages)} distinct messages · {_duration(s.seconds)}")


def ingest_started_message(full: bool) -> dict:
    kind = "full rebuild" if full else "incremental"
    return _simple(f"⏳ Ingest started ({kind})…")


def not_allowed_message() -> dict:
    return _simple("🔒 Sorry, only flowrag admins can run an ingest. `/flowrag status` shows the last one.")


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def question_echo_message(user: str, text: str) -> dict:
    """The slash-command question posted in the channel so the answer has a thread to live in.
    The asker is mentioned on purpose, but only a well-formed user id is ever put inside ``<@…>``:
    the question itself is escaped like any untrusted text."""
    who = f"<@{user}>" if _USER_ID.fullmatch(user or "") else "someone"
    question = escape(one_line(text or "")) or "…"
    return _simple(clip(f"💬 {who}: {question}", SECTION_TEXT_LIMIT))


def ingest_busy_message() -> dict:
    return _simple("⏳ An ingest is already running — this one was not started. "
                   "Try `/flowrag status` in a moment to see when it finished.")


def feedback_ack_text(vote: str, language: str = "en") -> str:
    up = vote in ("up", "+1", "👍", ACTION_FEEDBACK_UP)
    return _t(language)["thanks_up" if up else "thanks_down"]
