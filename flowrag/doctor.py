"""`flowrag doctor`: is every part of the configuration working, and if not, what to change.

`run_checks(settings)` returns plain values; the CLI prints them. Each check is independent and
never raises: a doctor that crashes on the first broken part would hide the others. Secrets never
reach a detail line: URIs and remote error texts go through `redact`, tokens are only named."""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from core.errors import ConfigError, FlowragError
from core.index import REBUILD
from core.normalize import SKIP_REASONS, TimestampOutOfRange, UnreadableRecord, lookup, normalize, parse_timestamp, \
    shell_filter
from core.redact import redact
from core.settings import Settings, load_settings

SAMPLE_SIZE = 50
SLACK_TIMEOUT_S = 5.0
LLM_PING_TIMEOUT_S = 20.0  # the answer path's own timeout may be generous; a doctor should not hang


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # True ✓, False ✗ (or ! when a warning), None – (skipped or not configured)
    detail: str
    fix: str = ""
    # something to fix that does not stop flowrag working (some documents skipped): `doctor`
    # exits 3 when there are only warnings, 1 when something fails
    warning: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def symbol(ok: bool | None, warning: bool = False) -> str:
    return "✓" if ok else "–" if ok is None else "!" if warning else "✗"


def exit_code(checks: list[Check]) -> int:
    """0: all good; 1: something fails; 3: only warnings (documented in the README)."""
    if any(c.ok is False and not c.warning for c in checks):
        return 1
    return 3 if any(c.ok is False for c in checks) else 0


def format_check(c: Check) -> str:
    line = f"{symbol(c.ok, c.warning)} {c.name}: {c.detail}"
    return f"{line} → fix: {c.fix}" if c.ok is False and c.fix else line


def diagnose(**overrides) -> list[Check]:
    """Load the settings (environment and .env) and check everything; a bad setting is the one failure."""
    try:
        settings = load_settings(**overrides)
    except ConfigError as e:
        return [Check("settings", False, str(e), "fix that variable in the environment or .env (see .env.example)")]
    return run_checks(settings)


def run_checks(settings: Settings, *, engine=None, slack_timeout: float = SLACK_TIMEOUT_S) -> list[Check]:
    """Every check, in the order a newcomer would fix them. `engine` may be given (tests share one);
    otherwise one is opened only if the record store already exists, so the doctor creates nothing."""
    checks = [Check("settings", True, f"valid (timezone {settings.timezone}, timestamps without a zone read as "
                                      f"{settings.source_timezone}, embeddings {settings.embedding_backend}, "
                                      f"index {_index_where(settings)})")]
    checks += _guarded("MongoDB", lambda: _mongo_checks(settings, engine))
    checks += _guarded("index", lambda: _index_checks(settings, engine))
    checks += _guarded("Slack", lambda: _slack_checks(settings, slack_timeout))
    checks += _guarded("LLM", lambda: [_llm_check(settings)])
    return checks


def _guarded(name: str, fn) -> list[Check]:
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - a doctor reports, it does not crash
        return [Check(name, False, f"check crashed: {type(e).__name__}: {redact(str(e))[:300]}",
                      "this is a flowrag bug if the message above does not name a setting; please report it")]


# --------------------------------------------------------------------------- MongoDB


def _mapping(settings: Settings, engine):
    from core.normalize import FieldMapping

    return engine.mapping if engine is not None else FieldMapping.from_settings(settings)


