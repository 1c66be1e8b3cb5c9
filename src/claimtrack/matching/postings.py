"""Inverted postings: a compact immutable base segment plus a small mutable delta.

The base segment is CSR by term: ``ptr[t]:ptr[t+1]`` slices ``docs`` (int32,
ascending) and ``weights`` (float32).  A weight is the BM25 term-frequency
saturation ``tf*(k1+1) / (tf + k1*(1-b+b*dl/avgdl))`` *without* the idf, so
that idf can follow the live document frequencies at query time without
rewriting postings.  Deleting a document zeroes its weights in place (found by
binary search), so queries never need a liveness mask.

New documents go to the delta (plain Python lists per term); ``MatchIndex``
folds the delta into a fresh base once it grows past a fraction of the base.
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np


def saturation(tf: np.ndarray, doclen: np.ndarray | np.floating[Any], avgdl: float, k1: float, b: float) -> np.ndarray:
    """BM25 tf saturation per posting (float32)."""
    norm = k1 * (1.0 - b + b * doclen / max(avgdl, 1e-9))
    return (tf * (k1 + 1.0) / (tf + norm)).astype(np.float32)


class BaseSegment:
    """Term-major CSR postings built once from forward (doc-major) arrays."""

    def __init__(self, ptr: np.ndarray, docs: np.ndarray, weights: np.ndarray) -> None:
        self.ptr = ptr
        self.docs = docs
        self.weights = weights

    @property
    def n_terms(self) -> int:
        return len(self.ptr) - 1

    @classmethod
    def build(cls, n_terms: int, post_terms: np.ndarray, post_docs: np.ndarray, post_weights: np.ndarray) -> Self:
        """Build from postings listed doc by doc (doc ids ascending); a stable sort keeps them ascending per term."""
        order = np.argsort(post_terms, kind="stable")
        counts = np.bincount(post_terms, minlength=n_terms)
        ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        return cls(ptr, post_docs[order].astype(np.int32), post_weights[order].astype(np.float32))

    @classmethod
    def empty(cls) -> Self:
        return cls(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        if term >= self.n_terms:
            return self.docs[:0], self.weights[:0]
        lo, hi = self.ptr[term], self.ptr[term + 1]
        return self.docs[lo:hi], self.weights[lo:hi]

    def lookup(self, term: int, docs: np.ndarray) -> np.ndarray:
        """Weights of ``term`` for the given docs (0 where absent): binary search, no full scan."""
        pdocs, pw = self.postings(term)
        out = np.zeros(len(docs), dtype=np.float32)
        if len(pdocs) == 0:
            return out
        pos = np.searchsorted(pdocs, docs)
        pos_c = np.minimum(pos, len(pdocs) - 1)
        hit = pdocs[pos_c] == docs
        out[hit] = pw[pos_c[hit]]
        return out

    def zero_doc(self, doc: int, terms: np.ndarray) -> None:
        """Erase one document's contributions (its terms come from the forward index)."""
        for t in terms:
            pdocs, pw = self.postings(int(t))
            pos = np.searchsorted(pdocs, doc)
            if pos < len(pdocs) and pdocs[pos] == doc:
                pw[pos] = 0.0


class DeltaSegment:
    """Postings of documents added since the last base build: term -> ([docs], [weights])."""

    def __init__(self) -> None:
        self.lists: dict[int, tuple[list[int], list[float]]] = {}
        self.n_docs = 0

    def add_doc(self, doc: int, terms: np.ndarray, weights: np.ndarray) -> None:
        for t, w in zip(terms.tolist(), weights.tolist()):
            entry = self.lists.get(t)
            if entry is None:
                entry = self.lists[t] = ([], [])
            entry[0].append(doc)
            entry[1].append(w)
        self.n_docs += 1

    def remove_doc(self, doc: int, terms: np.ndarray) -> None:
        for t in terms.tolist():
            entry = self.lists.get(t)
            if entry and doc in entry[0]:
                i = entry[0].index(doc)
                entry[1][i] = 0.0

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        entry = self.lists.get(term)
        if not entry:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        return np.asarray(entry[0], dtype=np.int32), np.asarray(entry[1], dtype=np.float32)

    def lookup(self, term: int, docs: np.ndarray) -> np.ndarray:
        out = np.zeros(len(docs), dtype=np.float32)
        entry = self.lists.get(term)
        if entry:
            where = dict(zip(entry[0], entry[1]))
            for i, d in enumerate(docs.tolist()):
                out[i] = where.get(d, 0.0)
        return out
