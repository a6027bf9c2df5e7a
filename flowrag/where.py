"""Where the index is, for the commands that only read it (`ask`, `status`, `digest`).

Opening an index directory creates it; a reading command pointed at a directory where nothing was
ever ingested would answer from an empty index it just made ("0 records"). So: an index set
explicitly (CHROMA_DB_DIR, in the environment or .env) is used if it was built, and refused with
the way out if not; with nothing set, the default ./chroma_db is used if built, else the index
`make demo` built (.flowrag/demo/index), said on stderr; else a refusal naming both."""
from __future__ import annotations

from pathlib import Path

from core.errors import FlowragError
from core.settings import Settings

DEMO_INDEX = Path(".flowrag/demo/index")


class IndexMissing(FlowragError):
    exit_code = 1


def built(directory: Path) -> bool:
    """An ingest has written here (the state file is the first thing it writes)."""
    return (Path(directory) / "state.sqlite3").is_file()


def locate_index(settings: Settings) -> tuple[Settings, str]:
    """The settings to read with, and a note for stderr ("" when there is nothing to say)."""
    if settings.chroma_host:  # a Chroma server: the local record store beside it is as configured
        return settings, ""
    where = settings.chroma_db_dir
    if built(where):
        return settings, ""
    if "chroma_db_dir" in settings.model_fields_set:
        raise IndexMissing(f"No index at CHROMA_DB_DIR={where}: nothing was ingested there. Run `flowrag ingest` "
                           "(MongoDB settings in .env), or set CHROMA_DB_DIR to a built index (`make demo` builds "
                           f"one in {DEMO_INDEX}).")
    if built(DEMO_INDEX):
        return (settings.model_copy(update={"chroma_db_dir": DEMO_INDEX}),
                f"note: reading the demo's index ({DEMO_INDEX}): no index at {where}; set CHROMA_DB_DIR to "
                "read another.")
    raise IndexMissing(f"No index at {where} (CHROMA_DB_DIR) and no demo index at {DEMO_INDEX}. Run `make demo` "
                       "to try flowrag on generated data, or `flowrag ingest` with your MongoDB settings in .env, "
                       "or set CHROMA_DB_DIR to a built index.")
