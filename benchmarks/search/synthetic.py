"""Fill a migrated database with synthetic speakers, sources, topics, statements and ratings.

Rows go in through SQLAlchemy Core executemany in batches, with ids chosen
here so no round trip is needed to learn them. The words are drawn from a
skewed vocabulary, so some search terms are common and others rare, as in
real text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, text

from claimtrack.articles.models import Appearance
from claimtrack.claims.models import Source, Statement, Topic, statement_topics
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating
from claimtrack.speakers.models import Speaker, SpeakerAlias

BATCH = 10_000
SPEAKERS = 1_000
PUBLISHERS = 200
TOPICS = 60
START = dt.date(2015, 1, 1)
DAYS = 11 * 365
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

SYLLABLES = ["ka", "lo", "mi", "ren", "sto", "va", "pe", "dru", "nik", "sel", "ta", "bor", "gri", "mon", "zu", "fa"]
#: Real words that the benchmark searches for, mixed into the synthetic vocabulary.
KNOWN_WORDS = ["deal", "ceasefire", "border", "inflation", "election", "vaccine", "refugees", "treaty", "budget", "sanctions"]
TRUTH = ["true", "mostly_true", "half_true", "mostly_false", "false", "fabricated"]
OUTCOME = ["pending", "came_true", "partly_came_true", "did_not_come_true", "unverifiable"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def vocabulary(rng: random.Random, size: int = 8_000) -> list[str]:
    words = list(dict.fromkeys(_word(rng) for _ in range(size * 2)))[: size - len(KNOWN_WORDS)]
    # Known words at chosen ranks: "deal" common, "treaty" rarer, "sanctions" rare.
    for rank, word in zip([3, 20, 60, 150, 400, 900, 2000, 3500, 5000, 7000], KNOWN_WORDS):
        words.insert(rank, word)
    return words


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(engine: Engine, rows: int, seed: int = 5, progress: Callable[[str], None] = print) -> None:
    """Insert ``rows`` statements (and their speakers, ratings, topics) into an empty migrated database."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    # A Zipf-like weight per word rank.
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    with engine.begin() as conn:
        conn.execute(Speaker.__table__.insert(), [
            {"id": i, "name": f"{_word(rng).title()} {_word(rng).title()}", "slug": f"speaker-{i}",
             "role_title": f"Minister of {_word(rng).title()}", "created_at": NOW}
            for i in range(1, SPEAKERS + 1)
        ])
        conn.execute(SpeakerAlias.__table__.insert(), [
            {"speaker_id": i, "alias": f"the {_word(rng)} office"} for i in range(1, SPEAKERS + 1)
        ])
        conn.execute(Source.__table__.insert(), [
            {"id": i, "url": f"https://example.org/{i}", "publisher": f"Publisher {i % PUBLISHERS}",
             "title": f"Report {i}", "kind": "article", "created_at": NOW}
            for i in range(1, PUBLISHERS * 10 + 1)
        ])
        conn.execute(Topic.__table__.insert(), [{"id": i, "name": f"Topic {i}", "slug": f"topic-{i}"} for i in range(1, TOPICS + 1)])
        conn.execute(Outcome.__table__.insert(), [{"id": 1, "description": "Synthetic outcome", "created_at": NOW,
                                                    "status": "published", "published_at": NOW}])

    def statements() -> Iterator[dict[str, Any]]:
        for i in range(1, rows + 1):
            said = START + dt.timedelta(days=rng.randrange(DAYS))
            # A desk's archive: nearly all published, some drafts waiting for review, a few retracted.
            draw = rng.random()
            status = "draft" if draw < 0.01 else "retracted" if draw < 0.012 else "published"
            text_words = rng.choices(words, cum_weights=weights, k=rng.randint(8, 20))
            claim_words = rng.choices(words, cum_weights=weights, k=rng.randint(6, 12)) if rng.random() < 0.5 else None
            yield {
                "id": i,
                "text": " ".join(text_words).capitalize() + ".",
                "claim": " ".join(claim_words).capitalize() + "." if claim_words else None,
                "speaker_id": rng.randint(1, SPEAKERS),
                "said_on": said,
                "said_on_precision": "day",
                "source_id": rng.randint(1, PUBLISHERS * 10),
                "language": "en",
                "expected_by": said + dt.timedelta(days=180) if rng.random() < 0.05 else None,
                "created_at": NOW,
                "updated_at": NOW,
                "version": 1,
                "status": status,
                "published_at": None if status == "draft" else NOW,
            }

    def ratings() -> Iterator[dict[str, Any]]:
        rating_id = 0
        for statement_id in range(1, rows + 1):
            if rng.random() >= 0.45:
                continue
            scale = "outcome" if rng.random() < 0.2 else "truth"
            status = "draft" if rng.random() < 0.1 else "published"
            rating_id += 1
            yield {
                "id": rating_id, "statement_id": statement_id, "scale": scale,
                "verdict": rng.choice(OUTCOME if scale == "outcome" else TRUTH),
                "rationale": "Synthetic.", "evidence": [], "status": status,
                "published_at": NOW if status == "published" else None, "created_at": NOW,
            }

    for table, generate in ((Statement.__table__, statements), (Rating.__table__, ratings)):
        done = 0
        for batch in _batches(generate()):
            with engine.begin() as conn:
                conn.execute(table.insert(), batch)
            done += len(batch)
            if done % 100_000 == 0:
                progress(f"  {table.name}: {done:,}")
    topic_rows = ({"statement_id": i, "topic_id": rng.randint(1, TOPICS)} for i in range(1, rows + 1) if i % 2 == 0)
    link_rows = ({"outcome_id": 1, "statement_id": i, "relation": "contradicts", "created_at": NOW, "status": "published",
                  "published_at": NOW} for i in range(7, rows + 1, 97))
    for table, generated in ((statement_topics, topic_rows), (OutcomeLink.__table__, link_rows)):
        for batch in _batches(generated):
            with engine.begin() as conn:
                conn.execute(table.insert(), batch)
    with engine.begin() as conn:
        # The current rating is the published one; one set-based UPDATE instead of a million.
        conn.execute(text(
            "UPDATE statements SET current_rating_id = ratings.id FROM ratings "
            "WHERE ratings.statement_id = statements.id AND ratings.status = 'published'"
        ))
        conn.execute(Appearance.__table__.insert(), [
            {"statement_id": i, "status": "confirmed", "created_at": NOW} for i in range(1, min(rows, 1000) + 1, 3)
        ])
    # What autovacuum would have done on a live server: statistics, and (PostgreSQL) the visibility map.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
