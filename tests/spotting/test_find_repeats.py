"""Matching finds the paraphrased repeats in the demo articles, stays quiet on unrelated text,
and follows every change to the statements, in every process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role
from claimtrack.accounts.services import create_user
from claimtrack.articles.models import AppearanceStatus
from claimtrack.articles.services import store_article
from claimtrack.claims.services import log_statement
from claimtrack.cli import main
from claimtrack.demo import load_fixtures
from claimtrack.spotting.live_index import LiveIndex
from claimtrack.spotting.report import build_report, labelled_scores
from claimtrack.spotting.services import Thresholds, find_repeats, record_suggestions, review_appearance

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"


@pytest.fixture
def demo(session: Session) -> Session:
    load_fixtures(session)
    session.commit()
    return session


def matched_ids(session: Session, index: LiveIndex, name: str) -> dict[str, str]:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    results = find_repeats(session, index, text)
    return {c.statement.external_id: c.strength for r in results for c in r.candidates}


def test_demo_articles_repeat_the_known_claims(demo: Session) -> None:
    index = LiveIndex()
    envoy = matched_ids(demo, index, "envoy-optimism.txt")
    assert {"demo-kellogg-really-close", "demo-kellogg-last-10-metres", "demo-kellogg-two-issues"} <= set(envoy)
    kremlin = matched_ids(demo, index, "kremlin-response.txt")
    assert {"demo-peskov-radical-changes", "demo-zelensky-territory", "demo-trump-peacemaker"} <= set(kremlin)
    assert "strong" in kremlin.values()


def test_unrelated_text_stays_quiet(demo: Session) -> None:
    assert matched_ids(demo, LiveIndex(), "unrelated-local-news.txt") == {}


def test_attributed_speaker_raises_the_score(demo: Session) -> None:
    index = LiveIndex()
    plain = find_repeats(demo, index, "Radical changes to the American proposals are needed.")
    attributed = find_repeats(demo, index, "Peskov said radical changes to the American proposals are needed.")
    assert attributed[0].speaker.name == "Dmitry Peskov"
    assert attributed[0].candidates[0].score > plain[0].candidates[0].score


def test_short_inputs_still_match(demo: Session) -> None:
    results = find_repeats(demo, LiveIndex(), "peacemaker", thresholds=Thresholds(suggest=0.0, strong=0.8))
    assert results and results[0].candidates[0].statement.external_id == "demo-trump-peacemaker"


def test_since_filter_drops_older_statements(demo: Session) -> None:
    import datetime as dt

    text = "A deal to end the fighting is really close."
    assert find_repeats(demo, LiveIndex(), text)
    assert find_repeats(demo, LiveIndex(), text, since=dt.date(2026, 1, 1)) == []


def test_index_follows_inserts_updates_and_deletes_in_every_process(session: Session, tmp_path: Path) -> None:
    first, second = LiveIndex(tmp_path / "snap"), LiveIndex(tmp_path / "snap")
    statement = log_statement(session, "The harbour festival is cancelled this year.", speaker=None)
    session.commit()
    assert first.search(session, "harbour festival cancelled")[0].doc_id == statement.id

    statement.text = "The lighthouse will be repainted blue."
    session.commit()
    for index in (first, second):
        assert [m.doc_id for m in index.search(session, "lighthouse repainted blue")] == [statement.id]
        assert index.search(session, "harbour festival cancelled") == []

    session.delete(statement)
    session.commit()
    for index in (first, second):
        assert index.search(session, "lighthouse repainted blue") == []


def test_snapshot_is_reused_only_for_the_same_database(session: Session, tmp_path: Path) -> None:
    statement = log_statement(session, "Bridges across the river will be toll free.", speaker=None)
    session.commit()
    LiveIndex(tmp_path / "snap").refresh(session)
    assert (tmp_path / "snap" / "claimtrack-snapshot.json").exists()
    later = log_statement(session, "Night trains return to the coast.", speaker=None)
    session.commit()
    restarted = LiveIndex(tmp_path / "snap")
    assert restarted.search(session, "toll free bridges")[0].doc_id == statement.id
    assert restarted.search(session, "night trains coast")[0].doc_id == later.id


def test_a_rebuild_reports_its_progress(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.spotting import live_index

    monkeypatch.setattr(live_index, "FETCH_CHUNK", 10)  # report every 10 statements instead of every 10,000
    for n in range(25):
        log_statement(session, f"Statement number {n} about harbour dues.", speaker=None)
    session.commit()
    reports: list[tuple[int, int]] = []
    index = LiveIndex().refresh(session, progress=lambda done, total: reports.append((done, total)))
    assert reports == [(10, 25), (20, 25), (25, 25)] and len(index) == 25
    reports.clear()
    LiveIndex().refresh(session)  # without a callback nothing is counted
    assert reports == []


def test_reviews_feed_the_match_report(demo: Session) -> None:
    reviewer = create_user(demo, "reviewer@example.org", "a long password", Role.FACT_CHECKER)
    text = (ARTICLES / "envoy-optimism.txt").read_text(encoding="utf-8")
    article = store_article(demo, text, title="Envoy repeats his optimism")
    suggestions = record_suggestions(demo, article, find_repeats(demo, LiveIndex(), text), reviewer)
    assert suggestions and all(a.status is AppearanceStatus.SUGGESTED for a in suggestions)
    assert record_suggestions(demo, article, find_repeats(demo, LiveIndex(), text), reviewer) == [], "stored once"
    review_appearance(demo, suggestions[0], confirmed=True, actor=reviewer)
    review_appearance(demo, suggestions[1], confirmed=False, actor=reviewer)
    demo.commit()
    labels = labelled_scores(demo)
    assert sorted(ok for _s, ok in labels) == [False, True]
    report = build_report(labels, Thresholds(0.0, 1.0))
    assert (report.confirmed, report.rejected) == (1, 1)
    assert report.at_suggest.precision == 0.5 and report.at_suggest.recall == 1.0
    assert report.suggested_suggest is None, "too few labels to suggest thresholds"


def test_report_suggests_thresholds_from_enough_labels() -> None:
    labels = [(0.9, True)] * 15 + [(0.7, True)] * 5 + [(0.6, False)] * 10 + [(0.3, False)] * 10
    report = build_report(labels, Thresholds(0.5, 0.8))
    assert report.at_suggest.precision == pytest.approx(20 / 30)
    assert report.suggested_suggest == pytest.approx(0.65)
    assert report.suggested_strong == pytest.approx(0.65)


def test_cli_match_queries_json_keeps_input_order(runner: FlaskCliRunner, tmp_path: Path) -> None:
    statements = tmp_path / "statements.jsonl"
    statements.write_text(
        "\n".join(
            json.dumps(s)
            for s in [
                {"id": "v1", "text": "The moon landing was staged in a studio.", "title": "Was the moon landing faked?"},
                {"id": "v2", "text": "Drinking hot water cures the flu."},
                {"id": "v3", "text": "The new bridge cost twice its budget."},
            ]
        ),
        encoding="utf-8",
    )
    assert runner.invoke(main, ["import", str(statements)]).exit_code == 0
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        '{"id": "q2", "text": "hot water will cure your flu"}\n{"id": 7, "text": "moon landing faked"}\n{"id": "q3", "text": "zzz"}\n',
        encoding="utf-8",
    )
    done = runner.invoke(main, ["match", "--queries", str(queries), "--top", "2", "--json"])
    assert done.exit_code == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q2", 7, "q3"]
    assert lines[0]["matches"][0]["external_id"] == "v2"
    assert lines[1]["matches"][0]["external_id"] == "v1"
    assert 0.0 <= lines[1]["matches"][0]["score"] <= 1.0
    assert lines[2]["matches"] == []
    queries.write_text('{"id": "a", "text": "ok"}\n{"text": 5}\n', encoding="utf-8")
    bad = runner.invoke(main, ["match", "--queries", str(queries), "--json"])
    assert bad.exit_code == 1 and "line 2" in bad.stderr


def test_a_bulk_rebuild_entry_is_followed_from_the_snapshot(session: Session, tmp_path: Path) -> None:
    from claimtrack.claims.importer import import_statements
    from tests.test_import import jsonl

    running = LiveIndex(tmp_path / "snap")
    running.refresh(session)
    rows = [{"id": f"b{i}", "text": f"bulk statement number {i} about ferries"} for i in range(5001)]
    rows.append({"id": "target", "text": "The old tram depot becomes a museum."})
    import_statements(session, jsonl(*rows))
    session.commit()
    LiveIndex(tmp_path / "snap").refresh(session)  # what claimtrack import does after committing
    hit = running.search(session, "tram depot museum")
    assert hit and hit[0].doc_id == running.refresh(session).search("tram depot museum")[0].doc_id
    assert len(running) == 5002


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_fuzzed_articles_are_matched_without_errors(demo: Session) -> None:
    """Seeded articles spliced from demo sentences, quotes, names and odd characters: matching never fails,
    every suggestion's offsets point at its sentence, and scores stay in [0, 1]."""
    import random

    rng = random.Random(int(os.environ.get("FUZZ_SEED", "3")))  # FUZZ_SEED=n explores other articles
    words = [*(ARTICLES / "envoy-optimism.txt").read_text(encoding="utf-8").split(),
        "“", "”", '"', "«", "»", "—", "…", "said", "according to", "Kellogg", "Peskov", "the Kremlin spokesperson",
        "\u202e", "\u200b", "🙂", "日本語", "ٱلْعَرَبِيَّة", "\t", "\n", "\n\n", "Mr.", "U.S.", "e.g.", "...", "?!", "(", ")", "'"]
    index = LiveIndex()
    matched = 0
    for _ in range(60):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 250)))
        for sentence in find_repeats(demo, index, text, thresholds=Thresholds(suggest=0.3, strong=0.8)):
            segment = sentence.segment
            assert text[segment.start : segment.end] == segment.text
            assert all(0.0 <= c.score <= 1.0 for c in sentence.candidates)
            matched += 1
    assert matched > 0, "the spliced articles reach the matcher's candidates, not only its empty paths"
