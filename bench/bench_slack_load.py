#!/usr/bin/env python3
"""Load bench of the Slack bot: mentions arrive in a burst through the Slack stand-in, while the
stand-in answers part of the Web API calls with 429 + Retry-After, as Slack does under load.

The bot is the real one (Bolt App + SocketModeHandler over real sockets, `bot.app.build_app`), on a
real engine over generated runs in SecantusDB (a MongoDB wire server, in process). No LLM: the
figure is the bot's own. Everything listens on 127.0.0.1; every wait is bounded.

    python bench/bench_slack_load.py                       # 50 mentions in 5 s, 10% of calls 429
    python bench/bench_slack_load.py --bots 2              # two bot processes given every event
    python bench/bench_slack_load.py --mentions 100 --window 5 --share-429 0.2

Each mention is delivered the way Slack does it: the `app_mention` event, the `message` event of the
same message, and for every fifth one a retry of the `app_mention` (retry_attempt=1). With --bots 2
each delivery goes to both connections at once, so the two processes race for every question.

Checks: every question gets exactly one answer (one bot message in its thread), none is lost, no
apology. Prints one JSON object: p50/p95/max from the event's sending to the final answer (the call
that carries its context, as the stand-in received it: the chat.postMessage of the answer while the
thinking status shows, or the chat.update of a placeholder where the status is refused), and to the
first bot message in the thread (the claim). Exit code 1 when a check fails; the p95 target (5 s
without LLM) is reported, not enforced.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the stand-in lives beside the tests
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

TARGET_P95_S = 5.0
CHANNELS = ("C0LOAD1", "C0LOAD2", "C0LOAD3", "C0LOAD4", "C0LOAD5")
RATE_LIMITED = frozenset({"chat.postMessage", "chat.update", "chat.delete", "conversations.replies",
                          "reactions.add", "reactions.remove", "assistant.threads.setStatus"})
FINISHING = ("chat.postMessage", "chat.update", "chat.stopStream")  # the calls that can complete an answer
QUESTIONS = [
    "How many Spark failures yesterday?", "Quelles technos ont échoué hier ?",
    "Which pipeline failed the most last week?", "Combien d'échecs Talend cette semaine ?",
    "How many warnings today?", "Combien d'échecs Kafka ces 7 derniers jours ?",
    "What is the failure rate of dbt this week?", "Quels pipelines ont le plus échoué ce mois-ci ?",
    "How many Airflow failures in the last 24 hours?", "Combien d'avertissements NiFi hier ?",
    "Which technologies had failures yesterday?", "Taux d'échec d'Informatica cette semaine ?",
    "How many runs of tln_crm_customers_load failed this week?", "Quels messages d'erreur sont nouveaux aujourd'hui ?",
    "Which pipelines are failing in a row?", "Combien d'exécutions Spark aujourd'hui ?",
    "How many failures last week compared to the week before?", "Dernier échec de spark-fraud-scoring ?",
    "Which pipelines have not run today?", "Combien d'échecs dbt hier ?",
    "What went wrong with Kafka yesterday?", "Combien d'échecs par techno cette semaine ?",
    "How many Talend failures yesterday?", "Quels pipelines Airflow ont échoué hier ?",
    "How many successful Spark runs yesterday?",
]


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def start_mongo(storage: Path):
    from secantus import SecantusDBServer

    server = SecantusDBServer(port=0, storage_path=str(storage), replica_set_name=None)
    server.start()
    return server, f"mongodb://127.0.0.1:{server.port}/?directConnection=true"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mentions", type=int, default=50)
    ap.add_argument("--window", type=float, default=5.0, help="seconds over which the mentions arrive")
    ap.add_argument("--records", type=int, default=20_000, help="generated runs in MongoDB")
    ap.add_argument("--share-429", type=float, default=0.10, help="share of Web API calls answered 429")
    ap.add_argument("--retry-after", type=int, default=1, help="Retry-After of those 429s, seconds")
    ap.add_argument("--bots", type=int, default=1, choices=(1, 2), help="bot processes given every event")
    ap.add_argument("--timeout", type=float, default=120.0, help="longest wait for the last answer")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from pymongo import MongoClient
    from slack_standin import SlackStandin

    from bot.app import build_app, start_socket_mode
    from core.engine import Engine
    from core.settings import load_settings
    from core.synthetic import load

    with tempfile.TemporaryDirectory(prefix="flowrag-slack-load-") as tmp:
        tmp = Path(tmp)
        mongo, uri = start_mongo(tmp / "mongo")
        slack = SlackStandin().start()
        engines, handlers, services = [], [], []
        try:
            t0 = time.perf_counter()
            load(MongoClient(uri)["bench"]["flows"], args.records, now=datetime.now(UTC), seed=args.seed)
            settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB="bench", MONGO_COLLECTION="flows",
                                     CHROMA_DB_DIR=str(tmp / "index"), LITELLM_MODEL=None,
                                     FLOWRAG_TIMEZONE="Europe/Paris", SLACK_BOT_TOKEN=slack.bot_token,
                                     SLACK_APP_TOKEN=slack.app_token, SLACK_API_URL=slack.api_url,
                                     FLOWRAG_HEARTBEAT_FILE=str(tmp / "heartbeat"))
            engines.append(Engine(settings))
            summary = engines[0].ingest()
            setup_s = time.perf_counter() - t0
            for i in range(args.bots):
                if i:
                    engines.append(Engine(settings))  # a second process on the same index
                bot = build_app(settings, engines[i])
                services.append(bot.service)
                handlers.append(start_socket_mode(settings, bot.app))
                slack.wait_connected(total=i + 1, timeout=20)
            for e in engines:  # what a running bot has loaded by its first answer: not the bench's figure
                e.ask("How many failures yesterday?")

            slack.rate_limit_randomly(RATE_LIMITED, share=args.share_429, retry_after=args.retry_after,
                                      seed=args.seed)

            def deliver(event: dict, **retry) -> None:
                if args.bots == 1:
                    slack.send_event(event, **retry)
                else:
                    slack.send_event_to_each(event, connections=args.bots)

            sent: dict[tuple[str, str], float] = {}
            gap = args.window / max(args.mentions, 1)
            burst_start = time.monotonic()
            for i in range(args.mentions):
                channel = CHANNELS[i % len(CHANNELS)]
                text = f"<@{slack.bot_user_id}> {QUESTIONS[i % len(QUESTIONS)]}"
                msg = slack.post_user_message(channel, text, user=f"U{100 + i % 17}")
                sent[(channel, msg["ts"])] = time.monotonic()
                deliver(slack.event_from(msg, "app_mention"))
                deliver(slack.event_from(msg, "message"))  # Slack sends both for a mention
                if i % 5 == 4:
                    deliver(slack.event_from(msg, "app_mention"), retry_attempt=1, retry_reason="timeout")
                time.sleep(max(0.0, burst_start + (i + 1) * gap - time.monotonic()))
            burst_s = time.monotonic() - burst_start

            def final_updates() -> dict[tuple[str, str], list]:
                out: dict[tuple[str, str], list] = {}
                for c in slack.calls:
                    payload = (c.params.get("metadata") or {}).get("event_payload") or {} \
                        if c.method in FINISHING else {}
                    if c.response.get("ok") and "context" in payload:
                        out.setdefault((c.response["channel"], payload.get("q_ts")), []).append(c)
                return out

            def settled() -> bool:  # every question answered, and its thread down to that one message
                return len(set(final_updates()) & set(sent)) == len(sent) and all(
                    len([m for m in slack.thread(*key) if m.get("bot_id")]) == 1 for key in sent)

            deadline = time.monotonic() + args.timeout
            while time.monotonic() < deadline and not settled():
                time.sleep(0.1)
            for service in services:  # what SIGTERM does: let the work in flight finish
                service.drain(max(deadline - time.monotonic(), 1.0))
            time.sleep(1.0)  # a late duplicate would show by now
            finals = final_updates()

            placeholders: dict[tuple[str, str], float] = {}  # the first bot message in the thread: the claim
            for c in slack.calls:
                key = (c.params.get("channel"), c.params.get("thread_ts"))
                if c.method in ("chat.postMessage", "chat.startStream") and c.response.get("ok") and key in sent \
                        and key not in placeholders:
                    placeholders[key] = c.at
            latencies, to_placeholder, lost, twice, extra_posts, apologies = [], [], [], [], [], []
            for key, at in sent.items():
                posts = [m for m in slack.thread(*key) if m.get("bot_id")]
                shown = {m["ts"] for m in posts}
                # a losing process's answer was posted, then withdrawn: only what is still there counts
                updates = [c for c in finals.get(key, []) if c.response["ts"] in shown]
                if not updates:
                    lost.append(key[1])
                    continue
                if len(updates) > 1:
                    twice.append(key[1])
                latencies.append(updates[0].at - at)
                if key in placeholders:
                    to_placeholder.append(placeholders[key] - at)
                if len(posts) != 1:
                    extra_posts.append((key[1], len(posts)))
                if any("Sorry" in (m.get("text") or "") or "Désolé" in (m.get("text") or "") for m in posts):
                    apologies.append(key[1])
            calls = slack.calls
            limited = [c for c in calls if c.status == 429]
            report = {
                "mentions": args.mentions, "bots": args.bots, "records": args.records,
                "events_delivered": len([e for e in slack.envelopes.values()
                                         if e["envelope_id"] not in slack.echo_envelope_ids]),
                "burst_s": round(burst_s, 2),
                "answered": len(latencies), "answered_exactly_once": len(latencies) - len(twice),
                "lost": lost, "answered_twice": twice, "threads_with_other_than_one_bot_message": extra_posts,
                "apologies": apologies,
                "latency_s": {"p50": round(p(latencies, 0.50), 2), "p95": round(p(latencies, 0.95), 2),
                              "max": round(max(latencies), 2) if latencies else None,
                              "mean": round(statistics.fmean(latencies), 2) if latencies else None},
                "first_message_latency_s": {"p50": round(p(to_placeholder, 0.50), 2),
                                          "p95": round(p(to_placeholder, 0.95), 2)},
                "target_p95_s": TARGET_P95_S,
                "p95_within_target": bool(latencies) and p(latencies, 0.95) <= TARGET_P95_S,
                "web_api_calls": len(calls), "answered_429": len(limited),
                "answered_429_by_method": {m: sum(1 for c in limited if c.method == m)
                                           for m in sorted({c.method for c in limited})},
                "claims_withdrawn": len([c for c in calls if c.method == "chat.delete" and c.status == 200]),
                "setup_s": round(setup_s, 1), "ingested": summary.scanned,
                "machine_cpus": os.cpu_count(),
            }
            print(json.dumps(report, ensure_ascii=False, indent=2))
            ok = not (lost or twice or extra_posts or apologies)
            return 0 if ok else 1
        finally:
            for h in handlers:
                h.close()
            for e in engines:
                e.close()
            slack.stop()
            mongo.stop()


if __name__ == "__main__":
    sys.exit(main())
