"""Exactly once, without a visible duplicate: whatever is posted once per channel and day (the
digest, its catch-up) or once per event (an alert) is claimed before it is posted, and only the
claim's winner posts. Nothing is posted and then withdrawn: in Slack a deleted duplicate has
already notified every member.

Two claims, one after the other:

1. **Processes sharing an index** share `state.sqlite3`: a claim is a row with a unique key
   (StateStore.claim); the process whose INSERT adds it is the only one that goes on.
2. **Replicas with their own index** share only Slack. The winner of (1) then claims through Slack
   itself with a *marker*: a message scheduled far ahead (`chat.scheduleMessage`, never delivered:
   it is deleted well before its time) whose text names the claim. It lists the channel's
   scheduled messages: if another live marker of the same claim was created in the same second
   as its own or before, it deletes its own and steps back; otherwise it has won. The winner reads
   the channel once more for the message itself (another replica may have posted and deleted its
   marker just before), posts, then deletes its marker. Ties in the same second make every
   contender step back and try again after a random pause, so two can never both win; a marker
   older than MARKER_STALE_S is a crashed replica's, ignored and deleted by whoever sees it.

   This holds as far as Slack's scheduled-message list is consistent with its writes; it costs
   three Web API calls per claim."""
from __future__ import annotations

import logging
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Protocol

from slack_sdk.errors import SlackApiError

log = logging.getLogger("flowrag.bot")
MARKER_PREFIX = "flowrag claim "
MARKER_AHEAD_S = 7 * 86400  # far enough never to be delivered while its owner lives
MARKER_STALE_S = 600  # a marker this old belongs to a replica that died in the middle of a claim
LIST_PAGES = 5
TIE_TRIES = 5
TIE_PAUSE_S = (0.2, 1.5)


class ClaimState(Protocol):
    def claim(self, key: str, owner: str) -> bool: ...
    def claim_posted(self, key: str, ts: str) -> None: ...
    def release(self, key: str, owner: str) -> None: ...


def owner_id() -> str:
    """Who holds a claim, for the log: the host, the process, and a nonce for this run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Outcome:
    """What a claim came to: "ours" (we posted `ts`), "theirs" (another replica won, or the message
    was already there), "held" (another process sharing this index holds the claim)."""
    status: str
    ts: str | None = None


class Claims:
    def __init__(self, client, state: ClaimState, *, owner: str | None = None, through_slack: bool = True,
                 clock: Callable[[], float] = time.time):
        self.client, self.state = client, state
        self.owner = owner or owner_id()
        self.through_slack = through_slack
        self.clock = clock

    def post_once(self, channel: str, key: str, posted: Callable[[], bool], post: Callable[[], str | None]
                  ) -> Outcome:
        """Post (`post()` returns the ts) unless another process or replica claimed `key` first, or
        `posted()` finds the message already there. If `post` raises, the claim is given back so
        that a later try (any process) may post."""
        if not self.state.claim(key, self.owner):
            log.info("claim %s: held by another process sharing this index", key)
            return Outcome("held")
        marker = None
        try:
            if self.through_slack:
                won, marker = self._through_slack(channel, key, posted)
            else:
                won = not posted()
            ts = post() if won else None
        except BaseException:
            self.state.release(key, self.owner)
            raise
        finally:
            if marker:  # after the post: a replica listing meanwhile sees the claim, or the message
                self._unschedule(channel, marker)
        if not ts:
            return Outcome("theirs")
        self.state.claim_posted(key, ts)
        return Outcome("ours", ts)

    def sweep(self, channel: str) -> int:
        """Delete the markers a replica left behind when it died in the middle of a claim, before
        they are ever delivered (run at start; claims in the channel do it too)."""
        now = self.clock()
        stale = [m["id"] for m in self._markers(channel)
                 if m.get("text", "").startswith(MARKER_PREFIX) and now - m["date_created"] > MARKER_STALE_S]
        for sid in stale:
            self._unschedule(channel, sid)
        return len(stale)

    # --- the marker protocol ------------------------------------------------------------
    def _through_slack(self, channel: str, key: str, posted) -> tuple[bool, str | None]:
        """(won and the message is not there yet, our marker to delete once posted)."""
        text = MARKER_PREFIX + key
        for _ in range(TIE_TRIES):
            if posted():
                return False, None
            mine = self._schedule(channel, text)
            try:
                verdict = self._verdict(channel, text, mine)
            except BaseException:
                self._unschedule(channel, mine)
                raise
            if verdict == "won":
                # read again: a replica may have posted and withdrawn its marker just before ours
                return not posted(), mine
            self._unschedule(channel, mine)
            if verdict == "lost":
                log.info("claim %s: another replica claimed it first", key)
                return False, None
            time.sleep(random.uniform(*TIE_PAUSE_S))  # a tie: every contender steps back, then retries
        log.warning("claim %s: still contended after %d tries; not posting", key, TIE_TRIES)
        return False, None

    def _schedule(self, channel: str, text: str) -> str:
        resp = self.client.chat_scheduleMessage(channel=channel, text=text,
                                                post_at=int(self.clock() + MARKER_AHEAD_S))
        return resp["scheduled_message_id"]

    def _unschedule(self, channel: str, sid: str) -> None:
        try:
            self.client.chat_deleteScheduledMessage(channel=channel, scheduled_message_id=sid)
        except SlackApiError as e:
            log.warning("claim marker %s not deleted (%s): it would be posted in %d days", sid,
                        e.response.get("error"), MARKER_AHEAD_S // 86400)

    def _verdict(self, channel: str, text: str, mine: str) -> str:
        """"won", "lost" (an earlier live marker), or "tie" (another one in the same second)."""
        markers = self._markers(channel)
        own = next((m for m in markers if m["id"] == mine), None)
        if own is None:
            raise RuntimeError("our claim marker is not listed")
        now = self.clock()
        ahead = "won"
        for m in markers:
            if m["id"] == mine or not m.get("text", "").startswith(MARKER_PREFIX):
                continue
            if now - m["date_created"] > MARKER_STALE_S:
                self._unschedule(channel, m["id"])  # a dead replica's: never let it be delivered
                continue
            if m["text"] != text:
                continue
            if m["date_created"] < own["date_created"]:
                return "lost"
            if m["date_created"] == own["date_created"]:
                ahead = "tie"
        return ahead

    def _markers(self, channel: str) -> list[dict]:
        out, cursor = [], None
        for _ in range(LIST_PAGES):
            resp = self.client.chat_scheduledMessages_list(channel=channel, limit=100, cursor=cursor)
            out += resp.get("scheduled_messages") or []
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return out
