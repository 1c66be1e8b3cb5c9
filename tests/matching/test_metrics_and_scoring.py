import numpy as np
import pytest

from benchmarks.metrics import average_precision_at, evaluate, recall_at, reciprocal_rank
from claimtrack.matching import Fusion, get_scorer, register_scorer, registered_scorers


def test_average_precision_at_5():
    assert average_precision_at(["a", "x", "b"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision_at(["x"] * 5 + ["a"], {"a"}, 5) == 0.0


def test_reciprocal_rank_and_recall():
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a"}) == 0.0
    assert recall_at(["a", "x", "b"], {"a", "b", "c"}, 2) == pytest.approx(1 / 3)


def test_evaluate_counts_missing_runs_as_zero():
    res = evaluate({"q1": ["a"]}, {"q1": {"a"}, "q2": {"b"}})
    assert res["MAP@5"] == pytest.approx(0.5)
    assert res["MRR"] == pytest.approx(0.5)


def test_scorer_registry_and_fusion():
    @register_scorer("length_ratio")
    def length_ratio(c):
        return np.array([min(len(d), len(c.query_form)) / max(len(d), len(c.query_form), 1) for d in c.doc_forms])

    assert "length_ratio" in registered_scorers() and "fuzzy" in registered_scorers()
    assert get_scorer("length_ratio") is length_ratio
    with pytest.raises(KeyError, match="registered"):
        get_scorer("nope")
    f = Fusion(weights={"a": 2.0}, bias=-1.0)
    assert f.score({"a": np.array([0.5])}, 1)[0] == pytest.approx(0.5)


def test_custom_scorer_is_used_by_index():
    from claimtrack.matching import MatchIndex

    @register_scorer("always_one")
    def always_one(c):
        return np.ones(len(c.doc_forms))

    ix = MatchIndex(fusion=Fusion(weights={"always_one": 3.0}, bias=0.0))
    ix.add("a", "tax cuts for the rich")
    (m,) = ix.search("tax cuts")
    assert m.components["always_one"] == 1.0
    assert m.score == pytest.approx(1 / (1 + np.exp(-3.0)))
