"""Numbers as each language writes them, one formatter per kind, for the engine's answers and
the bot's blocks alike: French groups thousands with a narrow no-break space, writes a decimal
comma and a space before %."""
from __future__ import annotations

NARROW_NBSP = "\u202f"


def count(n: int, lang: str = "en") -> str:
    """16000 -> "16,000" ("16 000" in French): counts are easier to read grouped."""
    grouped = f"{n:,}"
    return grouped.replace(",", NARROW_NBSP) if lang == "fr" else grouped


def decimal(v: float, lang: str, spec: str = "g") -> str:
    """A plain number, "2.5" / "2,5" (`spec`: a format spec, e.g. "+.1f" for a signed change)."""
    s = format(v, spec)
    return s.replace(".", ",") if lang == "fr" else s


def percent(v: float | None, lang: str) -> str:
    """12.5 -> "12.5%" / "12,5 %"; None -> "—"."""
    if v is None:
        return "—"
    return f"{decimal(v, lang, '.1f')} %" if lang == "fr" else f"{v:.1f}%"
