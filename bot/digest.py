"""The morning digest in Slack: exactly one per channel per day, across restarts and bot
processes, with its chart in the thread and its context in message metadata, so that replies in
the thread are follow-ups about that day. A channel's settings (core/channels.py) give its digest
its filter, language and timezone (08:30 there, about its yesterday); a muted channel gets none.

Exactly once, and never a duplicate that notifies and is then deleted: the digest of a channel and
day is claimed before it is built (bot/claims.py: a row in state.sqlite3 for processes sharing an
index, then a scheduled-message marker in the channel for replicas with their own index), and the
channel's history is read for it (message metadata) before posting."""
from __future__ import annotations

import logging
import statistics
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from core.ask.query import Query, local_days
from core.numbers import decimal
from core.strings import name_label, t

from .claims import Claims
from .formatting import escape
from .strings import SLACK, words
from .threads import EVENT_TYPE, ts_key

log = logging.getLogger("flowrag.bot")
HISTORY_PAGES = 5
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
        "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6}


@dataclass(frozen=True)
class Schedule:
    channels: tuple[str, ...]
    at: time  # local time in tz
    days: frozenset[int]  # weekdays, Monday = 0
    tz: ZoneInfo
    language: str = "fr"

    @classmethod
    def from_settings(cls, settings) -> "Schedule":
        return cls(channels=tuple(c.strip() for c in (settings.digest_channels or "").split(",") if c.strip()),
                   at=parse_time(settings.digest_time), days=parse_days(settings.digest_days), tz=settings.tz,
                   language=settings.digest_language)


def parse_time(text: str) -> time:
    hh, _, mm = (text or "08:30").strip().partition(":")
    return time(int(hh), int(mm or 0))


def parse_days(text: str) -> frozenset[int]:
    """"mon-fri", "mon,wed,fri", "lun-ven", "*"."""
    text = (text or "mon-fri").strip().lower()
    if text in ("*", "all", "tous"):
        return frozenset(range(7))
    out: set[int] = set()
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        if b:
            i, j = DAYS[a[:3]], DAYS[b[:3]]
            out.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
        elif a:
            out.add(DAYS[a[:3]])
    return frozenset(out)


def due(now: datetime, s: Schedule, tz: ZoneInfo | None = None) -> date | None:
    """The day whose digest is due now, or None. Once the time is passed it stays due for the rest
    of that local day (a catch-up after a restart), never for an earlier day. `tz`: a channel's own."""
    local = now.astimezone(tz or s.tz)
    if local.weekday() not in s.days or local.time() < s.at:
        return None
    return local.date() - timedelta(days=1)  # the digest of the morning is about yesterday


def digest_message(d, tz: ZoneInfo) -> dict:
    """The digest as a Slack message: its opening lines, the summary table by technology, the
    14-day chart, the rest of its text (escaped), then its citations. Pure."""
    from .blocks import citation_mrkdwn, divider, message, section
    from .formatting import split_text

    text = escape(d.text)
    head, _, rest = text.partition("\n\n")  # the title and the day's counts, then the lists
    sections = [section(p) for p in split_text(head, 3000) + split_text(rest, 3000)][:30]
    n_head = len(split_text(head, 3000))
    figures = digest_table(d) + [c for c in [digest_chart(d)] if c]
    body = sections[:n_head] + figures + sections[n_head:]
    if d.citations:
        body.append(divider())
        body += [section(citation_mrkdwn(c, tz, d.language)) for c in d.citations[:15]]
    return message(text[:3000], body)


