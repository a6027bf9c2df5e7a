"""What answering a question needs from the engine: its stores, opened, and its settings.
`core.engine.Engine` is the one implementation; the steps of `core/ask/` see only this."""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Protocol

from ..index import ChromaIndex
from ..llm import ChatModel
from ..settings import Settings
from ..store import SqliteRecordStore
from .names import NameFinder
from .relevance import Relevance


class AskParts(Protocol):
    settings: Settings
    chat: ChatModel | None
    clock: Callable[[], datetime]

    @property
    def store(self) -> SqliteRecordStore: ...

    @property
    def index(self) -> ChromaIndex: ...  # opened on first use: count questions never load Chroma

    @property
    def relevance(self) -> Relevance: ...

    def vocabulary(self) -> dict: ...

    def names(self) -> NameFinder: ...