def _mongo_checks(settings: Settings, engine) -> list[Check]:
    from core.source import MongoSource

    where = f"{settings.mongo_db}.{settings.mongo_collection}"
    fields = _field_names(settings)
    # No projection: the sample must show every field, to suggest the right ones.
    source = MongoSource(settings.mongo_uri, settings.mongo_db, settings.mongo_collection, None,
                         timeout_ms=settings.mongo_timeout_ms)
    try:
        try:
            t0 = time.perf_counter()
            source.ping()
        except FlowragError as e:
            skipped = [Check("collection", None, "skipped (MongoDB not reachable)")]
            skipped += [Check(f"field {env}", None, "skipped (MongoDB not reachable)") for env, _ in fields]
            return [Check("MongoDB", False, str(e),
                          "set MONGO_URI to a reachable server (mongodb://[user:password@]host:27017); "
                          "check host, port, credentials and firewall, and MONGO_TIMEOUT_MS")] + skipped
        out = [Check("MongoDB", True, f"reachable at {redact(settings.mongo_uri)} "
                                      f"({(time.perf_counter() - t0) * 1000:.0f} ms)")]
        count = source.count()  # estimated: instant even on a huge collection
        if not count:
            names = _collections(source)
            out.append(Check("collection", False, f"{where} is empty or does not exist",
                             "set MONGO_DB / MONGO_COLLECTION to where the runs are"
                             + (f"; collections in {settings.mongo_db}: {', '.join(names)}" if names else "")))
            return out + [Check(f"field {env}", None, "skipped (no records)") for env, _ in fields]
        out.append(Check("collection", True, f"{where}: about {count} records"))
        docs = source.sample(SAMPLE_SIZE)
        out += field_checks(docs, _mapping(settings, engine))
        out.append(refresh_index_check(settings, source.has_index_on))
        return out
    finally:
        source.close()


def refresh_index_check(settings: Settings, has_index_on) -> Check:
    """Each ingest reads again the runs of the refresh window (or those updated since the last
    one): through an index on that field, or by a collection scan."""
    field = settings.field_updated_at or settings.field_timestamp
    env = "FLOWRAG_FIELD_UPDATED_AT" if settings.field_updated_at else "FLOWRAG_FIELD_TIMESTAMP"
    if not (settings.refresh_window_h > 0 or settings.field_updated_at):
        return Check("refresh index", None, "not needed (FLOWRAG_REFRESH_WINDOW=0)")
    found = has_index_on(field)
    if found is None:
        return Check("refresh index", None, "skipped (the collection's indexes cannot be listed)")
    if found:
        return Check("refresh index", True, f"an index starts with {field!r} ({env}): each ingest reads "
                                            "the recent runs again through it")
    return Check("refresh index", False, f"no index starts with {field!r} ({env}): each ingest scans the "
                                         "whole collection to read the recent runs again",
                 f"create it: db.{settings.mongo_collection}.createIndex({{\"{field}\": 1}})", warning=True)


def _collections(source) -> list[str]:
    try:
        return source.collection_names()[:20]
    except Exception:  # noqa: BLE001 - only a hint for the fix
        return []


def _field_names(settings: Settings) -> list[tuple[str, str]]:
    return [(f"FLOWRAG_FIELD_{k.upper()}", getattr(settings, f"field_{k}"))
            for k in ("pipeline", "tech", "status", "message", "timestamp")]


def seen_fields(docs: list[dict], depth: int = 2) -> list[str]:
    """Dotted field paths in the sample, most frequent first."""
    seen: Counter[str] = Counter()

    def walk(d: dict, prefix: str, level: int) -> None:
        for k, v in d.items():
            if k == "_id" and not prefix:
                continue
            path = f"{prefix}{k}"
            seen[path] += 1
            if isinstance(v, dict) and level < depth:
                walk(v, path + ".", level + 1)

    for doc in docs:
        if isinstance(doc, dict):
            walk(doc, "", 1)
    return [p for p, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))]


def field_checks(docs: list[dict], mapping) -> list[Check]:
    """Per mapped field, the share of sampled records that have it (a value that is not null)."""
    n = len(docs)
    seen = None
    out = []
    for key in ("pipeline", "tech", "status", "message", "timestamp"):
        path = getattr(mapping, key)
        env = f"FLOWRAG_FIELD_{key.upper()}"
        have = sum(lookup(d, path) is not None for d in docs)
        pct = round(100 * have / n) if n else 0
        detail = f"'{path}' in {pct}% of the last {n} records"
        if key == "timestamp" and have:
            detail += _timestamp_notes(docs, mapping)
        if have:
            out.append(Check(f"field {env}", True, detail))
        else:
            seen = seen if seen is not None else seen_fields(docs)
            shown = ", ".join(seen[:20]) + (", …" if len(seen) > 20 else "")
            out.append(Check(f"field {env}", False, detail,
                             f"set {env} to the right field name (dotted path for nested fields); "
                             f"fields seen: {shown or '(none)'}"))
    return out


