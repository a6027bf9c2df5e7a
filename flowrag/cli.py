"""`flowrag` command line: ingest, ask, status, serve, demo, doctor.
Each command is an entry point: it builds the settings once and the parts it needs."""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Optional

import typer

from core.errors import BadQuestion, FlowragError
from core.settings import Settings, load_settings

from .terminal import answer_json, answer_text, summary_line, terminal_progress

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="flowrag — answers questions about pipeline runs, with exact facts and cited log records.")


def _fail(err: FlowragError) -> None:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(err.exit_code)


def _settings() -> Settings:
    try:
        return load_settings()
    except FlowragError as e:
        _fail(e)


def _reading_settings() -> Settings:
    """For commands that only read the index: never one created empty by opening it (flowrag/where.py)."""
    from .where import locate_index

    try:
        settings, note = locate_index(_settings())
    except FlowragError as e:
        _fail(e)
    if note:
        typer.echo(note, err=True)
    return settings


@app.command()
def ingest(full: bool = typer.Option(False, "--full", help="Rebuild the index from scratch."),
           as_json: bool = typer.Option(False, "--json", help="Print a JSON summary.")) -> None:
    """Read new pipeline runs from MongoDB into the index (incremental unless --full)."""
    from core.engine import Engine

    engine = Engine(_settings())
    try:
        with terminal_progress(enabled=not as_json) as progress:
            summary = engine.ingest(full=full, progress=progress)
    except FlowragError as e:
        _fail(e)
    typer.echo(json.dumps(summary.as_dict()) if as_json else summary_line(summary))