def digest_table(d) -> list[dict]:
    """The day's failures by technology beside the usual (the median of the 7 days before, as
    the digest's own counts line), with the total: the summary people compare."""
    from .blocks import table_blocks

    lang = d.language if d.language in SLACK else "en"
    words = SLACK[lang]
    days = [k for k in d.per_day_by_tech if k < d.date][-7:]
    techs = sorted({*d.failures_by_tech, *(x for k in days for x in d.per_day_by_tech[k])})
    usual = {x: statistics.median([d.per_day_by_tech[k].get(x, 0) for k in days]) if days else 0 for x in techs}
    rows = [[name_label(lang, "tech", x), d.failures_by_tech.get(x, 0), decimal(usual[x], lang)] for x in techs
            if d.failures_by_tech.get(x, 0) or usual[x]]
    if not rows:
        return []
    rows.sort(key=lambda r: (-r[1], r[0]))
    total = [words["col_total"], d.failures, decimal(d.usual_failures.get("median", 0), lang)]
    return table_blocks([words["col_tech"], d.date, words["col_usual"]], rows + [total], lang)


def digest_chart(d) -> dict | None:
    """Failures per day per technology over the digest's 14 days, as Slack's native line chart:
    the 5 technologies with most failures and the others summed, to keep within 6 series."""
    from .blocks import chart

    lang = d.language if d.language in SLACK else "en"
    days = list(d.per_day_by_tech)
    totals: dict[str, int] = {}
    for k in days:
        for x, n in d.per_day_by_tech[k].items():
            totals[x] = totals.get(x, 0) + n
    if not totals or not 1 <= len(days) <= 20:
        return None
    ranked = sorted(totals, key=lambda x: (-totals[x], x))
    shown = ranked if len(ranked) <= 6 else ranked[:5]
    series = [(x, [d.per_day_by_tech[k].get(x, 0) for k in days]) for x in shown]
    if len(ranked) > len(shown):
        series.append((SLACK[lang]["chart_other"],
                       [sum(n for x, n in d.per_day_by_tech[k].items() if x not in shown) for k in days]))
    return chart(SLACK[lang]["digest_chart"], [k[5:] for k in days], series, y_label=t(lang, "digest_chart_y"))


def post_digest(client, d, tz: ZoneInfo, **kwargs) -> tuple[dict, bool]:
    """chat.postMessage of the digest; if Slack refuses its table or chart (``invalid_blocks``,
    as some workspaces still do), the same digest again with them as text. Returns Slack's
    response and whether the native chart was taken."""
    from .blocks import without_tables

    msg = digest_message(d, tz)
    try:
        resp = client.chat_postMessage(**kwargs, **msg)
        return resp, any(b["type"] == "data_visualization" for b in msg["blocks"])
    except SlackApiError as e:
        if e.response.get("error") != "invalid_blocks":
            raise
        log.warning("digest %s: invalid_blocks, re-sent with its table and chart as text", d.date)
        return client.chat_postMessage(**kwargs, **without_tables(msg)), False


def digest_context(d, tz: ZoneInfo, channel=None) -> dict:
    """What a reply in the digest's thread follows up on: that day's failures (within the
    channel's filter, which the follow-up's interpretation line keeps naming)."""
    q = Query(window=local_days(date.fromisoformat(d.date), tz, label=d.date), statuses=("failed",),
              techs=channel.techs if channel else (), pipelines=channel.pipelines if channel else ())
    return {"question": f"digest {d.date}", "language": d.language, "explain": False, "search": "",
            "query": q.as_json(), "digest": d.date, "channel_default": list(channel.names) if channel else []}


