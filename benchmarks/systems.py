"""The systems compared by the benchmark, behind one small interface.

Each adapter builds from ``(doc_id, text, title)`` rows, can save/load, and
answers ``search(text, k) -> [doc_id, ...]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class ClaimtrackSystem:
    name = "claimtrack"

    def __init__(self, index=None):
        self.index = index

    def build(self, rows) -> None:
        from claimtrack.matching import MatchIndex

        self.index = MatchIndex()
        self.index.add_many((doc_id, text, title or None) for doc_id, text, title in rows)

    def save(self, path: Path) -> None:
        from claimtrack.matching import save

        save(self.index, path)

    @classmethod
    def load(cls, path: Path):
        from claimtrack.matching import load

        return cls(load(path))

    def search(self, text: str, k: int) -> list:
        return [m.doc_id for m in self.index.search(text, top_k=k)]


class Bm25sSystem:
    """bm25s with English stop words and the Snowball stemmer over claim + title."""

    name = "bm25s"

    def __init__(self, retriever=None, ids=None):
        self.retriever, self.ids = retriever, ids
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english")

    def _tokens(self, texts):
        import bm25s

        return bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, show_progress=False)

    def build(self, rows) -> None:
        import bm25s

        self.ids = [r[0] for r in rows]
        self.retriever = bm25s.BM25()
        self.retriever.index(self._tokens([f"{t}\n{h}" for _, t, h in rows]), show_progress=False)

    def save(self, path: Path) -> None:
        self.retriever.save(str(path), show_progress=False)
        np.save(Path(path) / "ids.npy", np.array(self.ids))

    @classmethod
    def load(cls, path: Path):
        import bm25s

        retriever = bm25s.BM25.load(str(path), mmap=False, show_progress=False)
        return cls(retriever, np.load(Path(path) / "ids.npy", allow_pickle=False).tolist())

    def search(self, text: str, k: int) -> list:
        import bm25s

        tokens = bm25s.tokenize([text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False)
        if not any(tokens):
            return []
        docs, _ = self.retriever.retrieve(tokens, k=min(k, len(self.ids)), show_progress=False, n_threads=1)
        return [self.ids[i] for i in docs[0]]


class FuzzScanSystem:
    """RapidFuzz ``token_set_ratio`` over every claim + title: the linear-scan baseline."""

    name = "rapidfuzz-scan"

    def __init__(self):
        self.ids, self.texts = [], []

    def build(self, rows) -> None:
        from rapidfuzz import utils

        self.ids = [r[0] for r in rows]
        self.texts = [utils.default_process(f"{t} {h}") for _, t, h in rows]

    def search(self, text: str, k: int) -> list:
        from rapidfuzz import fuzz, process, utils

        hits = process.extract(utils.default_process(text), self.texts, scorer=fuzz.token_set_ratio,
                               processor=None, limit=k)
        return [self.ids[i] for _, _, i in hits]


SYSTEMS = {s.name: s for s in (ClaimtrackSystem, Bm25sSystem, FuzzScanSystem)}
