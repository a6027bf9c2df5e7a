"""The vector index over distinct messages: Chroma, embedded (a directory) or a server."""
from __future__ import annotations

import threading

from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import IndexCorrupt, IndexMismatch, SourceUnavailable

REBUILD = "Run `flowrag ingest --full` to rebuild the index with the current embedder."


class VectorIndex(Protocol):
    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None: ...
    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]: ...
    def count(self) -> int: ...


_CLIENTS = threading.Lock()


class ChromaIndex:
    """Vectors keyed by signature id. The collection's metadata records which embedder built it,
    so that a query with another one fails loudly instead of returning nonsense."""

    def __init__(self, *, path: Path | None = None, host: str | None = None, port: int = 8000,
                 collection: str = "flowrag_messages"):
        # the client (and chromadb, ~1 s to import) waits for the first call that needs vectors:
        # a count question never pays for it
        self._name, self._path, self._host, self._port = collection, path, host, port
        self.where = f"{host}:{port}" if host else str(path)
        self._opened = None
        self._col = None

    @property
    def _client(self):
        if self._opened is None:
            self._opened = self._open()
        return self._opened

    def _open(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        host, port, path = self._host, self._port, self._path
        try:
            with _CLIENTS:  # chromadb builds its per-path client unsafely when two threads race
                if host:
                    return chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
                Path(path).mkdir(parents=True, exist_ok=True)
                return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as e:  # chromadb raises a variety of types for a bad directory or server
            if host:
                raise SourceUnavailable(
                    f"Chroma server at {host}:{port} is unreachable ({type(e).__name__}). "
                    "Check CHROMA_HOST/CHROMA_PORT, or unset CHROMA_HOST to use CHROMA_DB_DIR."
                ) from None
            raise IndexCorrupt(
                f"The index directory {path} cannot be opened ({type(e).__name__}: {e}). "
                f"Delete it (CHROMA_DB_DIR) and run `flowrag ingest --full`."
            ) from None

    def _collection(self, embedder: str | None = None, dim: int | None = None, create: bool = False):
        if self._col is not None:
            return self._col
        client = self._client  # its own errors say what to fix
        try:
            if create:
                self._col = client.get_or_create_collection(
                    self._name, metadata={"hnsw:space": "cosine", "embedder": embedder, "dim": dim})
            else:
                self._col = client.get_collection(self._name)
        except Exception as e:
            if not create and any(w in str(e).lower() for w in ("does not exist", "not found")):
                return None
            raise IndexCorrupt(
                f"The index at {self.where} cannot be read ({type(e).__name__}: {e}). "
                f"Delete CHROMA_DB_DIR and run `flowrag ingest --full`."
            ) from None
        return self._col

    def embedder(self) -> str | None:
        col = self._collection()
        return (col.metadata or {}).get("embedder") if col is not None else None

    def check_embedder(self, name: str) -> None:
        built_with = self.embedder()
        if built_with is not None and built_with != name:
            raise IndexMismatch(f"The index was built with the embedder {built_with!r}, "
                                f"but {name!r} is configured. {REBUILD}")

    def open_for_writing(self, embedder: str, dim: int) -> None:
        self.check_embedder(embedder)
        self._collection(embedder, dim, create=True)

    def reset(self) -> None:
        client = self._client
        try:
            client.delete_collection(self._name)
        except Exception:  # absent already: nothing to reset
            pass
        self._col = None

    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        col = self._collection()
        for i in range(0, len(ids), 4000):  # Chroma caps one call's batch size
            col.upsert(ids=list(ids[i : i + 4000]), embeddings=np.asarray(vectors[i : i + 4000]))

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        col = self._collection()
        if col is None:
            return []
        n = col.count()
        if n == 0:
            return []
        res = col.query(query_embeddings=[np.asarray(vector)], n_results=min(k, n), include=["distances"])
        return list(zip(res["ids"][0], res["distances"][0]))

    def count(self) -> int:
        col = self._collection()
        return col.count() if col is not None else 0
