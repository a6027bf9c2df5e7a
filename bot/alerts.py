"""New-error alerts: when a failing message flowrag has never seen fail becomes known, one post per
message (not per run), grouping the runs and pipelines that show it, with citations; at most
FLOWRAG_ALERT_MAX_PER_HOUR an hour, the rest folded into one "and N more" post. Replies in an
alert's thread are follow-ups about that error (its context is in the message metadata).

*New* is keyed on when the failure became known, not on the run's timestamp: a run that started
two hours ago and is set to FAILED now, with a message never seen failing, is news now. The
failing messages known so far are kept in state.sqlite3 (`failures_known`), which also makes each
alert a claim: of the processes sharing an index, the one that records a message first alerts it;
a replica with its own index also claims it through Slack (bot/claims.py) and reads the channel
for an alert of it before posting.

History is not news: when flowrag starts watching with no record of having watched in the last
GAP_S (a first ingest, or a restart after downtime), what it learns until FLOWRAG_ALERT_CATCH_UP
seconds after its first check is summarised in one message (FLOWRAG_ALERT_BACKFILL=summary, the default; `off`:
recorded without a post), edited in place as the catch-up goes on.

The alert channel's settings (core/channels.py) apply: only errors within its filter, in its
language, times in its timezone; a muted channel gets no alert (those errors are not kept for
later: an alert is news or nothing)."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import deque
from datetime import datetime, timedelta, timezone

from core.ask.headline import headline_of
from core.ask.query import Query, Window

from .blocks import citation_mrkdwn, message, section
from .claims import Claims
from .formatting import escape
from .strings import SLACK
from .threads import EVENT_TYPE

log = logging.getLogger("flowrag.bot")
HOUR = timedelta(hours=1)
GAP_S = 120  # no alerter watched this index for longer: what comes next is a catch-up
CATCH_UP_S = 60  # after the first check of a catch-up, what is learned still goes into its summary
HEARTBEAT_S = 30
WATCHED = "alerts_watched_at"
CATCH_UP = "alerts_catch_up"  # {"began", "until"}: the catch-up processes sharing an index are in
BACKFILL_SHOWN = 10
HISTORY_LIMIT = 200  # the alert channel's latest messages, read for a replica's alert of the same error


class AlertPoster:
    def __init__(self, client, engine, channel: str, max_per_hour: int = 6, clock=None, language: str = "fr",
                 backfill: str = "summary", claims: Claims | None = None, catch_up_s: float = CATCH_UP_S):
        self.client, self.engine, self.channel = client, engine, channel
        self.max_per_hour, self.language, self.backfill = max_per_hour, language, backfill
        self.catch_up_s = catch_up_s
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.claims = claims or Claims(client, engine.state)
        self._sent: deque[datetime] = deque()
        self._lock = threading.Lock()
        self._cs = None  # the channel's settings as of the current check
        self._catch_up_until: datetime | None = None
        self._summary: tuple[str, list] | None = None  # the catch-up summary's ts and what it lists
        self._catching_up = self._join_or_start_catch_up(self.clock())

    def _join_or_start_catch_up(self, now: datetime) -> bool:
        """Whether this process starts in a catch-up. Processes sharing an index decide it together
        (state.sqlite3): one started a moment after another sees the first one's heartbeat, and must
        join its catch-up rather than take the history it learns first for news."""
        state = self.engine.state
        watched = state.get_meta(WATCHED)
        if watched is None or (now - datetime.fromisoformat(watched)).total_seconds() > GAP_S:
            state.set_meta(CATCH_UP, {"began": now.isoformat(), "until": None})
            return True
        shared = state.get_meta(CATCH_UP) or {}
        if shared.get("until"):
            until = datetime.fromisoformat(shared["until"])
            if now <= until:
                self._catch_up_until = until  # the same window as the others
                return True
            return False
        return bool(shared.get("began")) and (now - datetime.fromisoformat(shared["began"])).total_seconds() <= GAP_S

    def heartbeat(self) -> None:
        """This index is being watched: a restart within GAP_S is not a catch-up."""
        self.engine.state.set_meta(WATCHED, self.clock().isoformat())

    def run_heartbeat(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.heartbeat()
            stop.wait(HEARTBEAT_S)

    def check(self, _counts: dict | None = None) -> list[str]:
        """After an ingest: alert on failing messages that became known since the last check."""
        with self._lock:
            now = self.clock()
            catching_up = self._in_catch_up(now)
            known = self.engine.state.known_failures()
            learned = self.engine.state.learn_failures(self.engine.failing_signatures() - known,
                                                       backfill=catching_up)
            self.heartbeat()
            if not learned:
                return []
            cs = self.engine.channels.get(self.channel)  # read each time: an admin may change it meanwhile
            self._cs = cs
            if cs is not None and cs.muted:
                return []
            facts = self.engine.failure_facts(sorted(learned), techs=cs.techs if cs else (),
                                              pipelines=cs.pipelines if cs else ())
            if not facts:
                return []
            if catching_up:
                return self._summarise(facts) if self.backfill == "summary" else []
            return self._alert(facts, now)

    def _in_catch_up(self, now: datetime) -> bool:
        if not self._catching_up:
            return False
        if self._catch_up_until is None:
            self._catch_up_until = now + timedelta(seconds=self.catch_up_s)
            shared = self.engine.state.get_meta(CATCH_UP) or {}
            if not shared.get("until"):  # the first check of the catch-up fixes its end for every process
                self.engine.state.set_meta(CATCH_UP, {**shared, "until": self._catch_up_until.isoformat()})
        if now <= self._catch_up_until:
            return True
        self._catching_up = False
        return False

    def _alert(self, facts: list, now: datetime) -> list[str]:
        facts.sort(key=lambda m: (-m.count, m.signature_id))
        while self._sent and now - self._sent[0] > HOUR:
            self._sent.popleft()
        room = max(0, self.max_per_hour - len(self._sent))
        posted = []
        for m in facts[:room]:
            try:
                outcome = self.claims.post_once(self.channel, f"alert:{self.channel}:{m.signature_id}",
                                                posted=lambda sig=m.signature_id: sig in self._alerted_in_channel(),
                                                post=lambda m=m: self._post_one(m, now))
            except Exception as e:  # noqa: BLE001 - Slack refused or failed: the next check tries again
                log.warning("alert for %s not posted (%s): retried at the next check", m.signature_id, e)
                self.engine.state.forget_failures([m.signature_id])
                continue
            if outcome.ts:
                posted.append(outcome.ts)
                self._sent.append(now)
        rest = facts[room:]
        if rest:
            posted.append(self._post_more(rest))
        return posted

    def _alerted_in_channel(self) -> set[str]:
        """Errors alerted in the channel lately (by any replica): their alerts' and summaries' metadata."""
        resp = self.client.conversations_history(channel=self.channel, include_all_metadata=True, limit=HISTORY_LIMIT)
        out: set[str] = set()
        for m in resp.get("messages") or []:
            meta = m.get("metadata") or {}
            if meta.get("event_type") == EVENT_TYPE:
                payload = meta.get("event_payload") or {}
                out.update([payload["alert"]] if payload.get("alert") else [])
                out.update(str(payload.get("alerts") or "").split())
        return out

    def _summarise(self, facts: list) -> list[str]:
        """The catch-up in one message: posted once (claimed: replicas with the same history
        learn the same messages), then edited as more of the history arrives."""
        if self._summary is not None:
            ts, shown = self._summary
            shown = shown + facts
            self._summary = (ts, shown)
            self.client.chat_update(channel=self.channel, ts=ts, **self._backfill_message(shown))
            return []
        key = hashlib.sha1(" ".join(sorted(m.signature_id for m in facts)).encode()).hexdigest()[:16]
        outcome = self.claims.post_once(
            self.channel, f"backfill:{self.channel}:{key}",
            posted=lambda: {m.signature_id for m in facts} <= self._alerted_in_channel(),
            post=lambda: self.client.chat_postMessage(channel=self.channel, **self._backfill_message(facts))["ts"])
        if outcome.ts:
            self._summary = (outcome.ts, list(facts))
            return [outcome.ts]
        return []

    def _backfill_message(self, facts: list) -> dict:
        t, tz = SLACK[self._lang], self._tz
        latest = sorted(facts, key=lambda m: (m.last_seen, m.signature_id), reverse=True)
        head = t["alert_backfill"].format(n=len(facts)) if len(facts) > 1 else t["alert_backfill_one"]
        lines = [t["alert_backfill_item"].format(message=escape(headline_of(m.text, 150)), n=m.count,
                                                 last=m.last_seen.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
                 for m in latest[:BACKFILL_SHOWN]]
        if len(latest) > BACKFILL_SHOWN:
            lines.append(t["alert_backfill_rest"].format(n=len(latest) - BACKFILL_SHOWN))
        meta = {"event_type": EVENT_TYPE,
                "event_payload": {"q_ts": "", "answer_id": "alert-backfill",
                                  "alerts": " ".join(m.signature_id for m in facts)}}
        return dict(message(head, [section(head), section("\n".join(lines))]), metadata=meta)

    @property
    def _lang(self) -> str:
        return self._cs.lang(self.language) if self._cs else self.language

    @property
    def _tz(self):
        return (self._cs.tz if self._cs else None) or self.engine.tz

    def _post_one(self, m, now: datetime) -> str:
        lang, tz, cs = self._lang, self._tz, self._cs
        window = Window(m.first_seen, now + timedelta(seconds=1))
        t = SLACK[lang]
        pipes = ", ".join(escape(p) for p in m.pipelines[:5]) + (", …" if len(m.pipelines) > 5 else "")
        head = t["alert_new"].format(message=escape(headline_of(m.text, 300)))
        facts = t["alert_facts"].format(n=m.count, pipelines=pipes,
                                        first=m.first_seen.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
        cites = self.engine.cite_message(m.signature_id, window, techs=cs.techs if cs else (),
                                         pipelines=cs.pipelines if cs else ())
        blocks = [section(head), section(facts)] + [section(citation_mrkdwn(c, tz, lang)) for c in cites]
        scope = Query(statuses=("failed",), techs=cs.techs if cs else (), pipelines=cs.pipelines if cs else ())
        ctx = {"question": headline_of(m.text, 200), "language": lang, "explain": True,
               "search": headline_of(m.text, 300), "query": scope.as_json(),
               "channel_default": list(cs.names) if cs else []}
        meta = {"event_type": EVENT_TYPE, "event_payload": {"q_ts": "", "answer_id": f"alert-{m.signature_id}",
                                                             "alert": m.signature_id,
                                                             "context": json.dumps(ctx, ensure_ascii=False)}}
        resp = self.client.chat_postMessage(channel=self.channel, metadata=meta, **message(head, blocks))
        return resp["ts"]

    def _post_more(self, rest) -> str:
        t = SLACK[self._lang]
        items = "\n".join(f"• {escape(headline_of(m.text, 150))} — {m.count}" for m in rest[:20])
        text = t["alert_more"].format(n=len(rest))
        resp = self.client.chat_postMessage(channel=self.channel, **message(text, [section(text), section(items)]))
        return resp["ts"]
