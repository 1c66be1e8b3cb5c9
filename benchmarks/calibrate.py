"""Fit the fusion weights of ``claimtrack.matching.scoring`` on CheckThat! 2020 train.

Every train tweet is searched; each candidate becomes one example (gold claim
= 1, other candidates = 0).  The component weights are fitted for ranking
(softmax over each tweet's candidates), then one slope and bias are fitted by
logistic regression so the score is calibrated.  Prints the weights to paste into ``DEFAULT_FUSION`` and the
train/dev MAP@5 they give.

    python -m benchmarks.calibrate [--data PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from claimtrack.matching import Fusion, MatchIndex

from .data import DEFAULT_DATA, load_claims, load_split
from .metrics import evaluate

COMPONENTS = ("lexical", "query_coverage", "doc_coverage", "fuzzy")


def shuffled_claims(root: Path, seed: int = 13) -> list[tuple[str, str, str]]:
    """Claims in a seeded random order.  The claim set holds ~180 near-verbatim
    duplicates (they differ only in quote marks) that tie exactly; file order
    would break those ties towards the gold id, so every system gets this order."""
    claims = load_claims(root)
    np.random.default_rng(seed).shuffle(claims)
    return claims


def build_index(root: Path, **options) -> MatchIndex:
    index = MatchIndex(**options)
    for cid, claim, title in shuffled_claims(root):
        index.add(cid, claim, title=title)
    index.compact()
    return index


def candidate_table(index: MatchIndex, split) -> tuple[np.ndarray, np.ndarray, list]:
    rows, labels, groups = [], [], []
    for qid, text in split.queries:
        for m in index.search(text, top_k=index.rerank_depth):
            rows.append([m.components[c] for c in COMPONENTS])
            labels.append(m.doc_id in split.qrels[qid])
            groups.append((qid, m.doc_id))
    return np.array(rows), np.array(labels, dtype=float), groups


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 5000, lr: float = 1.0):
    """Logistic regression by projected gradient descent on standardised features.

    Weights are kept >= 0 so that more overlap never lowers a score (keeps the
    score interpretable); returned in raw feature units.
    """
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        w -= lr * (z.T @ (p - y) / len(y) + l2 * w)
        np.maximum(w, 0.0, out=w)
        b -= lr * float((p - y).mean())
    return w / sd, b - float((mu / sd) @ w)


def fit_listwise(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float = 1e-3, steps: int = 1500, lr: float = 0.5):
    """Ranking weights: softmax over each query's candidates, maximising the gold candidates' share.

    Projected to weights >= 0 like ``fit_logistic``; only queries with a gold
    candidate take part.  Returned in raw feature units (scale is arbitrary).
    """
    _, g = np.unique(groups, return_inverse=True)
    has_gold = np.bincount(g, weights=y) > 0
    keep = has_gold[g]
    x, y, g = x[keep], y[keep], np.unique(g[keep], return_inverse=True)[1]
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    target = y / np.bincount(g, weights=y)[g]
    w = np.zeros(x.shape[1])
    n_groups = g.max() + 1
    for _ in range(steps):
        s = z @ w
        e = np.exp(s - s.max())
        p = e / np.bincount(g, weights=e, minlength=n_groups)[g]
        w -= lr * (z.T @ (p - target) / n_groups + l2 * w)
        np.maximum(w, 0.0, out=w)
    return w / sd


def fit_fusion(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> Fusion:
    """Listwise weights for the ranking, then Platt scaling (one slope, one bias) for calibration."""
    w = fit_listwise(x, y, groups)
    (slope,), bias = fit_logistic((x @ w)[:, None], y)
    return Fusion(weights={c: round(float(v * slope), 3) for c, v in zip(COMPONENTS, w)}, bias=round(bias, 3))


def map_at_5(index: MatchIndex, split) -> float:
    runs = {qid: [m.doc_id for m in index.search(text, top_k=20)] for qid, text in split.queries}
    return evaluate(runs, split.qrels)["MAP@5"]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    index = build_index(args.data)
    train, dev = load_split(args.data, "train"), load_split(args.data, "dev")
    x, y, groups = candidate_table(index, train)
    index.fusion = fit_fusion(x, y, np.array([q for q, _ in groups]))
    print("weights:", index.fusion.weights, "bias:", index.fusion.bias)
    print(f"MAP@5 train {map_at_5(index, train):.4f}  dev {map_at_5(index, dev):.4f}")


if __name__ == "__main__":
    main()