@app.command()
def ask(question: Optional[str] = typer.Argument(None, help="The question; without it, one per line on stdin."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per question."),
        no_llm: bool = typer.Option(False, "--no-llm", help="Deterministic answer even if an LLM is set."),
        thread: bool = typer.Option(False, "--thread", help="Read stdin lines as one conversation: each line "
                                    "a follow-up of the one before (« et hier ? »), as in a Slack thread.")
        ) -> None:
    """Answer a question (French or English) from the index. Lines on stdin are separate questions
    unless --thread is given."""
    from core.engine import Engine

    if question is not None:
        questions = [question]
    elif not sys.stdin.isatty():
        questions = [line for line in sys.stdin.read().splitlines() if line.strip()]
    else:
        questions = []
    if not questions or all(not q.strip() for q in questions):
        typer.echo('usage: flowrag ask "How many Spark failures yesterday?"  (or one question per stdin line)',
                   err=True)
        raise typer.Exit(2)
    settings = _reading_settings()
    engine = Engine(settings)
    if not engine.store.get_meta("embedder"):  # nothing was ever ingested into this directory
        typer.echo(f"error: the index in {settings.chroma_db_dir} is empty: run `flowrag ingest` first, or set "
                   "CHROMA_DB_DIR to a built index (the demo's: .flowrag/demo/index).", err=True)
        raise typer.Exit(1)
    code, context = 0, None
    for q in questions:
        try:
            answer = engine.ask(q, use_llm=not no_llm, context=context)
            context = answer.context if thread else None
        except BadQuestion as e:
            _fail(e)
        except FlowragError as e:
            if len(questions) == 1:
                _fail(e)
            typer.echo(json.dumps({"error": str(e)}) if as_json else f"error: {e}", err=not as_json)
            code = e.exit_code
            continue
        typer.echo(json.dumps(answer_json(answer), ensure_ascii=False) if as_json
                   else answer_text(answer, settings.tz) + ("\n" if len(questions) > 1 else ""))
    raise typer.Exit(code)


@app.command()
def digest(day: Optional[str] = typer.Option(None, "--date", help="Local day YYYY-MM-DD (default: yesterday)."),
           as_json: bool = typer.Option(False, "--json", help="Print the digest as one JSON object."),
           chart: Optional[str] = typer.Option(None, "--chart", help="Write the 14-day chart (PNG) to this path."),
           post: Optional[str] = typer.Option(None, "--post", help="Post it to this Slack channel id."),
           language: Optional[str] = typer.Option(None, "--lang",
                                                  help="fr or en (default: FLOWRAG_DIGEST_LANGUAGE).")) -> None:
    """The morning digest of one day: failures, new errors, ongoing streaks, missing runs."""
    from datetime import date as _date
    from pathlib import Path

    from core.engine import Engine

    settings = _reading_settings()
    language = language or settings.digest_language
    if language not in ("fr", "en"):
        typer.echo(f"error: --lang {language!r}: the digest speaks fr or en", err=True)
        raise typer.Exit(2)
    try:
        the_day = _date.fromisoformat(day) if day else None
    except ValueError:
        typer.echo(f"error: --date {day!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2)
    today = datetime.now(settings.tz).date()
    if the_day and the_day > today:
        typer.echo(f"error: --date {day}: that day has not come yet (today is {today} in {settings.tz.key})", err=True)
        raise typer.Exit(2)
    engine = Engine(settings)
    try:
        d = engine.digest(the_day, language=language, chart=Path(chart) if chart else None)
        if post:
            from bot.app import check_tokens, web_client  # the Slack layer, loaded only here
            from bot.digest import DigestPoster

            check_tokens(settings)
            ts = DigestPoster(web_client(settings), engine).post(post, _date.fromisoformat(d.date), language)
            cs = engine.channels.get(post)
            muted = cs is not None and cs.muted
            typer.echo(f"posted in {post} (ts {ts})" if ts else f"{post} is muted (App Home, channel settings): "
                       "not posted" if muted else f"a digest of {d.date} is already in {post}", err=True)
    except FlowragError as e:
        _fail(e)
    typer.echo(json.dumps(d.as_json(), ensure_ascii=False) if as_json else d.text)


@app.command()
def status(as_json: bool = typer.Option(False, "--json")) -> None:
    """What the index holds."""
    from core.engine import Engine

    try:
        st = Engine(_reading_settings()).status()
    except FlowragError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps(st))
    else:
        for k, v in st.items():
            if k == "last_summary":
                continue
            if isinstance(v, dict):  # feedback_30d: readable, not a Python repr
                v = ", ".join(f"{a}={b}" for a, b in v.items())
            typer.echo(f"{k}: {'—' if v is None else v}")


@app.command()
def serve() -> None:
    """Run the Slack bot (Socket Mode) with SLACK_BOT_TOKEN and SLACK_APP_TOKEN."""
    from bot.app import serve as serve_bot  # the Slack layer sits on top of core, loaded only here

    try:
        serve_bot(_settings())
    except FlowragError as e:
        _fail(e)


@app.command()
def demo(directory: str = typer.Option(".flowrag/demo", "--dir",
                                       help="Where the demo keeps its MongoDB data and its index.")) -> None:
    """Try flowrag with nothing set up: embedded MongoDB, synthetic runs, sample answers, a console chat."""
    from pathlib import Path

    from .demo import run_demo

    try:
        code = run_demo(Path(directory), out=typer.echo)
    except FlowragError as e:
        _fail(e)
    raise typer.Exit(code)


@app.command()
def doctor(as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON.")) -> None:
    """Check the configuration: MongoDB, field mapping, index, Slack tokens, LLM. Exit 1 if anything
    fails, 3 if there are only warnings (e.g. a few documents skipped for bad timestamps), 0 if all is well."""
    from .doctor import diagnose, exit_code, format_check

    checks = diagnose()
    code = exit_code(checks)
    if as_json:
        typer.echo(json.dumps({"ok": code != 1, "warnings": code == 3, "checks": [c.as_dict() for c in checks]},
                              ensure_ascii=False))
    else:
        for c in checks:
            typer.echo(format_check(c))
    raise typer.Exit(code)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
