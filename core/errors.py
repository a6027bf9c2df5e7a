"""A small error hierarchy; each carries a message meant for the user and the fix."""


class FlowragError(Exception):
    """Base class. `str(err)` is safe to show to a user (no secrets, no stack)."""

    exit_code = 1


class ConfigError(FlowragError):
    """A setting is missing or malformed; the message names the setting."""

    exit_code = 2


class SourceUnavailable(FlowragError):
    """MongoDB cannot be reached or read."""


class IndexMismatch(FlowragError):
    """The index was built by another embedder (or another record mapping)."""


class IndexCorrupt(FlowragError):
    """The index directory cannot be opened."""


class IngestRunning(FlowragError):
    """Another ingest holds the lock on this index."""


class BadQuestion(FlowragError):
    """The question is empty or unusable."""

    exit_code = 2


class LLMUnavailable(FlowragError):
    """The chat model failed; callers fall back to the deterministic answer."""
