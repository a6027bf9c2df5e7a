"""How well each candidate message matches a topic, from three views of the text fused by
z-score: the dense vector (e5), the log-aware BM25 words, and the encoder's sparse terms.

Why z-scores rather than rank fusion (RRF): RRF keeps only the order of each list, so a message
far ahead on one view counts like one barely ahead. On the Loghub why-question benchmark
(bench/bench_explain.py) rank fusion of dense + BM25 gave MRR 0.54; z-score fusion of the same
two 0.60, with the sparse terms 0.63, and with the whole question as a fourth view 0.65
(bench figures in the README)."""
from __future__ import annotations

from typing import Callable, Protocol, Sequence

import numpy as np

from ..embedder import Embedder, SparseEncoder


class EmbeddingCache(Protocol):
    def cached_vectors(self, embedder: str, sigs: Sequence[str]) -> dict: ...
    def cached_sparse(self, encoder: str, sigs: Sequence[str]) -> dict: ...
    def cache_sparse(self, encoder: str, items: dict) -> None: ...


class Relevance:
    """`cache` holds what ingest computed per message; `texts(sigs)` gives the message texts for
    the few an older index has no sparse terms for (computed once, then kept)."""

    def __init__(self, embedder: Embedder, cache: EmbeddingCache,
                 texts: Callable[[list[str]], dict[str, str]]):
        self.embedder, self.cache, self.texts = embedder, cache, texts
        self._queries: dict[tuple[str, str], object] = {}

    def _memo(self, kind: str, text: str, fn):
        """A why-question is ranked under two readings (status word as filter or not): the
        query is encoded once. Kept small: it only spans one answer."""
        key = (kind, text)
        if key not in self._queries:
            if len(self._queries) > 16:
                self._queries.clear()
            self._queries[key] = fn(text)
        return self._queries[key]

    def query_vector(self, text: str) -> np.ndarray:
        return self._memo("dense", text, self.embedder.embed_query)

    def dense(self, query: np.ndarray, sigs: list[str], known: dict[str, float]) -> dict[str, float]:
        """Cosine similarity for every candidate: the index returned it for its nearest
        neighbours; the others (found by words) are scored from the embedding cache."""
        out = dict(known)
        rest = [s for s in sigs if s not in out]
        for sid, vec in self.cache.cached_vectors(self.embedder.name, rest).items():
            out[sid] = float(np.dot(vec, query))
        return out

    def sparse(self, topic: str, sigs: list[str]) -> dict[str, float]:
        if not isinstance(self.embedder, SparseEncoder):
            return {}
        name = self.embedder.sparse_name
        terms = self.cache.cached_sparse(name, sigs)
        missing = [s for s in sigs if s not in terms]
        if missing:
            text = self.texts(missing)
            fresh = dict(zip(missing, self.embedder.sparse_passages([text.get(s, "") for s in missing])))
            self.cache.cache_sparse(name, fresh)
            terms.update(fresh)
        q_idx, q_val = self._memo("sparse", topic, self.embedder.sparse_query)
        weight = np.zeros(int(max(q_idx.max(initial=0), *(i.max(initial=0) for i, _ in terms.values()))) + 1,
                          dtype=np.float32)
        weight[q_idx] = q_val
        return {sid: float(weight[idx] @ val) for sid, (idx, val) in terms.items()}

    def fused(self, topic: str, query: np.ndarray, sigs: list[str], similarity: dict[str, float],
              lexical: dict[str, float], question: str = "") -> tuple[dict[str, float], dict[str, float]]:
        """(fused score per candidate, its dense similarity to the topic). `lexical`: BM25 (higher
        is better) for the candidates that share a word with the topic; the others share none: 0.
        `question`: the whole question, embedded too: the topic keeps the words that describe,
        the question keeps how they relate ("a task that is still running")."""
        dense = self.dense(query, sigs, similarity)
        views = [dense, lexical, self.sparse(topic, sigs)]
        if question and question.strip() != topic:
            views.append(self.dense(self.query_vector(question), sigs, {}))
        total = {s: 0.0 for s in sigs}
        for view in views:
            if not view:
                continue
            values = np.array([view.get(s, 0.0) for s in sigs], dtype=np.float64)
            spread = values.std()
            if spread > 0:
                for s, v in zip(sigs, (values - values.mean()) / spread):
                    total[s] += float(v)
        return total, dense
