"""Status vocabularies, in one place: how records spell a status, and how people ask for one."""
from __future__ import annotations

from functools import lru_cache

# Spellings met in records (English, French, tool-specific), compared folded, with "_" for
# separators. Normalization maps each to one of core.models.STATUSES.
RECORD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "failed": (
        "failed", "fail", "failure", "failures", "error", "errors", "errored", "err", "ko",
        "fatal", "critical", "crit", "aborted", "abort", "echec", "echoue", "echouee",
        "en_erreur", "erreur", "en_echec", "upstream_failed", "timed_out", "timeout",
        "crashed", "killed",
    ),
    "warning": (
        "warn", "warning", "warnings", "avertissement", "attention",
        "partial", "partial_success", "partially_succeeded",
    ),
    "success": (
        "success", "successful", "succeeded", "succeed", "ok", "done", "completed", "complete",
        "passed", "pass", "succes", "reussi", "reussie", "termine", "terminee",
    ),
    "running": (
        "running", "started", "in_progress", "inprogress", "en_cours", "executing",
        "processing",
    ),
}

# Words in a question that ask for a status (folded). Narrower than the record spellings: "ok",
# "done" or "timeout" in a question are more often words about a problem than a filter.
QUESTION_WORDS: dict[str, frozenset[str]] = {
    "failed": frozenset({
        "echec", "echecs", "echoue", "echouee", "echoues", "echouees", "echouent", "echouer", "erreur", "erreurs",
        "failed", "failure", "failures", "fail", "fails", "failing", "error", "errors", "errored", "ko", "crash",
        "crashed", "crashes", "crashing", "plante", "plantes", "plantee", "plantees", "plantent", "planter",
        "plantage", "plantages", "fatal", "broken", "casse", "casses", "cassent",
        "tombe", "tombes", "tombent", "rouge", "rouges", "broke", "blew", "bombed"}),
    "warning": frozenset({"avertissement", "avertissements", "warning", "warnings", "warn", "alerte", "alertes"}),
    "success": frozenset({"succes", "reussi", "reussie", "reussis", "reussies", "success", "successful",
                          "succeeded", "passed", "verts", "vert"}),
    "running": frozenset({"running", "cours"}),
}
QUESTION_PHRASES: dict[str, tuple[str, ...]] = {
    "failed": ("en erreur", "en echec", "in error"),
    "success": ("sans erreur", "without error", "sans echec"),
    "running": ("en cours",),
}
_BY_WORD = {w: st for st, words in QUESTION_WORDS.items() for w in words if st != "running"}


@lru_cache(maxsize=4096)
def status_of_word(word: str) -> str | None:
    """The status a (folded) question word asks for, if any."""
    return _BY_WORD.get(word)
