import datetime as dt

import numpy as np
import pytest

from claimtrack.matching import STRONG_THRESHOLD, SUGGEST_THRESHOLD, MatchIndex, load, save

STATEMENTS = {
    1: ("Vaccines cause autism in young children.", "Jane Roe", "2019-03-01"),
    2: ("The moon landing in 1969 was staged in a film studio by NASA.", "Tom Poe", "2018-07-20"),
    3: ("Drinking bleach cures the coronavirus infection.", "Al Bee", "2020-04-23"),
    4: ("Unemployment fell to its lowest level in fifty years last month.", "Jane Roe", "2019-11-02"),
    5: ("The city council voted to ban plastic bags in grocery stores.", None, "2021-01-15"),
    6: ("Wind turbines kill millions of birds every single year.", "Tom Poe", "2020-02-02"),
    7: ("Eating carrots greatly improves your night vision.", None, None),
    8: ("The president signed a bill raising the minimum wage to fifteen dollars.", "Al Bee", "2021-03-05"),
}


@pytest.fixture
def index():
    ix = MatchIndex()
    for doc_id, (text, speaker, said) in STATEMENTS.items():
        ix.add(doc_id, text, speaker=speaker, said_on=said)
    return ix


def ids(matches):
    return [m.doc_id for m in matches]


def test_paraphrase_ranks_its_statement_first_and_scores_high(index):
    hits = index.search("NASA staged the 1969 moon landing in a studio, says a viral post")
    assert hits[0].doc_id == 2
    assert hits[0].score >= STRONG_THRESHOLD


def test_unrelated_text_stays_below_suggest(index):
    # Shares "city" and "stores" with statement 5, so there are hits, but weak ones.
    hits = index.search("The city bakery opens a second shop next to the stores with fresh sourdough bread")
    assert hits
    assert all(m.score < SUGGEST_THRESHOLD for m in hits)


def test_scores_are_in_unit_interval_and_sorted(index):
    hits = index.search("children vaccines autism birds turbines", top_k=8)
    scores = [m.score for m in hits]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_short_inputs_still_match(index):
    assert index.search("bleach")[0].doc_id == 3
    assert index.search("wind turbines")[0].doc_id == 6


def test_empty_and_stopword_only_text_return_empty(index):
    assert index.search("") == []
    assert index.search("the and of") == []


def test_bad_input_raises(index):
    with pytest.raises(TypeError, match="str"):
        index.search(42)
    with pytest.raises(ValueError):
        index.search("moon", top_k=0)
    with pytest.raises(KeyError):
        index.add(1, "duplicate id")


def test_removed_statement_never_matches(index):
    index.remove(3)
    index.compact()  # its words stay in the vocabulary without any live document
    assert index.search("bleach") == []
    assert 3 not in ids(index.search("drinking bleach cures coronavirus", top_k=8))
    assert 3 not in index
    with pytest.raises(KeyError):
        index.remove(3)


def test_update_replaces_old_text(index):
    index.update(7, "Solar panels stop working on cloudy days.")
    assert 7 not in ids(index.search("carrots night vision", top_k=8))
    assert index.search("solar panels cloudy days")[0].doc_id == 7
    assert len(index) == len(STATEMENTS)


def test_delta_then_compact_gives_same_results(index):
    index.add(9, "Bananas are radioactive enough to be dangerous.")
    index.remove(1)
    before = [(m.doc_id, round(m.score, 9)) for m in index.search("radioactive bananas vaccines", top_k=5)]
    index.compact()
    after = [(m.doc_id, round(m.score, 9)) for m in index.search("radioactive bananas vaccines", top_k=5)]
    assert ids_only(before) == ids_only(after)
    assert before[0][0] == 9


def ids_only(pairs):
    return [d for d, _ in pairs]


def test_apply_changes_batch(index):
    index.apply_changes(upserts=[{"doc_id": 20, "text": "Sharks were seen swimming in flooded streets."},
                                 {"doc_id": 2, "text": "Mars has liquid water oceans."}],
                        deletes=[4, 999])
    assert index.search("sharks swimming flooded streets")[0].doc_id == 20
    assert index.search("mars oceans")[0].doc_id == 2
    assert 4 not in ids(index.search("unemployment lowest fifty years", top_k=8))


@pytest.mark.parametrize("budget", [None, 1])  # 1: every term but the rarest scored on candidates only
def test_since_filters_older_and_undated(index, budget):
    index.posting_budget = budget
    hits = index.search("vaccines autism children carrots", top_k=8, since=dt.date(2020, 1, 1))
    assert 1 not in ids(hits) and 7 not in ids(hits)
    assert ids(index.search("children", since="2019-01-01")) == [1]
    if budget is None:  # a tiny budget may miss docs sharing only the frequent terms: by design
        assert {1, 7} <= set(ids(index.search("vaccines autism children carrots", top_k=8)))


def test_speaker_agreement_boosts(index):
    plain = index.search("the lowest unemployment in fifty years")[0]
    boosted = index.search("the lowest unemployment in fifty years", speaker="jane  ROE")[0]
    assert plain.doc_id == boosted.doc_id == 4
    assert boosted.score > plain.score
    assert boosted.components["speaker"] == 1.0


def test_save_load_round_trip_identical(index, tmp_path):
    index.remove(5)
    queries = ["moon landing staged", "bleach", "minimum wage bill fifteen dollars", "birds"]
    save(index, tmp_path / "ix")  # saving compacts, so compare against the saved state
    before = [[(m.doc_id, m.score) for m in index.search(q, top_k=5)] for q in queries]
    loaded = load(tmp_path / "ix")
    after = [[(m.doc_id, m.score) for m in loaded.search(q, top_k=5)] for q in queries]
    assert after == before
    assert len(loaded) == len(index) == 7
    # The loaded index keeps working incrementally, also when deleting from the mapped base.
    loaded.remove(2)
    loaded.add(30, "A new statement about moon landing hoaxes.")
    assert loaded.search("moon landing")[0].doc_id == 30


