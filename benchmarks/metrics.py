"""Ranking metrics for the quality benchmark (CheckThat! definitions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def average_precision_at(ranked: Sequence, relevant: set, k: int) -> float:
    """AP@k: mean precision at each relevant hit within the top k, over min(|relevant|, k)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k)


def reciprocal_rank(ranked: Sequence, relevant: set) -> float:
    """1 / rank of the first relevant document, 0 if none is ranked."""
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def recall_at(ranked: Sequence, relevant: set, k: int) -> float:
    """Share of the relevant documents found in the top k."""
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def evaluate(runs: Mapping[str, Sequence], qrels: Mapping[str, set]) -> dict[str, float]:
    """Mean MAP@5, MRR, Recall@5 and Recall@20 over the queries in ``qrels`` (missing runs count 0)."""
    n = len(qrels)
    sums = {"MAP@5": 0.0, "MRR": 0.0, "R@5": 0.0, "R@20": 0.0}
    for qid, rel in qrels.items():
        ranked = list(runs.get(qid, ()))
        sums["MAP@5"] += average_precision_at(ranked, rel, 5)
        sums["MRR"] += reciprocal_rank(ranked, rel)
        sums["R@5"] += recall_at(ranked, rel, 5)
        sums["R@20"] += recall_at(ranked, rel, 20)
    return {k: v / n for k, v in sums.items()} if n else sums
