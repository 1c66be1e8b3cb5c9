"""Save a ``MatchIndex`` to a directory of ``.npy`` arrays plus ``meta.json``, and load it back.

No pickle: arrays are loaded with ``allow_pickle=False`` and everything else
is plain JSON, so a tampered file can at worst fail to load.  Arrays are
memory-mapped copy-on-write: start-up is fast, worker processes share the
pages, and a delete only copies the pages it touches.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .index import MatchIndex
from .postings import BaseSegment

FORMAT = "claimtrack-matchindex"
VERSION = 1
_ARRAYS = ("doclen", "speaker", "said_on", "fwd_ptr", "fwd_terms", "fwd_tf", "form_ptr", "form_blob", "df")
_BASE = ("ptr", "docs", "weights")


def save(index: MatchIndex[Any], path: str | os.PathLike[str]) -> None:
    """Write ``index`` (compacted first, so the delta is folded in) to directory ``path``."""
    with index._lock:
        _save(index, Path(path))


def _save(index: MatchIndex[Any], path: Path) -> None:
    index.compact()
    path.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        np.save(path / f"{name}.npy", getattr(index, f"_{name}")[: _length(index, name)])
    for name in _BASE:
        np.save(path / f"base_{name}.npy", getattr(index._base, name))
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "k1": index.k1,
        "b": index.b,
        "avgdl": index._avgdl,
        "len_sum": index._len_sum,
        "terms": index._terms,
        "ids": index._ids,
        "speakers": index._speaker_names,
    }
    tmp = path / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path / "meta.json")  # meta last: a half-written index has no meta and fails to load


def _length(index: MatchIndex[Any], name: str) -> int:
    arr = getattr(index, f"_{name}")
    return index._n if name in ("doclen", "speaker", "said_on") else len(arr)


def load(path: str | os.PathLike[str], mmap: bool = True, **options: Any) -> MatchIndex[Any]:
    """Load an index written by ``save``; ``options`` go to ``MatchIndex`` (fusion, candidates, ...)."""
    path = Path(path)
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise ValueError(f"{path} is not a claimtrack match index of version {VERSION}")
    mode: Literal["c"] | None = "c" if mmap else None

    def arr(name: str) -> np.ndarray:
        # asarray: a plain ndarray view of the map (memmap slicing is slow per call).
        return np.asarray(np.load(path / f"{name}.npy", mmap_mode=mode, allow_pickle=False))

    # The ids are whatever the saved index held (read back from JSON): the caller knows which.
    index: MatchIndex[Any] = MatchIndex(k1=meta["k1"], b=meta["b"], **options)
    index._terms = list(meta["terms"])
    index._vocab = {t: i for i, t in enumerate(index._terms)}
    index._ids = list(meta["ids"])
    index._pos = {d: i for i, d in enumerate(index._ids)}
    index._speaker_names = list(meta["speakers"])
    index._speakers = {s: i for i, s in enumerate(index._speaker_names)}
    for name in _ARRAYS:
        setattr(index, f"_{name}", arr(name))
    # Small per-doc arrays and df are mutated and grown often: keep them in RAM.
    for name in ("doclen", "speaker", "said_on", "df"):
        setattr(index, f"_{name}", np.array(getattr(index, f"_{name}")))
    n = len(index._ids)
    index._alive = np.ones(n, dtype=bool)
    index._n = index._n_base = n
    index._avgdl = meta["avgdl"]
    index._len_sum = meta["len_sum"]
    index._base = BaseSegment(arr("base_ptr"), arr("base_docs"), arr("base_weights"))
    if len(index._pos) != n or len(index._doclen) != n or len(index._fwd_ptr) != n + 1:
        raise ValueError(f"{path}: inconsistent index files")
    return index
