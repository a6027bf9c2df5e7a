"""Text folding, in one place: users type « echec » as often as « échec »."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00a0": " ", "\u202f": " ",
                        "\u2013": "-", "\u2011": "-"})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


def fold(text: str) -> str:
    """Lowercase, no accents, plain apostrophes and dashes. One character in, one out, so that
    offsets found in the folded text also index the original (to quote the user's own words)."""
    return "".join(_fold_char(ch) for ch in text).translate(_PUNCT)