_PLUS_ONE = timezone(timedelta(hours=1))


def _timestamp_notes(docs: list[dict], mapping) -> str:
    """What the sample says about dates: text without a zone (read in FLOWRAG_SOURCE_TIMEZONE) and
    runs dated out of range (skipped by ingest)."""
    now = datetime.now(timezone.utc)
    zoneless = 0
    out: list[TimestampOutOfRange] = []
    for d in docs:
        value = lookup(d, mapping.timestamp)
        if isinstance(value, str):
            try:  # read in two zones: a time that carries its own zone reads the same in both
                zoneless += parse_timestamp(value, timezone.utc) != parse_timestamp(value, _PLUS_ONE)
            except UnreadableRecord:
                pass
        try:
            normalize(d, mapping, now=now)
        except TimestampOutOfRange as e:
            out.append(e)
        except UnreadableRecord:
            pass
    notes = []
    if zoneless:
        notes.append(f"{zoneless} as text without a zone, read as {mapping.source_timezone} (FLOWRAG_SOURCE_TIMEZONE)")
    if out:
        e = out[0]
        notes.append(f"{len(out)} out of range and skipped by ingest, e.g. "
                     f"{shell_filter(e.record_id) if e.record_id else 'a document'} ({e.value})")
    return f"; {'; '.join(notes)}" if notes else ""


# --------------------------------------------------------------------------- index


def _index_where(settings: Settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_db_dir)


def _index_checks(settings: Settings, engine) -> list[Check]:
    if engine is None and not settings.store_path.exists() and not (settings.chroma_db_dir / "state.sqlite3").exists():
        return [Check("index", False, f"no index at CHROMA_DB_DIR={settings.chroma_db_dir}",
                      "run `flowrag ingest --full` to build it (or point CHROMA_DB_DIR at the existing index)"),
                Check("embedder", None, "skipped (no index)"),
                # A Chroma server can still be checked; a directory would be created by opening it.
                _chroma_check(settings, None) if settings.chroma_host
                else Check("Chroma", None, "skipped (no index)")]
    from core.engine import Engine

    own = engine is None
    engine = engine or Engine(settings)
    try:
        return _index_state(settings, engine)
    finally:
        if own:
            engine.close()


def _index_state(settings: Settings, engine) -> list[Check]:
    st = engine.status()
    built_with = engine.store.get_meta("embedder")
    configured = engine.embedder_name()  # from the settings: no model is loaded for this
    out = []
    if not st["records"] or not built_with:
        out.append(Check("index", False, f"the index at {st['index']} holds no records",
                         "run `flowrag ingest --full` (check the MongoDB lines above first)"))
    else:
        unfinished = (" (an ingest is under way or was interrupted: `flowrag ingest` finishes it)"
                      if engine.store.get_meta("resume") else "")
        out.append(Check("index", True, f"{st['records']} records, {st['distinct_messages']} distinct messages, "
                                        f"last ingest {st['last_ingest'] or 'never'}{unfinished}"))
    if st["records"]:
        out += _record_checks(settings, engine.store)
    if built_with and built_with != configured:
        out.append(Check("embedder", False, f"index built with {built_with!r} but {configured!r} is configured "
                                            f"(EMBEDDING_BACKEND / LOCAL_EMB_MODEL)",
                         f"{REBUILD} Or set the embedder back to the one that built it."))
    elif built_with:
        out.append(Check("embedder", True, configured))
    else:
        out.append(Check("embedder", None, f"{configured} (no index built yet)"))
    out.append(_chroma_check(settings, configured))
    return out


