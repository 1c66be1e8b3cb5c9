"""``MatchIndex``: incremental BM25 candidate search + fuzzy re-ranking of stored statements.

Documents get dense internal numbers in insertion order.  Their terms live in
a forward index (doc -> terms, the source for deletes and compaction) and in
postings (term -> docs, see ``postings``).  A query touches only its own
terms' postings; terms too frequent to be worth a full pass (their cumulative
postings beyond the posting budget, by default 5% of the collection and at
least 20,000) are added for the short-listed candidates only, by binary
search: rare terms pick the candidates, frequent ones refine their scores.
"""

from __future__ import annotations

import functools
import threading
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

import numpy as np

from . import scoring
from .fields import DateLike, speaker_key
from .fields import day_number as _days
from .postings import BaseSegment, DeltaSegment, saturation
from .text import tokenize

#: The caller's document ids: an index holds ints or strs (``MatchIndex[int]`` for statement ids).
IdT = TypeVar("IdT", bound=int | str)
_Index = TypeVar("_Index", bound="MatchIndex[Any]")
_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(frozen=True)
class Match(Generic[IdT]):
    """One search hit: the caller's document id, a score in [0, 1] and its components."""

    doc_id: IdT
    score: float
    components: dict[str, float] = field(default_factory=dict)


def _locked(method: Callable[Concatenate[_Index, _P], _R]) -> Callable[Concatenate[_Index, _P], _R]:
    """Run ``method`` under the index's lock: a write (and the compaction it may trigger,
    which swaps several arrays) never overlaps a search in another thread."""

    @functools.wraps(method)
    def wrapper(self: _Index, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


def _check_id(doc_id: object) -> None:
    if doc_id is None or not isinstance(doc_id, (int, str)) or isinstance(doc_id, bool):
        raise TypeError(f"doc_id must be int or str, not {type(doc_id).__name__}")


def _grow(arr: np.ndarray, n: int) -> np.ndarray:
    """Return ``arr`` with room for at least ``n`` entries (amortised doubling)."""
    if len(arr) >= n:
        return arr
    out = np.empty(max(n, 2 * len(arr), 64), dtype=arr.dtype)
    out[: len(arr)] = arr
    return out


class MatchIndex(Generic[IdT]):
    """Search stored statements for the ones a new text repeats.

    ``add``/``remove``/``update``/``apply_changes`` take effect immediately;
    new documents sit in a small delta that is folded into the compact base
    when it exceeds ``delta_fraction`` of it (or on ``compact()``).
    """

    def __init__(self, k1: float = 1.5, b: float = 0.3, fusion: scoring.Fusion | None = None,
                 candidates: int = 100, rerank_depth: int = 30, posting_budget: int | None = None,
                 delta_fraction: float = 0.1) -> None:
        self.k1, self.b = k1, b
        self.fusion = fusion or scoring.DEFAULT_FUSION
        self.candidates = candidates  # lexical short list
        self.rerank_depth = rerank_depth  # of which this many go through the registered scorers
        self.posting_budget = posting_budget  # None: max(20_000, 5% of the documents)
        self.delta_fraction = delta_fraction
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros(0, dtype=np.int32)
        self._ids: list[IdT | None] = []  # internal -> caller id (None once deleted)
        self._pos: dict[IdT, int] = {}  # caller id -> internal
        self._n = 0  # internal numbers handed out
        self._alive = np.zeros(0, dtype=bool)
        self._doclen = np.zeros(0, dtype=np.float32)
        self._speaker = np.zeros(0, dtype=np.int32)
        self._said_on = np.zeros(0, dtype=np.int32)
        self._speakers: dict[str, int] = {}
        self._speaker_names: list[str] = []
        self._len_sum = 0.0
        self._avgdl = 0.0  # the one baked into base postings
        # Base forward index and normalised forms (CSR over base docs).
        self._n_base = 0
        self._fwd_ptr = np.zeros(1, dtype=np.int64)
        self._fwd_terms = np.zeros(0, dtype=np.int32)
        self._fwd_tf = np.zeros(0, dtype=np.float32)
        self._form_ptr = np.zeros(1, dtype=np.int64)
        self._form_blob = np.zeros(0, dtype=np.uint8)
        self._base = BaseSegment.empty()
        # Delta: per-doc forward entries and forms for internal numbers >= _n_base.
        self._delta = DeltaSegment()
        self._delta_fwd: list[tuple[np.ndarray, np.ndarray]] = []
        self._delta_forms: list[str] = []
        self._lock = threading.RLock()  # re-entrant: update() = remove() + add() -> compact()

    # ----------------------------------------------------------------- updates
    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    @_locked
    def add(self, doc_id: IdT, text: str, title: str | None = None,
            speaker: str | None = None, said_on: DateLike = None) -> None:
        """Index one statement; ``title`` (e.g. a fact-check headline) adds matching terms.

        Raises KeyError if ``doc_id`` is already indexed (use ``update``).
        """
        if not isinstance(text, str) or (title is not None and not isinstance(title, str)):
            raise TypeError("text and title must be str")
        if doc_id in self._pos:
            raise KeyError(f"document {doc_id!r} is already indexed; use update()")
        i, terms, tf = self._append(doc_id, text, title, speaker, said_on)
        avgdl = self._avgdl or self._len_sum / len(self._pos)
        self._delta.add_doc(i, terms, saturation(tf, np.float32(self._doclen[i]), avgdl, self.k1, self.b))
        if self._delta.n_docs > max(1000, self.delta_fraction * self._n_base):
            self.compact()

    @_locked
    def add_many(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Bulk load ``(doc_id, text[, title[, speaker[, said_on]]])`` rows, then compact once.

        Much faster than repeated ``add`` for an initial load: no delta postings are built.
        """
        if self._n == 0:
            self._load_base(rows)
            return
        for row in rows:
            doc_id, text, *rest = self._checked_row(row)
            self._append(doc_id, text, *rest)
        self.compact()

    def _checked_row(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        doc_id, text, *rest = row
        if not isinstance(text, str) or (rest and rest[0] is not None and not isinstance(rest[0], str)):
            raise TypeError("text and title must be str")
        _check_id(doc_id)  # before the lookup: an unhashable id gets this message, not the dict's
        if doc_id in self._pos:
            raise KeyError(f"document {doc_id!r} is already indexed; use update()")
        return row

    def _load_base(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """The initial load, written straight into the base's flat arrays.

        Keeping each document's terms as small arrays until a compaction (the
        ``add`` path) costs a few hundred bytes of object overhead per document;
        at a million statements that was most of the build's peak memory.
        """
        terms, tfs = array("i"), array("f")  # C int and float: int32 and float32 here
        n_terms, form_lens = array("q"), array("q")
        forms = bytearray()
        doclen, speaker, said_on = array("f"), array("i"), array("i")
        try:
            for row in rows:
                # Rows may stop after the text, the title or the speaker; the rest default to None.
                doc_id, text, title, spk, day = (*self._checked_row(row), None, None, None)[:5]
                day, spk = _days(day), speaker_key(spk)
                text_tokens = tokenize(text)
                tokens = text_tokens + (tokenize(title) if title else [])
                counts = self._count_terms(tokens)
                terms.extend(counts.keys())
                tfs.extend(counts.values())
                n_terms.append(len(counts))
                form = " ".join(text_tokens).encode("utf-8")  # == fuzzy_form(text)
                forms += form
                form_lens.append(len(form))
                doclen.append(len(tokens))
                speaker.append(self._speaker_id(spk))
                said_on.append(day)
                self._pos[doc_id] = len(self._ids)
                self._ids.append(doc_id)
                self._len_sum += len(tokens)
        except BaseException:
            self._ids, self._pos, self._len_sum = [], {}, 0.0  # still empty: new vocabulary is harmless
            raise
        n = len(self._ids)
        self._n = self._n_base = n
        self._alive = np.ones(n, dtype=bool)
        self._doclen = np.frombuffer(doclen, dtype=np.float32)
        self._speaker = np.frombuffer(speaker, dtype=np.int32)
        self._said_on = np.frombuffer(said_on, dtype=np.int32)
        self._fwd_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(n_terms, dtype=np.int64), out=self._fwd_ptr[1:])
        self._fwd_terms = np.frombuffer(terms, dtype=np.int32)
        self._fwd_tf = np.frombuffer(tfs, dtype=np.float32)
        self._form_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(form_lens, dtype=np.int64), out=self._form_ptr[1:])
        self._form_blob = np.frombuffer(forms, dtype=np.uint8)
        self._df = np.bincount(self._fwd_terms, minlength=len(self._terms)).astype(np.int32)
        self._rebuild_postings()

    def _append(self, doc_id: IdT, text: str, title: str | None = None, speaker: str | None = None,
                said_on: DateLike = None) -> tuple[int, np.ndarray, np.ndarray]:
        """Record a document's metadata, forward entry and form; returns (internal id, terms, tf)."""
        _check_id(doc_id)
        day = _days(said_on)  # validate before mutating anything
        spk = speaker_key(speaker)
        text_tokens = tokenize(text)
        tokens = text_tokens + (tokenize(title) if title else [])
        terms, tf = self._term_counts(tokens)
        i = self._n
        self._n += 1
        cap = self._n
        self._alive, self._doclen = _grow(self._alive, cap), _grow(self._doclen, cap)
        self._speaker, self._said_on = _grow(self._speaker, cap), _grow(self._said_on, cap)
        self._alive[i] = True
        self._doclen[i] = len(tokens)
        self._speaker[i] = self._speaker_id(spk)
        self._said_on[i] = day
        self._ids.append(doc_id)
        self._pos[doc_id] = i
        self._len_sum += len(tokens)
        self._df[terms] += 1  # terms are distinct
        self._delta_fwd.append((terms, tf))
        self._delta_forms.append(" ".join(text_tokens))  # == fuzzy_form(text)
        return i, terms, tf

    @_locked
    def remove(self, doc_id: IdT) -> None:
        """Forget a statement; it never matches again.  Raises KeyError if unknown."""
        i = self._pos.pop(doc_id)
        terms, _ = self._forward(i)
        if i < self._n_base:
            self._base.zero_doc(i, terms)
        else:
            self._delta.remove_doc(i, terms)
        self._df[terms] -= 1
        self._len_sum -= float(self._doclen[i])
        self._alive[i] = False
        self._ids[i] = None

    @_locked
    def update(self, doc_id: IdT, text: str, title: str | None = None,
               speaker: str | None = None, said_on: DateLike = None) -> None:
        """Replace (or insert) a statement: ``remove`` + ``add``."""
        if doc_id in self._pos:
            self.remove(doc_id)
        self.add(doc_id, text, title=title, speaker=speaker, said_on=said_on)

    @_locked
    def apply_changes(self, upserts: Iterable[Mapping[str, Any]] = (), deletes: Iterable[IdT] = ()) -> None:
        """Apply a batch from a change feed: ``upserts`` are mappings with ``doc_id``, ``text``
        and optional ``title``, ``speaker``, ``said_on``; ``deletes`` are ids (unknown ids are ignored).
        """
        for doc_id in deletes:
            if doc_id in self._pos:
                self.remove(doc_id)
        for row in upserts:
            self.update(row["doc_id"], row["text"], title=row.get("title"),
                        speaker=row.get("speaker"), said_on=row.get("said_on"))

    @_locked
    def compact(self) -> None:
        """Fold the delta into a new base and drop deleted documents (renumbers internally)."""
        alive = np.flatnonzero(self._alive[: self._n])
        nb = self._n_base
        keep_base = self._alive[:nb]
        # Base part by masks over the flat arrays; delta part from its per-doc lists.
        post_mask = np.repeat(keep_base, np.diff(self._fwd_ptr))
        byte_mask = np.repeat(keep_base, np.diff(self._form_ptr))
        delta_alive = [j for j in range(self._n - nb) if self._alive[nb + j]]
        terms = [np.asarray(self._fwd_terms)[post_mask]] + [self._delta_fwd[j][0] for j in delta_alive]
        tfs = [np.asarray(self._fwd_tf)[post_mask]] + [self._delta_fwd[j][1] for j in delta_alive]
        lens = np.concatenate([np.diff(self._fwd_ptr)[keep_base], [len(self._delta_fwd[j][0]) for j in delta_alive]])
        forms = [self._delta_forms[j].encode("utf-8") for j in delta_alive]
        form_lens = np.concatenate([np.diff(self._form_ptr)[keep_base], [len(f) for f in forms]])
        fwd_ptr = np.zeros(len(alive) + 1, dtype=np.int64)
        np.cumsum(lens, out=fwd_ptr[1:])
        fwd_terms = np.concatenate(terms).astype(np.int32)
        fwd_tf = np.concatenate(tfs).astype(np.float32)
        form_ptr = np.zeros(len(alive) + 1, dtype=np.int64)
        np.cumsum(form_lens, out=form_ptr[1:])
        self._form_blob = np.concatenate([np.asarray(self._form_blob)[byte_mask],
                                          np.frombuffer(b"".join(forms), dtype=np.uint8)])
        self._form_ptr = form_ptr
        n = len(alive)
        self._doclen = self._doclen[alive].copy()
        self._speaker = self._speaker[alive].copy()
        self._said_on = self._said_on[alive].copy()
        self._alive = np.ones(n, dtype=bool)
        self._ids = [self._ids[i] for i in alive.tolist()]
        self._pos = {d: j for j, d in enumerate(cast("list[IdT]", self._ids))}  # live documents only: no None
        self._n = self._n_base = n
        self._fwd_ptr, self._fwd_terms, self._fwd_tf = fwd_ptr, fwd_terms, fwd_tf
        self._delta, self._delta_fwd, self._delta_forms = DeltaSegment(), [], []
        self._rebuild_postings()

    def _rebuild_postings(self) -> None:
        n = self._n_base
        self._avgdl = float(self._doclen[:n].mean()) if n else 0.0
        post_docs = np.repeat(np.arange(n, dtype=np.int32), np.diff(self._fwd_ptr))
        w = saturation(self._fwd_tf, self._doclen[post_docs], self._avgdl, self.k1, self.b)
        self._base = BaseSegment.build(len(self._terms), self._fwd_terms, post_docs, w)

    # ----------------------------------------------------------------- search
    @_locked
    def search(self, text: str, top_k: int = 10, since: DateLike = None, speaker: str | None = None,
               min_score: float = 0.0) -> list[Match[IdT]]:
        """Statements that ``text`` most likely repeats, best first.

        ``since`` keeps statements said on/after that date (undated ones are
        dropped then); ``speaker`` is the attributed speaker of ``text`` and
        boosts statements by the same speaker.  Empty or stop-word-only text
        returns ``[]``.
        """
        if not isinstance(text, str):
            raise TypeError(f"search text must be str, not {type(text).__name__}")
        if not isinstance(top_k, int) or top_k < 1:
            raise ValueError("top_k must be a positive int")
        q_tokens = tokenize(text)
        if not q_tokens or not self._pos:
            return []
        # Terms of live statements only (a vocabulary entry may outlive its documents), rarest first.
        known = sorted({t for t in (self._vocab.get(w) for w in q_tokens) if t is not None and self._df[t] > 0},
                       key=lambda t: self._df[t])
        n_docs = len(self._pos)
        n_unknown = len(set(q_tokens)) - len(known)
        if not known:
            return []
        idf = self._idf(np.array(known, dtype=np.int64))
        # BM25 of a document of average length holding every query term once
        # (saturation 1); unknown words count as the rarest terms.
        q_max = float(idf.sum()) + n_unknown * self._idf_of(0)
        limit = self.posting_budget if self.posting_budget is not None else max(20_000, n_docs // 20)
        full: list[tuple[int, float]] = []
        partial: list[tuple[int, float]] = []
        budget = 0
        for t, w in zip(known, idf):
            if not full or budget + int(self._df[t]) <= limit:
                full.append((t, w))
                budget += int(self._df[t])
            else:
                partial.append((t, w))
        doc_parts: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for t, w in full:
            for seg in (self._base, self._delta):
                d, p = seg.postings(t)
                if len(d):
                    doc_parts.append(d)
                    weights.append(p * np.float32(w))
        if not doc_parts:
            return []
        docs = np.concatenate(doc_parts)
        since_day = None if since is None else _days(since)
        # np.bincount measured faster than np.add.at into a reused per-thread buffer here.
        acc = np.bincount(docs, weights=np.concatenate(weights), minlength=self._n)
        vals = acc[docs]  # each posting's document total (duplicates share it)
        if since_day is not None:
            vals[self._said_on[docs] < since_day] = 0.0
        m = min(max(self.candidates, top_k), len(vals))
        top = docs[np.argpartition(-vals, m - 1)[:m]] if m < len(vals) else docs
        cand = np.unique(top)
        bm25 = acc[cand]
        for t, w in partial:
            bm25 = bm25 + w * (self._base.lookup(t, cand) + self._delta.lookup(t, cand))
        keep = bm25 > 0
        if since_day is not None:  # frequent terms may have scored filtered-out candidates
            keep &= self._said_on[cand] >= since_day
        cand, bm25 = cand[keep], bm25[keep]
        if len(cand) == 0:
            return []
        return self._rank(cand, bm25, q_max, known, q_tokens, speaker, top_k, min_score)

    def _rank(self, cand: np.ndarray, bm25: np.ndarray, q_max: float, known: list[int], q_tokens: list[str],
              speaker: str | None, top_k: int, min_score: float) -> list[Match[IdT]]:
        comps = {
            "lexical": scoring.lexical_evidence(bm25, self._idf_of(1)),
            "query_coverage": np.minimum(bm25 / max(q_max, 1e-9), 1.0),
        }
        spk = speaker_key(speaker)
        speaker_match = None
        if spk is not None:
            speaker_match = (self._speaker[cand] == self._speakers.get(spk, -2)).astype(np.float64)
        # The remaining components cost more per candidate: compute them for the best
        # ``rerank_depth`` candidates by the BM25-based components (which carry most weight).
        depth = max(top_k, self.rerank_depth)
        if len(cand) > depth:
            pre = self.fusion.logits(comps, len(cand))
            if speaker_match is not None:
                pre = pre + self.fusion.speaker_boost * speaker_match
            keep = np.sort(np.argpartition(-pre, depth - 1)[:depth])
            cand = cand[keep]
            comps = {k: v[keep] for k, v in comps.items()}
            speaker_match = None if speaker_match is None else speaker_match[keep]
        comps["doc_coverage"] = self._doc_coverage(cand, np.array(known, dtype=np.int32))
        comps["near_duplicate"] = np.minimum(comps["query_coverage"], comps["doc_coverage"])
        ctx = _Candidates(" ".join(q_tokens), [self._form(int(i)) for i in cand])
        for name in self.fusion.weights:
            if name not in comps:
                comps[name] = scoring.get_scorer(name)(ctx)
        if speaker_match is not None:
            comps["speaker"] = speaker_match
        score = self.fusion.score(comps, len(cand), speaker_match)
        order = np.lexsort((cand, -score))[:top_k]
        ids = cast("list[IdT]", self._ids)  # candidates are live documents, whose ids are never None
        return [
            Match(ids[int(cand[j])], float(score[j]), {k: float(v[j]) for k, v in comps.items()})
            for j in order
            if score[j] >= min_score
        ]

    def _doc_coverage(self, cand: np.ndarray, q_terms: np.ndarray) -> np.ndarray:
        """Idf-weighted share of each candidate's distinct terms that the query contains."""
        parts = [self._forward(i)[0] for i in cand.tolist()]
        lens = np.array([len(p) for p in parts])
        if not lens.sum():
            return np.zeros(len(cand))
        terms = np.concatenate(parts)
        owner = np.repeat(np.arange(len(cand)), lens)
        w = self._idf(terms)
        hit = np.bincount(owner, weights=w * np.isin(terms, q_terms), minlength=len(cand))
        total = np.bincount(owner, weights=w, minlength=len(cand))
        return hit / np.maximum(total, 1e-9)

    # ----------------------------------------------------------------- helpers
    @overload
    def _idf_of(self, df: int) -> float: ...
    @overload
    def _idf_of(self, df: np.ndarray) -> np.ndarray: ...

    def _idf_of(self, df: int | np.ndarray) -> float | np.ndarray:
        n = len(self._pos)
        return np.log1p((n - df + 0.5) / (df + 0.5))

    def _idf(self, terms: np.ndarray) -> np.ndarray:
        return self._idf_of(self._df[terms].astype(np.float64))

    def _count_terms(self, tokens: list[str]) -> dict[int, int]:
        """Term id -> count for ``tokens``, in order of first appearance; new terms join the vocabulary."""
        counts: dict[int, int] = {}
        for tok in tokens:
            t = self._vocab.get(tok)
            if t is None:
                t = self._vocab[tok] = len(self._terms)
                self._terms.append(tok)
            counts[t] = counts.get(t, 0) + 1
        return counts

    def _term_counts(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Distinct term ids of ``tokens`` (new ones added to the vocabulary) and their counts."""
        counts = self._count_terms(tokens)
        if len(self._df) < len(self._terms):
            self._df = np.concatenate([self._df, np.zeros(len(self._terms) - len(self._df), np.int32)])
        return np.fromiter(counts, np.int32, len(counts)), np.fromiter(counts.values(), np.float32, len(counts))

    def _speaker_id(self, key: str | None) -> int:
        if key is None:
            return -1
        sid = self._speakers.get(key)
        if sid is None:
            sid = self._speakers[key] = len(self._speaker_names)
            self._speaker_names.append(key)
        return sid

    def _forward(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        if i < self._n_base:
            lo, hi = self._fwd_ptr[i], self._fwd_ptr[i + 1]
            return self._fwd_terms[lo:hi], self._fwd_tf[lo:hi]
        return self._delta_fwd[i - self._n_base]

    def _form(self, i: int) -> str:
        if i < self._n_base:
            return self._form_blob[self._form_ptr[i]: self._form_ptr[i + 1]].tobytes().decode("utf-8")
        return self._delta_forms[i - self._n_base]


@dataclass
class _Candidates:
    query_form: str
    doc_forms: Sequence[str]
