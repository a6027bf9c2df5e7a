"""App Home: the state of the flows at a glance — index freshness and last ingest, today's
failures by technology, today's new errors, the digest's schedule — with *Ingest now* (admins)
and *Show yesterday's digest*. Pure view building; the listener publishes it."""
from __future__ import annotations

from datetime import datetime, timezone

from slack_sdk.models.blocks import ActionsBlock, HeaderBlock, PlainTextObject


from .blocks import button, context, divider, section
from .formatting import escape, fmt_time, truncate
from .strings import words

ACTION_INGEST = "flowrag_home_ingest"
ACTION_DIGEST = "flowrag_home_digest"


def home_view(status: dict, today: dict, schedule, *, is_admin: bool, language: str, tz) -> dict:
    """`today`: {"failures_by_tech": {...}, "failures": n, "new_errors": [(message, count), ...]}."""
    t = words(language)
    last = (status.get("last_summary") or {})
    blocks = [
        HeaderBlock(text=PlainTextObject(text=truncate(t["home_title"], HeaderBlock.text_max_length))).to_dict(),
        section(t["home_index"].format(records=f"{int(status.get('records') or 0):,}",
                                       when=fmt_time(status.get("last_ingest"), tz),
                                       new=last.get("new", 0), updated=last.get("updated", 0))),
        divider(),
        section(t["home_failures"].format(n=today["failures"]) + (
            "\n" + " · ".join(f"{escape(k)} *{v}*" for k, v in today["failures_by_tech"].items())
            if today["failures_by_tech"] else "")),
    ]
    if today["new_errors"]:
        lines = "\n".join(f"• {escape(m[:150])} — {n}" for m, n in today["new_errors"][:8])
        blocks.append(section(t["home_new"].format(n=len(today["new_errors"])) + "\n" + lines))
    else:
        blocks.append(section(t["home_no_new"]))
    blocks.append(divider())
    if schedule is not None and schedule.channels:
        chans = ", ".join(f"<#{c}>" for c in schedule.channels if c.isalnum())
        blocks.append(section(t["home_digest"].format(at=schedule.at.strftime("%H:%M"), tz=schedule.tz.key,
                                                      channels=chans)))
    else:
        blocks.append(section(t["home_no_digest"]))
    buttons = [button(ACTION_DIGEST, t["home_show_digest"])]
    if is_admin:
        buttons.insert(0, button(ACTION_INGEST, t["home_ingest"], style="primary"))
    blocks.append(ActionsBlock(block_id="flowrag_home", elements=buttons).to_dict())
    blocks.append(context(t["home_updated"].format(when=fmt_time(datetime.now(timezone.utc).isoformat(), tz))))
    return {"type": "home", "blocks": blocks}


def today_figures(engine) -> dict:
    """Today's failures by technology and today's new errors, exact (from the executor)."""
    from core.ask.query import local_days

    w = local_days(engine.clock().astimezone(engine.tz).date(), engine.tz)
    new = engine.new_errors(w)
    d = engine.ask_query_failures(w)
    return {"failures": d["total"], "failures_by_tech": d["by_tech"],
            "new_errors": [(m.text, m.count) for m in new]}