def _record_checks(settings: Settings, store) -> list[Check]:
    """What the records say: documents left out (and why), zone and id conventions they were
    read with."""
    out = []
    built_zone = store.get_meta("source_timezone") or "UTC"
    if built_zone != settings.source_timezone:
        out.append(Check("source timezone", False,
                         f"the index read timestamps without a zone as {built_zone}, but FLOWRAG_SOURCE_TIMEZONE="
                         f"{settings.source_timezone} (ingest refuses to mix them)",
                         f"run `flowrag ingest --full`, or set FLOWRAG_SOURCE_TIMEZONE back to {built_zone}"))
    records = store.counts()["records"]
    out.append(skipped_check(store.get_meta("skipped_docs") or {}, settings.field_timestamp, records))
    if store.get_meta("id_scheme") is None:
        # built before _ids kept their type: 777 was stored as "777"; read again, it is "int:777"
        twice, example = store.ids_stored_twice()
        if twice:
            out.append(Check("record ids", False,
                             f"{twice} document{'s are' if twice != 1 else ' is'} in the index twice, under the id of an older release and "
                             f"under their typed id (e.g. {example!r} and {example.split(':', 1)[1]!r}, "
                             f"{shell_filter(example)})", "run `flowrag ingest --full` once"))
    return out


# skipped documents up to this share of the index (or WARN_SKIPPED_MIN) are a warning, not a failure
WARN_SKIPPED_SHARE = 0.01
WARN_SKIPPED_MIN = 10


def skipped_check(kept: dict, timestamp_field: str = "timestamp", records: int = 0) -> Check:
    """The documents ingest left out, by reason, each with an _id to look up in MongoDB."""
    ids = kept.get("ids") or {}
    if not ids:
        return Check("skipped documents", True, "none (every document read is in the index)")
    by_reason: Counter[str] = Counter()
    example: dict[str, tuple[str, str]] = {}
    for rid, (reason, value) in ids.items():
        by_reason[reason] += 1
        example.setdefault(reason, (rid, value))
    parts = []
    for reason, n in sorted(by_reason.items(), key=lambda kv: (kv[0] != "out_of_range", -kv[1], kv[0])):
        rid, value = example[reason]
        parts.append(f"{n} with {SKIP_REASONS.get(reason, reason)}, e.g. {shell_filter(rid)}"
                     + (f" ({value})" if value else ""))
    total = len(ids)
    detail = (f"{'at least ' if kept.get('capped') else ''}{total} document{'s' if total != 1 else ''} "
              f"in MongoDB {'are' if total != 1 else 'is'} not in the index: " + "; ".join(parts))
    fixes = []
    if by_reason.keys() & {"out_of_range", "unreadable_timestamp"}:
        fixes.append(f"correct '{timestamp_field}' in those documents (or point FLOWRAG_FIELD_TIMESTAMP at the "
                     "field that holds the run's time; dates ahead of now: check the writer's clock and "
                     "FLOWRAG_SOURCE_TIMEZONE)")
    if by_reason.keys() - {"out_of_range", "unreadable_timestamp"}:
        fixes.append("correct or remove the other documents named")
    fixes.append("then run `flowrag ingest --full` (a plain ingest reads again only recent ObjectIds and "
                 "_ids that are not ObjectIds)")
    # the index answers without a few of them: a warning; many missing runs would skew every count
    few = not kept.get("capped") and total <= max(WARN_SKIPPED_MIN, records * WARN_SKIPPED_SHARE)
    return Check("skipped documents", False, detail, "; ".join(fixes), warning=few)


def _chroma_check(settings: Settings, configured: str | None) -> Check:
    from core.index import ChromaIndex
    from core.state import StateStore

    state = settings.chroma_db_dir / "state.sqlite3"
    gen = StateStore(state).generation() if state.exists() else 0
    # the collection of the current generation: `--full` builds "<name>-g<N>" beside the old one
    name = settings.chroma_collection if gen == 0 else f"{settings.chroma_collection}-g{gen}"
    try:
        index = ChromaIndex(path=settings.chroma_db_dir, host=settings.chroma_host, port=settings.chroma_port,
                            collection=name)
        n = index.count()
        built_with = index.embedder()
    except FlowragError as e:
        return Check("Chroma", False, redact(str(e)),
                     "check CHROMA_HOST/CHROMA_PORT" if settings.chroma_host
                     else "delete CHROMA_DB_DIR and run `flowrag ingest --full`")
    where = _index_where(settings)
    if configured and built_with and built_with != configured:
        return Check("Chroma", False, f"collection {name!r} at {where} was built with "
                                      f"{built_with!r}, not {configured!r}", REBUILD)
    if not n:
        return Check("Chroma", False, f"collection {name!r} at {where} has no vectors",
                     "run `flowrag ingest --full`")
    return Check("Chroma", True, f"{n} vectors in {name!r} at {where}")


