"""How well each candidate message matches a why-question, from several views fused by z-score:
the topic words and the whole question, each against the message's e5 vector as a passage and as
a query (the symmetric, paraphrase-style encoding), and the log-aware BM25 words.

Why z-scores rather than rank fusion (RRF): RRF keeps only the order of each list, so a message
far ahead on one view counts like one barely ahead. On the Loghub why-question benchmark
(bench/bench_explain.py, message-level ranks) RRF of dense + BM25 gave MRR 0.54, z-score fusion of
the same two 0.60, with the whole question 0.62 and with the symmetric views 0.68 (README). A view of
the message read with its pipeline's name rose the bank to 0.70 but lowered the held-out set
(bench/explain/holdout.py) by 0.03, and was dropped."""
from __future__ import annotations

from typing import Callable, Protocol, Sequence

import numpy as np

from ..embedder import Embedder, SymmetricEncoder


class VectorCache(Protocol):
    def cached_vectors(self, embedder: str, sigs: Sequence[str]) -> dict: ...
    def cache_vectors(self, embedder: str, items: dict) -> None: ...


class Relevance:
    """`cache` holds the vectors ingest computed per message; `texts(sigs)` gives the message
    texts for the few an older index has no symmetric vector for (computed once, then kept)."""

    def __init__(self, embedder: Embedder, cache: VectorCache, texts: Callable[[list[str]], dict[str, str]]):
        self.embedder, self.cache, self.texts = embedder, cache, texts
        self._queries: dict[str, np.ndarray] = {}

    def query_vector(self, text: str) -> np.ndarray:
        """A why-question is ranked under two readings (a status word as filter or not): its
        texts are encoded once. Kept small: it only spans one answer."""
        if text not in self._queries:
            if len(self._queries) > 16:
                self._queries.clear()
            self._queries[text] = self.embedder.embed_query(text)
        return self._queries[text]

    def _passages(self, sigs: list[str], known: dict[str, np.ndarray]) -> np.ndarray:
        return np.vstack([known.get(s, np.zeros(self.embedder.dim, dtype=np.float32)) for s in sigs])

    def _as_queries(self, sigs: list[str]) -> np.ndarray | None:
        if not (isinstance(self.embedder, SymmetricEncoder) and self.embedder.symmetric_name):
            return None
        def encode(missing: list[str]) -> np.ndarray:
            text = self.texts(missing)
            return self.embedder.embed_as_queries([text.get(s, "") for s in missing])
        return self._cached(self.embedder.symmetric_name, sigs, encode)

    def _cached(self, name: str, sigs: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        vectors = self.cache.cached_vectors(name, sigs)
        missing = [s for s in sigs if s not in vectors]
        if missing:
            fresh = dict(zip(missing, encode(missing)))
            self.cache.cache_vectors(name, fresh)
            vectors.update(fresh)
        return self._passages(sigs, vectors)

    def fused(self, topic: str, sigs: list[str], lexical: dict[str, float], question: str = "",
              reference: Sequence[str] = ()) -> tuple[dict[str, float], dict[str, float]]:
        """(fused score per candidate, its mean cosine similarity over the dense views). `lexical`: BM25
        (higher is better) of the candidates that share a word with the topic; others score 0.
        `question`: the whole question: the topic keeps the words that describe, the question
        how they relate ("a task that is still running"). `reference`: the candidates before the
        filters; each view is scaled by its spread over them, since a handful of messages inside a
        filter, all about as close to the question, would turn noise into full standard deviations."""
        wanted = sigs
        sigs = list(dict.fromkeys([*sigs, *reference]))
        queries = [self.query_vector(topic)]
        if question and question.strip() != topic:
            queries.append(self.query_vector(question))
        matrices = [self._passages(sigs, self.cache.cached_vectors(self.embedder.name, sigs))]
        if (sym := self._as_queries(sigs)) is not None:
            matrices.append(sym)
        dense = [m @ q for m in matrices for q in queries]
        lexical_view = np.array([lexical.get(s, 0.0) for s in sigs], dtype=np.float64)
        total = np.zeros(len(sigs))
        for v in [*dense, lexical_view]:
            spread = v.std()
            if spread > 0:
                total += (v - v.mean()) / spread
        # z-scores only order one pool; the mean cosine also compares pools (two readings)
        similarity = np.mean(dense, axis=0)
        n = len(wanted)  # the wanted candidates come first in `sigs`
        return dict(zip(wanted, total[:n].tolist())), dict(zip(wanted, similarity[:n].tolist()))
