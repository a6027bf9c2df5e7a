"""Answers streamed into Slack, and the thinking status before them: the pure chunking first, then
the real bot (Bolt + Socket Mode) against the Slack stand-in, with litellm calling the LLM stand-in."""
from __future__ import annotations

import json
import random
import time

import pytest

from llm_standin import ChatStandin
from test_bot import CH, all_text, data, final_answer, mention, slack, start_bot  # noqa: F401 — fixtures

from bot import streaming
from bot.formatting import escape
from bot.streaming import SafeChunks, markdown_safe, pieces, settled
from core.llm import clean_citations

# --- the chunks: settled, escaped, never a link ------------------------------------------------------


def stream_of(partials: list[str], final: str) -> tuple[list[str], str]:
    chunks = SafeChunks()
    sent = [c for c in (chunks.next(p) for p in partials) if c]
    rest = chunks.rest(final)
    assert rest is not None
    return sent, rest


def test_a_mention_split_across_chunks_is_escaped():
    sent, rest = stream_of(["Five failures. <!chan", "Five failures. <!channel> and <@U9",
                            "Five failures. <!channel> and <@U999> [1]."], "Five failures. <!channel> and <@U999> [1].")
    assert "".join(sent) + rest == "Five failures. &lt;!channel&gt; and &lt;@U999&gt; [1]."
    assert all("<" not in c and ">" not in c for c in sent + [rest])
    assert sent[0] == "Five failures. &lt;!chan"  # escaped at once: nothing to wait for


def test_a_citation_is_held_back_until_it_is_known_to_be_real():
    valid = {1, 2}
    raw = "Spark failed twice [1][9] and Hadoop once [7]. See [2]."
    partials = [clean_citations(raw[:i], valid) for i in range(1, len(raw) + 1)]
    sent, rest = stream_of(partials, clean_citations(raw, valid).strip())
    assert "".join(sent) + rest == "Spark failed twice [1] and Hadoop once. See [2]."
    assert not any("9" in c or "7" in c for c in sent), "an invented citation was never sent"


def test_chunks_always_add_up_to_the_final_answer():
    """Whatever the deltas, what was streamed is a prefix of the final answer, escaped and cleaned."""
    rng = random.Random(7)
    alphabet = ["a", "b", " ", "  ", "\n", "[", "]", "1", "3", "9", ",", "<", ">", "&", "!", "(", ":", "x "]
    valid = {1, 3}
    for _ in range(400):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(raw) + 1), k=min(len(raw) + 1, rng.randint(1, 8))))
        partials = [clean_citations(raw[:c], valid) for c in cuts]
        final = clean_citations(raw, valid).strip()
        chunks = SafeChunks()
        out = ""
        for p in partials:
            out += chunks.next(p)
            assert final.startswith(chunks.sent), (raw, p)
        out += chunks.rest(final)
        assert out == markdown_safe(final), raw


def test_settled_keeps_back_what_may_still_change():
    assert settled("failed [1]") == "failed"  # "[1][9]" may follow, and drop the space with it
    assert settled("failed [1, ") == "failed"
    assert settled("failed.  \n") == "failed."
    assert settled("failed [x") == "failed [x"  # not a citation, and never will be


def test_model_text_cannot_become_a_markdown_link():
    assert "](" not in markdown_safe("see [the log](https://evil.example)")
    assert markdown_safe("(https://evil.example)", after="see [the log]").startswith("\u200b(")
    assert "]:" not in markdown_safe("[1]: https://evil.example")


def test_pieces_fit_slack_and_never_cut_an_entity():
    text = escape("<" * 5000)  # 20,000 chars of &lt;
    parts = pieces(text)
    assert "".join(parts) == text and all(len(p) <= 12_000 and p.startswith("&") for p in parts)


# --- the real bot -----------------------------------------------------------------------------------------


@pytest.fixture
def llm():
    with ChatStandin() as server:
        yield server


@pytest.fixture
def start_llm_bot(start_bot, llm, monkeypatch):
    from core.llm import LiteLLMChat

    monkeypatch.setattr(streaming, "APPEND_EVERY_S", 0.0)  # every delta appends: the chunks are visible

    def start(**settings):
        return start_bot(chat=LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test", timeout=5,
                                          retries=0), **settings)
    return start


def sent_text(call) -> str:
    """The markdown a stream call carried."""
    chunks = call.params.get("chunks") or []
    return (call.params.get("markdown_text") or "") + "".join(c.get("text", "") for c in chunks)