def test_load_rejects_foreign_directory(tmp_path):
    (tmp_path / "meta.json").write_text('{"format": "something-else"}')
    with pytest.raises(ValueError):
        load(tmp_path)


def test_many_docs_budget_path_matches_exact_scores():
    # With a tiny posting budget frequent terms are scored on candidates only; results must agree.
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(60)]
    rows = [(i, " ".join(rng.choice(vocab, 8))) for i in range(400)]
    exact, budget = MatchIndex(posting_budget=10**9), MatchIndex(posting_budget=50, candidates=400)
    exact.add_many(rows)
    budget.add_many(rows)
    q = "w1 w2 w3 w50"
    a, b = exact.search(q, top_k=5), budget.search(q, top_k=5)
    assert [m.doc_id for m in a] == [m.doc_id for m in b]
    assert [m.score for m in a] == pytest.approx([m.score for m in b], rel=1e-5)


def test_add_many_matches_incremental_adds():
    rows = [(d, text, None, speaker, said) for d, (text, speaker, said) in STATEMENTS.items()]
    bulk = MatchIndex()
    bulk.add_many(rows)
    one_by_one = MatchIndex()
    for d, text, _, speaker, said in rows:
        one_by_one.add(d, text, speaker=speaker, said_on=said)
    one_by_one.compact()
    q = "the moon landing was staged"
    assert [(m.doc_id, m.score) for m in bulk.search(q, top_k=3)] == \
        [(m.doc_id, m.score) for m in one_by_one.search(q, top_k=3)]
    # The initial bulk load writes the base arrays directly; they must be those a compaction builds.
    for name in ("_doclen", "_speaker", "_said_on", "_fwd_ptr", "_fwd_terms", "_fwd_tf", "_form_ptr", "_form_blob", "_df"):
        np.testing.assert_array_equal(getattr(bulk, name)[: len(rows) if name in ("_doclen", "_speaker", "_said_on") else None],
                                      getattr(one_by_one, name), err_msg=name)
    bulk.add(99, "A later statement about moon landing footage.")
    bulk.remove(next(iter(STATEMENTS)))
    assert bulk.search("moon landing footage")[0].doc_id == 99, "a bulk-loaded index takes adds and removes"


def test_a_bad_row_in_an_initial_bulk_load_leaves_an_empty_usable_index():
    ix = MatchIndex()
    with pytest.raises(TypeError):
        ix.add_many([(1, "a fine statement"), (2, None)])
    assert len(ix) == 0 and ix.search("fine statement") == []
    ix.add_many([(1, "a fine statement"), (2, "another one")])
    assert [m.doc_id for m in ix.search("fine statement")][:1] == [1]


def test_bad_ids_and_dates_raise():
    ix = MatchIndex()
    with pytest.raises(TypeError):
        ix.add(1.5, "float ids are ambiguous")
    with pytest.raises(TypeError):
        ix.add(1, "a statement", said_on=20200101)
    with pytest.raises(ValueError):
        ix.add(2, "a statement", said_on="not a date")
    with pytest.raises(TypeError):
        ix.add(3, "a statement", speaker=["not", "a", "name"])
    assert len(ix) == 0 and ix.search("statement") == []  # failed adds leave nothing behind


def test_short_verbatim_repeat_is_strong_but_single_word_is_not(index):
    index.add(50, "Vaccines cause autism.")
    hits = index.search("vaccines cause autism")
    assert hits[0].doc_id == 50 and hits[0].score >= STRONG_THRESHOLD
    assert index.search("autism")[0].score < SUGGEST_THRESHOLD


def test_searches_do_not_leak_into_each_other_across_threads(index):
    from concurrent.futures import ThreadPoolExecutor

    queries = ["moon landing staged", "bleach coronavirus", "minimum wage", "birds turbines", "night vision"] * 20
    expected = {q: [(m.doc_id, m.score) for m in index.search(q, top_k=3)] for q in set(queries)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: [(m.doc_id, m.score) for m in index.search(q, top_k=3)], queries))
    assert got == [expected[q] for q in queries]
    # Sequential reuse of the scratch space: a query after another equals the query alone.
    fresh = MatchIndex()
    for doc_id, (text, speaker, said) in STATEMENTS.items():
        fresh.add(doc_id, text, speaker=speaker, said_on=said)
    assert [(m.doc_id, m.score) for m in fresh.search("night vision")] == expected["night vision"]


def test_a_write_waits_for_a_running_search():
    # A compaction swaps several arrays; it must never run in the middle of a search.
    import threading

    from claimtrack.matching import Fusion, register_scorer

    ix = MatchIndex(fusion=Fusion(weights={"lexical": 1.0, "probe": 0.0}))
    ix.add(1, "the moon landing was staged")
    done_during_search, writers = [], []

    @register_scorer("probe")
    def probe(c):  # runs inside search: start a write and see whether it gets through
        writer = threading.Thread(target=ix.add, args=(2, "a new statement"))
        writer.start()
        writer.join(timeout=0.3)
        done_during_search.append(not writer.is_alive())
        writers.append(writer)
        return np.zeros(len(c.doc_forms))

    ix.search("moon landing")
    writers[0].join()
    assert done_during_search == [False]
    assert 2 in ix
