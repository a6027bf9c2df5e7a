"""Compare an engine answer with a question's expectation, and run a whole bank.

`check(answer, expected)` returns every mismatch as a readable string (empty = right). It reads
only the public answer: `text` (its first line must carry the headline figure), `language`,
`notices`, `query.topic` and `result.as_json()` (the contract in core/ask/query.py). A missing
`result` is one mismatch, not a crash, so the bank can run against an engine that is half built.
A follow-up question is asked after its `previous` one, with that answer's `context`.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from .questions import Question, message_identity

RATE_TOLERANCE = 0.05  # rates are rounded to one decimal on both sides
_RESULT_KEYS = ("value", "numerator", "denominator", "previous", "change", "previous_numerator",
                "previous_denominator", "names", "groups", "new", "silent", "silent_days", "streaks",
                "streak_runs", "messages", "episode", "running", "stuck")
_ZERO_WORDS = re.compile(r"(?i)(?<![\w])(0|aucun|aucune|zéro|zero|no|none|nothing|rien|pas d)(?![\w])")


def check(answer, expected: dict, tz: str = "Europe/Paris") -> list[str]:
    problems: list[str] = []
    zone = ZoneInfo(tz)
    if "language" in expected and getattr(answer, "language", None) != expected["language"]:
        problems.append(f"language {getattr(answer, 'language', None)!r}, expected {expected['language']!r}")
    if "notice_mentions" in expected:
        word = expected["notice_mentions"].lower()
        if not any(word in str(n).lower() for n in getattr(answer, "notices", ()) or ()):
            problems.append(f"no notice names {expected['notice_mentions']!r} (notices: {list(getattr(answer, 'notices', ()))})")
    if "notice_words" in expected:  # one notice names every word (an unsupported measure)
        words = [w.lower() for w in expected["notice_words"]]
        if not any(all(w in str(n).lower() for w in words) for n in getattr(answer, "notices", ()) or ()):
            problems.append(f"no one notice names all of {expected['notice_words']} "
                            f"(notices: {list(getattr(answer, 'notices', ()))})")
    if "topic" in expected:
        topic = str(getattr(getattr(answer, "query", None), "topic", "") or "")
        missing = [w for w in expected["topic"] if w.lower() not in topic.lower()]
        if missing:
            problems.append(f"query.topic {topic!r}, expected it to carry {missing}")
    if any(k in expected for k in _RESULT_KEYS):
        result = getattr(answer, "result", None)
        if result is None:
            problems.append("the answer has no `result`")
        else:
            problems += _check_result(result.as_json(), expected)
    problems += _check_headline(_first_line(answer), expected, zone)
    return problems


# --- the result ---------------------------------------------------------------------------
def _check_result(got: dict, exp: dict) -> list[str]:
    out = []
    for key in ("value", "numerator", "denominator", "previous", "change", "previous_numerator",
                "previous_denominator"):
        if key in exp and not _same(exp[key], got.get(key)):
            out.append(f"{key} {got.get(key)!r}, expected {exp[key]!r}")
    if "names" in exp:
        out += _check_ranked(got.get("names") or [], exp["names"], exp.get("limit"), exp.get("at_least"))
    if "groups" in exp:
        out += _check_groups(got.get("groups") or [], exp["groups"])
    if "new" in exp:
        out += _check_messages([m["text"] for m in got.get("messages") or [] if m.get("new")], exp["new"])
    if "messages" in exp:
        out += _check_ranked_messages(got.get("messages") or [], exp["messages"], exp.get("message_limit"))
    if "silent" in exp:
        silent = {str(s["name"]).lower(): s for s in got.get("silent") or []}
        out += _check_sets("silent", set(silent), {n.lower() for n in exp["silent"]})
        for name, days in exp.get("silent_days", {}).items():
            s = silent.get(name.lower())
            if s is not None and s.get("days_active") != days:
                out.append(f"silent {name}: days_active {s.get('days_active')}, expected {days}")
    if "streaks" in exp:
        streaks = {str(s["pipeline"]).lower(): s for s in got.get("streaks") or []}
        want = {p.lower(): v for p, v in exp["streaks"].items()}
        out += _check_sets("streaks", set(streaks), set(want))
        for p, since in want.items():
            if p in streaks and not _same(since, streaks[p].get("since")):
                out.append(f"streak {p}: since {streaks[p].get('since')}, expected {since}")
        for p, n in exp.get("streak_runs", {}).items():
            s = streaks.get(p.lower())
            if s is not None and s.get("failed_runs") != n:
                out.append(f"streak {p}: {s.get('failed_runs')} failed runs, expected {n}")
    for p, want in exp.get("episode", {}).items():
        s = next((x for x in got.get("streaks") or [] if str(x.get("pipeline")).lower() == p.lower()), None)
        if s is None:
            out.append(f"episode {p}: not found")
        elif not (_same(want["since"], s.get("episode_since")) and s.get("episode_runs") == want["runs"]
                  and s.get("episode_failed") == want["failed"]):
            out.append(f"episode {p}: since {s.get('episode_since')}, {s.get('episode_failed')} of "
                       f"{s.get('episode_runs')}, expected {want['since']}, {want['failed']} of {want['runs']}")
    for key in ("running", "stuck"):
        if key in exp:
            out += _check_sets(key, {str(x["pipeline"]).lower() for x in got.get(key) or []},
                               {p.lower() for p in exp[key]})
    return out


def _same(exp, got) -> bool:
    """Equal figures: ints exactly, rates within rounding, times as instants."""
    if exp is None or got is None:
        return exp is got
    if isinstance(exp, str):
        try:
            return _instant(exp) == _instant(got)
        except (TypeError, ValueError):
            return False
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return False
    if isinstance(exp, float):
        return abs(exp - got) <= RATE_TOLERANCE
    return got == exp


def _instant(v) -> datetime:
    dt = v if isinstance(v, datetime) else datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    return dt.astimezone(timezone.utc)


def _check_ranked(got_pairs, exp: dict, limit: int | None, at_least: int | None = None) -> list[str]:
    """A ranked list: right counts, no strangers, the right length (exactly `limit` names, or
    at least `at_least`, or all), and every name that outranks the last one listed present
    (ties at the cut-off may go either way)."""
    got = {str(n).lower(): c for n, c in got_pairs}
    want = {n.lower(): c for n, c in exp.items()}
    out = [f"names: {n} with {c} runs, expected {want[n]}" for n, c in got.items() if n in want and want[n] != c]
    strangers = sorted(set(got) - set(want))
    if strangers:
        out.append(f"names: unexpected {strangers}")
    if limit is not None and len(got) != min(limit, len(want)):
        out.append(f"names: {len(got)} listed, expected {min(limit, len(want))}")
    elif limit is None and len(got) < min(at_least or len(want), len(want)):
        out.append(f"names: {len(got)} listed, expected at least {min(at_least or len(want), len(want))}")
    ranked = sorted(want.values(), reverse=True)
    shown = min(max(len(got), 1), len(ranked))
    cutoff = ranked[shown - 1] if ranked else 0
    missing = sorted(n for n, c in want.items() if n not in got and c > cutoff)
    if missing:
        out.append(f"names: missing {missing}")
    return out


def _check_groups(got_pairs, exp: dict) -> list[str]:
    """Groups compared as key -> count; a key with 0 runs may be listed or left out."""
    got = Counter()
    for k, n in got_pairs:
        got[str(k).lower()] += n
    want = {str(k).lower(): n for k, n in exp.items()}
    keys = sorted(k for k in set(got) | set(want) if got.get(k, 0) != want.get(k, 0))
    return [f"group {k}: {got.get(k, 0)}, expected {want.get(k, 0)}" for k in keys]


def _norm_message(text: str) -> str:
    return message_identity(re.sub(r"<[^<>\s]*>", "#", str(text))).lower()


def _check_messages(got_texts, exp_texts) -> list[str]:
    """Messages match by identity (numbers masked); a truncated representative still matches."""
    got = [_norm_message(t) for t in got_texts]
    want = {_norm_message(t): t for t in exp_texts}

    def same(a, b):
        return a == b or (min(len(a), len(b)) >= 30 and (a.startswith(b.rstrip("….")) or b.startswith(a.rstrip("…."))))

    missing = [t for n, t in want.items() if not any(same(n, g) for g in got)]
    strangers = [g for g in got if not any(same(n, g) for n in want)]
    out = [f"new messages: missing {missing}"] if missing else []
    return out + ([f"new messages: unexpected {strangers}"] if strangers else [])


def _check_ranked_messages(got_facts, exp: dict, limit: int | None) -> list[str]:
    """Distinct messages ranked by runs, compared by identity: right counts, no strangers,
    exactly `limit` of them (or at least 10, or all), and every message that outranks the last
    one listed present (ties at the cut-off may go either way)."""
    want = {_norm_message(t): (t, n) for t, n in exp.items()}
    got: dict[str, int] = {}
    strangers = []
    for m in got_facts:
        key = _norm_message(m.get("text", ""))
        match = next((k for k in want if k == key or (min(len(k), len(key)) >= 30 and (
            k.startswith(key.rstrip("….")) or key.startswith(k.rstrip("…."))))), None)
        if match is None:
            strangers.append(m.get("text"))
        else:
            got[match] = got.get(match, 0) + (m.get("count") or 0)
    out = [f"messages: {want[k][0]!r} with {n} runs, expected {want[k][1]}" for k, n in got.items() if want[k][1] != n]
    if strangers:
        out.append(f"messages: unexpected {strangers}")
    listed = len(got_facts)
    if limit is not None and listed != min(limit, len(want)):
        out.append(f"messages: {listed} listed, expected {min(limit, len(want))}")
    elif limit is None and listed < min(10, len(want)):
        out.append(f"messages: {listed} listed, expected at least {min(10, len(want))}")
    ranked = sorted((n for _, n in want.values()), reverse=True)
    cutoff = ranked[min(max(len(got), 1), len(ranked)) - 1] if ranked else 0
    missing = sorted(t for k, (t, n) in want.items() if k not in got and n > cutoff)
    if missing:
        out.append(f"messages: missing {missing}")
    return out


def _check_sets(what: str, got: set, want: set) -> list[str]:
    out = []
    if want - got:
        out.append(f"{what}: missing {sorted(want - got)}")
    if got - want:
        out.append(f"{what}: unexpected {sorted(got - want)}")
    return out


# --- the first line -----------------------------------------------------------------------
def _first_line(answer) -> str:
    text = getattr(answer, "text", "") or ""
    return text.strip().splitlines()[0] if text.strip() else ""


def headline(expected: dict, zone: ZoneInfo) -> list[tuple[str, list[str]]]:
    """What the first line must show: per required item, its display form and the regexes
    that are accepted for it (an int as digits, a rate with one decimal, a time as local HH:MM,
    names)."""
    if "headline" in expected:
        return [(h, [re.escape(h)]) for h in expected["headline"]]
    if "value" in expected:
        v = expected["value"]
        if v is None:
            return []
        if isinstance(v, str):
            hhmm = _instant(v).astimezone(zone).strftime("%H:%M")
            return [(hhmm, [_bounded(re.escape(hhmm))])]
        if isinstance(v, float):
            s = f"{v:.1f}"
            return [(s, [_bounded(re.escape(s)), _bounded(re.escape(s.replace(".", ",")))])]
        return [_int_forms(v)]
    if "names" in expected:
        counts = expected["names"]
        top = max(counts.values(), default=0)
        shown = min(expected.get("limit") or len(counts), len(counts))
        return _list_items(list(counts), [n for n, c in counts.items() if c == top], shown)
    if "silent" in expected:
        names = sorted(expected["silent"])
        return _list_items(names, names, len(names))
    if "streaks" in expected:
        names = sorted(expected["streaks"])
        return _list_items(names, names, len(names))
    if "new" in expected:
        return [_int_forms(len(expected["new"]))]
    return []


def _list_items(names: list[str], tops: list[str], shown: int) -> list[tuple[str, list[str]]]:
    """A list's headline: how many there are (as digits), or the names themselves (all of
    them up to three; beyond, one of the top-ranked). An empty list: 0 or "none" in words."""
    if not names:
        return [_int_forms(0)]
    count_display, count_forms = _int_forms(shown)
    if len(names) <= 3:
        name_forms = [rf"(?=.*{re.escape(n)})" for n in names]
        return [(f"{count_display} or {', '.join(names)}", count_forms + ["^" + "".join(name_forms)])]
    return [(f"{count_display} or {' or '.join(sorted(tops))}", count_forms + [re.escape(n) for n in tops])]


def _bounded(pattern: str) -> str:
    return rf"(?<![\d])(?<![\d][.,]){pattern}(?![\d])(?![.,]\d)"


def _int_forms(n: int) -> tuple[str, list[str]]:
    """An int as digits, with or without a thousands separator; 0 may also be said in words."""
    if n == 0:
        return "0 (or none, aucun…)", [_ZERO_WORDS.pattern]
    s = str(n)
    forms = [s]
    if n >= 1000:
        groups = f"{n:,}".split(",")
        forms += [sep.join(groups) for sep in (",", " ", "\u00a0", "\u202f", ".")]
    return s, [_bounded(re.escape(f)) for f in forms]


def _check_headline(line: str, expected: dict, zone: ZoneInfo) -> list[str]:
    out = []
    for shown, alternatives in headline(expected, zone):
        if not any(re.search(p, line, re.IGNORECASE) for p in alternatives):
            out.append(f"first line lacks {shown[:60]!r}: {line[:160]!r}")
    return out


# --- running a bank -------------------------------------------------------------------------
@dataclass
class Outcome:
    question: Question
    problems: list[str] = field(default_factory=list)
    wall_ms: float = 0.0
    total_ms: float | None = None  # answer.timings_ms["total"]
    first_line: str = ""
    timings: dict = field(default_factory=dict)  # answer.timings_ms: where the time went

    @property
    def ok(self) -> bool:
        return not self.problems


def ask_all(engine, bank: list[Question], tz: str = "Europe/Paris") -> list[Outcome]:
    """Ask every question once; an exception is that question's mismatch, not the run's end."""
    outcomes = []
    for q in bank:
        context = None
        if q.previous:
            try:
                context = engine.ask(q.previous).context
            except Exception as e:  # noqa: BLE001 - reported, the bank goes on
                outcomes.append(Outcome(q, [f"the first question raised {type(e).__name__}: {e}"]))
                continue
        t = time.perf_counter()
        try:
            answer = engine.ask(q.text, context=context) if q.previous else engine.ask(q.text)
        except Exception as e:  # noqa: BLE001 - reported, the bank goes on
            outcomes.append(Outcome(q, [f"raised {type(e).__name__}: {e}"], (time.perf_counter() - t) * 1000))
            continue
        wall = (time.perf_counter() - t) * 1000
        try:
            problems = check(answer, q.expected, tz)
        except Exception as e:  # noqa: BLE001 - an answer of the wrong shape is a mismatch
            problems = [f"answer of an unexpected shape ({type(e).__name__}: {e})"]
        timings = dict(getattr(answer, "timings_ms", None) or {})
        outcomes.append(Outcome(q, problems, wall, timings.get("total"), _first_line(answer), timings))
    return outcomes


def per_category(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """category -> (right, asked), in the bank's order."""
    table: dict[str, list[int]] = {}
    for o in outcomes:
        row = table.setdefault(o.question.category, [0, 0])
        row[0] += o.ok
        row[1] += 1
    return {k: (ok, n) for k, (ok, n) in table.items()}


def report(outcomes: list[Outcome]) -> str:
    """Accuracy per category, then every mismatch with the question and the answer's first line."""
    lines = [f"{'category':14} right/asked"]
    for cat, (ok, n) in per_category(outcomes).items():
        lines.append(f"{cat:14} {ok:3}/{n:<3} {100 * ok / n:5.1f}%")
    ok = sum(o.ok for o in outcomes)
    lines.append(f"{'total':14} {ok:3}/{len(outcomes):<3} {100 * ok / max(1, len(outcomes)):5.1f}%")
    bad = [o for o in outcomes if not o.ok]
    if bad:
        lines.append("")
        lines.append(f"{len(bad)} mismatches:")
    for o in bad:
        lines.append(f"[{o.question.id}] " + (f"{o.question.previous} → " if o.question.previous else "")
                     + o.question.text)
        lines.append(f"    answer: {o.first_line[:160]!r}")
        lines += [f"    - {p}" for p in o.problems]
    return "\n".join(lines)