class DigestPoster:
    def __init__(self, client, engine, claims: Claims | None = None):
        self.client, self.engine = client, engine
        self.claims = claims or Claims(client, engine.state)
        self._posted: set[tuple[str, str]] = set()  # (channel, day) known to be posted

    def knows_posted(self, channel: str, day: date) -> bool:
        """Posted (by this process or another) as far as this process already found out."""
        return (channel, day.isoformat()) in self._posted

    def already_posted(self, channel: str, day: str) -> str | None:
        """The ts of that day's digest in the channel, if any process posted it."""
        found = self._digests(channel, day)
        return found[0] if found else None

    def post(self, channel: str, day: date, language: str = "fr") -> str | None:
        """Post the digest of `day` unless it is there already or the channel is muted: claimed first
        (bot/claims.py), so that of several processes and replicas exactly one posts, and nothing is
        ever posted then deleted. Returns its ts, or None."""
        key = (channel, day.isoformat())
        cs = self.engine.channels.get(channel)
        if cs is not None and cs.muted:
            return None
        if self.knows_posted(channel, day):
            return None
        outcome = self.claims.post_once(channel, f"digest:{channel}:{day.isoformat()}",
                                        posted=lambda: self.already_posted(channel, day.isoformat()) is not None,
                                        post=lambda: self._build_and_post(channel, day, language, cs))
        if outcome.status != "held":  # held: the holder posts, or gives the claim back on failure
            self._posted.add(key)
        if outcome.status == "ours":
            log.info("digest %s posted in %s (ts %s)", day, channel, outcome.ts)
        return outcome.ts

    def _build_and_post(self, channel: str, day: date, language: str, cs) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            d = self.engine.digest(day, language=language, chart=Path(tmp) / f"flowrag-digest-{day}.png", channel=cs)
            ts, native_chart = self._post_message(channel, d, cs)
            if not native_chart:  # the PNG is the chart's fallback, in the thread
                self._upload_chart(channel, ts, d)
        return ts

    def _post_message(self, channel: str, d, cs=None) -> tuple[str, bool]:
        tz = (cs.tz if cs else None) or self.engine.tz
        meta = {"event_type": EVENT_TYPE,
                "event_payload": {"q_ts": "", "answer_id": f"digest-{d.date}", "digest": d.date,
                                  "context": _json(digest_context(d, tz, cs))}}
        resp, native_chart = post_digest(self.client, d, tz, channel=channel, metadata=meta)
        return resp["ts"], native_chart

    def _upload_chart(self, channel: str, ts: str, d) -> None:
        if not d.chart:
            return
        try:
            self.client.files_upload_v2(channel=channel, thread_ts=ts, file=d.chart, filename=Path(d.chart).name,
                                        title=words(d.language)["digest_chart"])
        except Exception as e:  # noqa: BLE001 - the digest itself is posted; the chart is a bonus
            log.warning("digest chart not uploaded: %s", e)

    def _digests(self, channel: str, day: str) -> list[str]:
        """Timestamps of the bot's digests of `day` in the channel, oldest first."""
        out, cursor = [], None
        for _ in range(HISTORY_PAGES):
            resp = self.client.conversations_history(channel=channel, include_all_metadata=True, limit=200,
                                                     cursor=cursor)
            for m in resp.get("messages") or []:
                payload = ((m.get("metadata") or {}).get("event_payload") or {})
                if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE and payload.get("digest") == day:
                    out.append(m["ts"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return sorted(out, key=ts_key)


class DigestScheduler:
    """Every 30 s: is a digest due? Ingest first (once a day), then post where it is missing."""

    def __init__(self, poster: DigestPoster, schedule: Schedule, clock=None):
        from datetime import timezone

        self.poster, self.schedule = poster, schedule
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._ingested: date | None = None

    def tick(self) -> list[str]:
        now = self.clock()
        posted = []
        for channel in self.schedule.channels:
            cs = self.poster.engine.channels.get(channel)  # read each time: an admin may change it meanwhile
            if cs is not None and cs.muted:
                continue
            day = due(now, self.schedule, cs.tz if cs else None)
            if day is None or self.poster.knows_posted(channel, day):
                continue
            try:
                if self._ingested != day:
                    self._ingest()
                    self._ingested = day
                ts = self.poster.post(channel, day, self.schedule.language)
                if ts:
                    posted.append(ts)
            except Exception as e:  # noqa: BLE001 - logged; the next tick tries again
                log.warning("digest for %s in %s failed: %s", day, channel, e)
        return posted

    def _ingest(self) -> None:
        from core.errors import IngestRunning

        try:
            self.poster.engine.ingest()
        except IngestRunning:
            log.info("digest: an ingest is already running elsewhere; digest from the index as it is")

    def run(self, stop, every_s: float = 30) -> None:
        while not stop.is_set():
            self.tick()
            stop.wait(every_s)


def _json(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False)