# --------------------------------------------------------------------------- Slack

# Fixes for the errors Slack gives on a token problem.
_SLACK_FIXES = {
    "invalid_auth": "the token was rejected: copy it again from the Slack app settings",
    "not_authed": "the token was not sent; set it again",
    "token_revoked": "the token was revoked: reinstall the app to the workspace and copy the new token",
    "account_inactive": "the app or its workspace is deactivated: reinstall the app",
    "token_expired": "the token expired: reinstall the app (or turn off token rotation)",
    "not_allowed_token_type": "this is the wrong kind of token for this variable",
    "missing_scope": "give the app-level token the connections:write scope and enable Socket Mode",
}


def _slack_checks(settings: Settings, timeout: float) -> list[Check]:
    from bot.tokens import APP_TOKEN, BOT_TOKEN  # the Slack layer's own checks, loaded only here

    return [_token_check("Slack bot token", BOT_TOKEN, settings.slack_bot_token, settings.slack_api_url, timeout),
            _token_check("Slack app token", APP_TOKEN, settings.slack_app_token, settings.slack_api_url, timeout)]


def _token_check(name: str, kind, token: str | None, api_url: str | None, timeout: float) -> Check:
    from bot.tokens import SLACK_API_URL, Unreachable, ask_slack, shape_problem

    if not token:
        return Check(name, None, f"{kind.env} not configured (needed for `flowrag serve`)")
    problem = shape_problem(kind, token)
    if problem:
        return Check(name, False, problem, f"set {kind.env}: use {kind.what}")
    try:
        data = ask_slack(kind, token, api_url, timeout)
    except Unreachable as e:
        return Check(name, False, f"cannot reach Slack at {redact(api_url or SLACK_API_URL)} ({redact(str(e))[:200]})",
                     "check the network/proxy (HTTPS_PROXY) or SLACK_API_URL")
    if data.get("ok"):
        who = (f"bot {data.get('user') or data.get('user_id', '?')} in {data.get('team') or data.get('team_id', '?')}"
               if kind.method == "auth.test" else "Socket Mode connection allowed")
        return Check(name, True, f"{kind.env} accepted by Slack ({who})")
    error = redact(str(data.get("error") or "unknown_error"))[:100]
    return Check(name, False, f"Slack refused {kind.env}: {error}",
                 f"{_SLACK_FIXES.get(error, 'see api.slack.com/methods/' + kind.method)}; use {kind.what}")


# --------------------------------------------------------------------------- LLM


def _llm_check(settings: Settings) -> Check:
    if not settings.litellm_model:
        return Check("LLM", None, "off (deterministic answers); set LITELLM_MODEL to phrase answers with a model")
    from core.llm import LiteLLMChat

    chat = LiteLLMChat(settings.litellm_model, api_base=settings.litellm_api_base, api_key=settings.litellm_api_key,
                       timeout=min(settings.llm_timeout_s, LLM_PING_TIMEOUT_S), retries=0)
    t0 = time.perf_counter()
    try:
        chat.ping()
    except FlowragError as e:  # LLMUnavailable: its text is already scrubbed of the key
        return Check("LLM", False, f"{settings.litellm_model}: {redact(str(e))}",
                     "check LITELLM_MODEL, LITELLM_API_BASE and LITELLM_API_KEY "
                     "(until then answers fall back to the deterministic text)")
    return Check("LLM", True, f"{settings.litellm_model} answered in {(time.perf_counter() - t0) * 1000:.0f} ms")
