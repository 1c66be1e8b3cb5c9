"""Candidate scorers and their fusion into one calibrated score in [0, 1].

Every scorer is registered by name and maps ``(query, candidates)`` to one
value per candidate in [0, 1].  The final score is a logistic model over the
named components::

    score = sigmoid(bias + sum(weight[name] * component[name]))

The default weights were fitted on the CheckThat! 2020 *train* split
(tweet -> verified-claim pairs; candidates from the lexical stage): ranking
weights first, then a logistic slope/bias so that the score reads as an
estimate of P(this statement is the claim the text makes) among the
candidates (``python -m benchmarks.calibrate`` refits them).  A semantic
scorer can be registered later and given a weight beside the lexical ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload

import numpy as np
from rapidfuzz import fuzz, process


class Candidates(Protocol):
    """What a scorer may look at: the query and the candidate statements."""

    query_form: str  # normalised query (stemmed terms joined by spaces)
    doc_forms: Sequence[str]  # normalised statements, one per candidate


ScorerFn = Callable[[Candidates], np.ndarray]
_SCORERS: dict[str, ScorerFn] = {}


@overload
def register_scorer(name: str, fn: ScorerFn) -> ScorerFn: ...
@overload
def register_scorer(name: str, fn: None = None) -> Callable[[ScorerFn], ScorerFn]: ...


def register_scorer(name: str, fn: ScorerFn | None = None) -> ScorerFn | Callable[[ScorerFn], ScorerFn]:
    """Register a candidate scorer under ``name`` (usable as a decorator)."""

    def deco(f: ScorerFn) -> ScorerFn:
        if not name or not isinstance(name, str):
            raise ValueError("scorer name must be a non-empty string")
        _SCORERS[name] = f
        return f

    return deco(fn) if fn is not None else deco


def get_scorer(name: str) -> ScorerFn:
    """The scorer registered as ``name``; KeyError names the known ones."""
    try:
        return _SCORERS[name]
    except KeyError:
        raise KeyError(f"unknown scorer {name!r}; registered: {sorted(_SCORERS)}") from None


def registered_scorers() -> list[str]:
    return sorted(_SCORERS)


@register_scorer("fuzzy")
def fuzzy_scorer(c: Candidates) -> np.ndarray:
    """RapidFuzz ``partial_ratio``: the statement's best-aligned stretch of the query.

    Order-aware, typo-tolerant evidence that the text *contains* the statement
    (an article quoting it), which bag-of-words BM25 cannot see.
    """
    if not c.doc_forms:
        return np.zeros(0)
    return process.cdist([c.query_form], list(c.doc_forms), scorer=fuzz.partial_ratio, workers=1)[0] / 100.0


@register_scorer("fuzzy_set")
def fuzzy_set_scorer(c: Candidates) -> np.ndarray:
    """RapidFuzz ``token_set_ratio``: order-free word overlap (not in the default fusion)."""
    if not c.doc_forms:
        return np.zeros(0)
    return process.cdist([c.query_form], list(c.doc_forms), scorer=fuzz.token_set_ratio, workers=1)[0] / 100.0


# Lexical components computed by the index itself (see MatchIndex.search):
#   lexical        - how many rare query terms the statement shares (lexical_evidence)
#   query_coverage - BM25 / BM25 of an average document holding every query term once
#   doc_coverage   - idf-weighted share of the statement's terms found in the query
LEXICAL_SATURATION = 30.0  # this many fully matched rarest terms map to 1


def lexical_evidence(bm25: np.ndarray, max_idf: float) -> np.ndarray:
    """BM25 in units of "fully matched rarest terms", log-scaled into [0, 1].

    Dividing by the largest possible idf keeps the value comparable between a
    corpus of a hundred statements and one of a million (raw BM25 grows with
    log N); the ranking within one query is unchanged.
    """
    matched = bm25 / max(max_idf, 1e-9)
    return np.minimum(np.log1p(matched) / math.log1p(LEXICAL_SATURATION), 1.0)


@dataclass
class Fusion:
    """Logistic fusion of named components into a score in [0, 1]."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    speaker_boost: float = 1.0  # added to the logit when the attributed speaker agrees
    # A text that *is* the statement (both coverages at least this value) scores at
    # least its "near_duplicate" component, however short: the fitted weights come
    # from long tweets and would leave a three-word verbatim repeat at ~0.5.  At 0.8
    # it changes no CheckThat ranking (train and dev MAP@5 unchanged).  None disables.
    duplicate_floor: float | None = 0.8

    def logits(self, components: dict[str, np.ndarray], n: int) -> np.ndarray:
        z = np.full(n, self.bias, dtype=np.float64)
        for name, w in self.weights.items():
            if name in components:
                z += w * components[name]
        return z

    def score(self, components: dict[str, np.ndarray], n: int, speaker_match: np.ndarray | None = None) -> np.ndarray:
        z = self.logits(components, n)
        if speaker_match is not None:
            z = z + self.speaker_boost * speaker_match
        score = 1.0 / (1.0 + np.exp(-z))
        if self.duplicate_floor is not None and "near_duplicate" in components:
            nd = components["near_duplicate"]
            score = np.maximum(score, np.where(nd >= self.duplicate_floor, nd, 0.0))
        return score


# Fitted on CheckThat! 2020 train with k1=1.5, b=0.3, 100 candidates, rerank depth 30
# (python -m benchmarks.calibrate): listwise weights, then Platt scaling.
DEFAULT_FUSION = Fusion(
    weights={"lexical": 22.511, "query_coverage": 0.859, "doc_coverage": 0.422, "fuzzy": 1.785},
    bias=-12.132,
)