def stream_calls(slack):
    return [c for c in slack.calls if c.method in ("chat.startStream", "chat.appendStream", "chat.stopStream")]


def test_a_streamed_answer_with_an_injected_mention_is_escaped_and_ends_with_citations(slack, start_llm_bot, llm):
    llm.pieces = ["Five Hadoop failures yesterday [1]. <!chan", "nel> and <@U9", "99> [42] done [1]."]
    llm.delay = 0.3
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    answer = final_answer(slack, msg["ts"])
    assert answer.method == "chat.stopStream"
    shown = answer.params["text"]
    assert shown == "Five Hadoop failures yesterday [1]. &lt;!channel&gt; and &lt;@U999&gt; done [1]."
    calls = stream_calls(slack)
    assert [c.method for c in calls] == ["chat.startStream", "chat.appendStream", "chat.appendStream",
                                         "chat.stopStream"], "it streamed, chunk by chunk"
    assert all("<" not in sent_text(c) for c in calls) and "42" not in shown
    start = calls[0].params
    assert start["thread_ts"] == msg["ts"] and start["recipient_user_id"] == "U123" and start["recipient_team_id"]
    text = all_text(answer.params["blocks"])
    assert "*[1]*" in text and "flowrag_feedback_up" in text, "the citations, then 👍/👎"
    assert answer.params["metadata"]["event_payload"]["q_ts"] == msg["ts"]
    # thinking until the stream began, in English, then gone
    status = slack.wait_for_call("assistant.threads.setStatus", timeout=5).params
    assert status["thread_ts"] == msg["ts"] and status["status"] == "is reading the runs…"
    assert "Reading the runs…" in status["loading_messages"]
    assert status.get("channel_id") == CH and slack.status(CH, msg["ts"]) is None
    assert not [c for c in slack.calls_to("chat.postMessage") if c.params.get("thread_ts") == msg["ts"]], \
        "no placeholder"


