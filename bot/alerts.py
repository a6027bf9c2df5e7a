"""New-error alerts: when an ingest brings a failing message never seen before, one post per new
message (not per run), grouping the runs and pipelines that show it, with citations; at most
FLOWRAG_ALERT_MAX_PER_HOUR an hour, the rest folded into one "and N more" post. Replies in an
alert's thread are follow-ups about that error (its context is in the message metadata).

The alert channel's settings (core/channels.py) apply: only new errors within its filter, in its
language, times in its timezone; a muted channel gets no alert (those errors are not kept for
later: an alert is news or nothing)."""
from __future__ import annotations

import json
import logging
import threading
from collections import deque
from datetime import datetime, timedelta, timezone

from core.ask.headline import headline_of
from core.ask.query import Query, Window
from core.strings import SLACK

from .blocks import citation_mrkdwn, message, section
from .formatting import escape
from .threads import EVENT_TYPE

log = logging.getLogger("flowrag.bot")
HOUR = timedelta(hours=1)


class AlertPoster:
    def __init__(self, client, engine, channel: str, max_per_hour: int = 6, clock=None, language: str = "fr"):
        self.client, self.engine, self.channel = client, engine, channel
        self.max_per_hour, self.language = max_per_hour, language
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.since = self.clock()  # only errors that first appear from now on
        self._sent: deque[datetime] = deque()
        self._alerted: set[str] = set()
        self._lock = threading.Lock()
        self._cs = None  # the channel's settings as of the current check

    def check(self, _counts: dict | None = None) -> list[str]:
        """After an ingest: alert on failing messages whose first occurrence ever is new."""
        with self._lock:
            now = self.clock()
            window = Window(self.since, now + timedelta(seconds=1))
            cs = self.engine.channels.get(self.channel)  # read each time: an admin may change it meanwhile
            self._cs = cs
            new = [m for m in self.engine.new_errors(window, techs=cs.techs if cs else (),
                                                     pipelines=cs.pipelines if cs else ())
                   if m.signature_id not in self._alerted]
            self.since = now - timedelta(minutes=10)  # runs can arrive a little late; _alerted dedupes
            if cs is not None and cs.muted:
                self._alerted.update(m.signature_id for m in new)
                return []
            posted = []
            while self._sent and now - self._sent[0] > HOUR:
                self._sent.popleft()
            room = max(0, self.max_per_hour - len(self._sent))
            for m in new[:room]:
                posted.append(self._post_one(m, window))
                self._sent.append(now)
            rest = new[room:]
            if rest:
                posted.append(self._post_more(rest))
            self._alerted.update(m.signature_id for m in new)
            return posted

    @property
    def _lang(self) -> str:
        return self._cs.lang(self.language) if self._cs else self.language

    @property
    def _tz(self):
        return (self._cs.tz if self._cs else None) or self.engine.tz

    def _post_one(self, m, window: Window) -> str:
        lang, tz, cs = self._lang, self._tz, self._cs
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