def test_a_follow_up_streams_in_french_after_a_french_status(slack, start_llm_bot, llm):
    llm.reply = "Cinq échecs Hadoop hier [1]."
    start_llm_bot()
    msg, _ = mention(slack, "Combien d'échecs Hadoop hier ?")
    final_answer(slack, msg["ts"])
    llm.reply = "Deux échecs OpenSSH hier [1]."
    follow = slack.post_user_message(CH, "et pour OpenSSH ?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(follow, "message"))
    answer = final_answer(slack, follow["ts"])
    assert answer.params["text"] == "Deux échecs OpenSSH hier [1]." and "Utile" in all_text(answer.params)
    statuses = [c.params for c in slack.calls_to("assistant.threads.setStatus")]
    assert statuses[-1]["status"] == "lit les exécutions…"
    assert "Je lis les exécutions…" in statuses[-1]["loading_messages"]


@pytest.mark.parametrize("refusal", ["missing_scope", "unknown_method"])
def test_a_refused_stream_falls_back_to_one_edited_message(slack, start_llm_bot, llm, refusal):
    slack.fail("chat.startStream", refusal, times=10)
    llm.pieces = ["Five Hadoop failures yesterday [1]. <!chan", "nel> [42] done [1]."]
    llm.delay = 0.3
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    answer = final_answer(slack, msg["ts"])
    assert answer.method == "chat.update" and not slack.calls_to("chat.appendStream")
    posted = slack.wait_for_call("chat.postMessage", lambda c: c.params.get("thread_ts") == msg["ts"])
    first = posted.params
    assert "Five Hadoop failures" in all_text(first) and "<!chan" not in all_text(first), "the partial, escaped"
    text = all_text(answer.params)
    assert "Five Hadoop failures yesterday [1]" in text and "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "[42]" not in text and "flowrag_feedback_up" in text
    (shown,) = [m for m in slack.thread(CH, msg["ts"]) if m.get("bot_id")]
    assert shown["ts"] == posted.response["ts"] == answer.params["ts"], "one message, edited"


def test_a_workspace_that_streams_only_in_dms(slack, start_llm_bot, llm):
    slack.streams_in_channels = False
    llm.reply = "Five Hadoop failures yesterday [1]."
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    assert final_answer(slack, msg["ts"]).method == "chat.update"
    refused = slack.calls_to("chat.startStream")[0]
    assert refused.response["error"] == "channel_type_not_supported"
    dm = slack.post_user_message("D0DM", "How many Hadoop failures yesterday?")
    slack.send_event(dict(slack.event_from(dm, "message", channel="D0DM"), channel_type="im"))
    answer = final_answer(slack, dm["ts"])
    assert answer.method == "chat.stopStream" and answer.params["text"] == "Five Hadoop failures yesterday [1]."


def test_without_the_status_a_placeholder_comes_first_as_before(slack, start_llm_bot, llm):
    slack.fail("assistant.threads.setStatus", "missing_scope", times=10)
    llm.reply = "Five Hadoop failures yesterday [1]."
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    answer = final_answer(slack, msg["ts"])
    placeholder = slack.wait_for_call("chat.postMessage", lambda c: c.params.get("thread_ts") == msg["ts"])
    assert "Looking into it" in all_text(placeholder.params) and placeholder.response["ts"] == answer.params["ts"]
    assert answer.method == "chat.update" and "Five Hadoop failures yesterday [1]" in all_text(answer.params)


def test_the_status_is_set_again_before_slack_drops_it(slack, start_llm_bot, llm, monkeypatch):
    slack.status_ttl_s = 1.0  # Slack's two minutes, shortened
    monkeypatch.setattr(streaming, "STATUS_REFRESH_S", 0.4)
    llm.pieces = ["Five Hadoop failures ", "yesterday [1]."]
    llm.delay = 1.6  # the model takes longer than the status lasts
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    final_answer(slack, msg["ts"])
    sets = [c.at for c in slack.calls_to("assistant.threads.setStatus")
            if c.response["ok"] and c.params["thread_ts"] == msg["ts"] and c.params["status"]]
    started = slack.calls_to("chat.startStream")[0].at
    moments = sets + [started]
    assert len(sets) >= 3 and max(b - a for a, b in zip(moments, moments[1:])) < slack.status_ttl_s, \
        "never without a status before the answer began"
    time.sleep(0.6)
    assert not [c for c in slack.calls_to("assistant.threads.setStatus") if c.at > started and c.params["status"]]


def test_a_stream_that_expires_is_replaced_by_the_whole_answer(slack, start_llm_bot, llm):
    llm.pieces = ["Five Hadoop failures ", "yesterday ", "[1]."]
    llm.delay = 0.4
    start_llm_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    started = slack.wait_for_call("chat.startStream", timeout=15)
    slack.expire_stream(CH, started.response["ts"])
    answer = final_answer(slack, msg["ts"])
    assert answer.method == "chat.update" and answer.params["ts"] == started.response["ts"]
    text = all_text(answer.params)
    assert "Five Hadoop failures yesterday [1]" in text and "flowrag_feedback_up" in text
    assert any(c.response.get("error") == "message_not_in_streaming_state" for c in stream_calls(slack))


def test_a_model_that_fails_half_way_leaves_the_deterministic_answer(slack, start_bot, llm, monkeypatch):
    from core.llm import LiteLLMChat

    llm.mode, llm.hang_seconds = "stall", 10  # a first delta, then nothing
    llm.reply = "Twelve Hadoop failures [1] and then"
    start_bot(chat=LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test", timeout=1.5, retries=0))
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    answer = final_answer(slack, msg["ts"])
    text = all_text(answer.params)
    assert answer.method == "chat.update" and "5 Hadoop failures yesterday" in text and "Twelve" not in text
    assert "deterministic" in text and not slack.streaming(CH, answer.params["ts"])


def test_two_processes_streaming_the_same_question_leave_one_answer(slack, start_llm_bot, llm):
    llm.pieces = ["Five Hadoop failures ", "yesterday [1]."]
    llm.delay = 0.3
    start_llm_bot(), start_llm_bot()
    msg = slack.post_user_message(CH, f"<@{slack.bot_user_id}> How many Hadoop failures yesterday?")
    slack.send_event_to_each(slack.event_from(msg, "app_mention"))
    final_answer(slack, msg["ts"])
    time.sleep(1.5)  # a slow loser would have withdrawn by now
    (shown,) = [m for m in slack.thread(CH, msg["ts"]) if m.get("bot_id")]
    assert shown["text"] == "Five Hadoop failures yesterday [1]." and "flowrag_feedback_up" in json.dumps(shown)
    stops = [c for c in slack.calls_to("chat.stopStream") if c.response["ok"]
             and "context" in c.params.get("metadata", {}).get("event_payload", {})]
    assert len(stops) == 1 and len(slack.calls_to("chat.startStream")) == 2, "both streamed, one answered"
    assert slack.calls_to("chat.delete")
