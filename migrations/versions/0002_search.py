"""Search indexes: SQLite FTS5 over statements, PostgreSQL full text.

Both get indexes on ratings for the verdict and scale filters.
SQLite gets an external-content FTS5 table (the words live only in
``statements``; the index holds tokens) kept in sync by triggers.
PostgreSQL gets a GIN index on the same document the search queries build
(``claimtrack.search.fulltext.PG_DOCUMENT``; keep the two identical or the
index is not used).

None of these is an ORM object: ``claimtrack.db.include_in_autogenerate`` hides them
from autogenerate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:50:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Verdict and scale filters read the ratings through these (shared by both engines).
RATING_INDEXES_UP = [
    "CREATE INDEX ix_search_ratings_verdict ON ratings (verdict, status)",
    "CREATE INDEX ix_search_ratings_scale ON ratings (scale, verdict, status)",
    # Latest fact-checks (home page, Atom feed): newest published first.
    "CREATE INDEX ix_search_ratings_published ON ratings (published_at, id)",
]
RATING_INDEXES_DOWN = [
    "DROP INDEX IF EXISTS ix_search_ratings_published",
    "DROP INDEX IF EXISTS ix_search_ratings_scale",
    "DROP INDEX IF EXISTS ix_search_ratings_verdict",
]

SQLITE_UPGRADE = [
    # porter stems English ("changes" finds "change"), like PostgreSQL's 'english' configuration.
    """CREATE VIRTUAL TABLE statements_fts USING fts5(
        text, claim, content='statements', content_rowid='id', tokenize='porter unicode61'
    )""",
    """CREATE TRIGGER statements_fts_after_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, text, claim) VALUES (new.id, new.text, new.claim);
    END""",
    """CREATE TRIGGER statements_fts_after_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, claim) VALUES ('delete', old.id, old.text, old.claim);
    END""",
    # Only the indexed columns: statements are updated often (version, rating pointer).
    """CREATE TRIGGER statements_fts_after_update AFTER UPDATE OF text, claim ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, claim) VALUES ('delete', old.id, old.text, old.claim);
        INSERT INTO statements_fts(rowid, text, claim) VALUES (new.id, new.text, new.claim);
    END""",
    "INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS statements_fts_after_update",
    "DROP TRIGGER IF EXISTS statements_fts_after_delete",
    "DROP TRIGGER IF EXISTS statements_fts_after_insert",
    "DROP TABLE IF EXISTS statements_fts",
]

POSTGRES_UPGRADE = [
    "CREATE INDEX ix_search_statements_fulltext ON statements "
    "USING gin (to_tsvector('english', text || ' ' || coalesce(claim, '')))",
    # "Newest first" sorts unknown dates last; a plain index would hand them out first.
    "CREATE INDEX ix_search_statements_newest ON statements (said_on DESC NULLS LAST, id DESC)",
]

POSTGRES_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_search_statements_newest",
    "DROP INDEX IF EXISTS ix_search_statements_fulltext",
]


def _run(sqlite: list[str], postgres: list[str]) -> None:
    dialect = op.get_bind().dialect.name
    statements = sqlite if dialect == "sqlite" else postgres if dialect == "postgresql" else []
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    _run(SQLITE_UPGRADE + RATING_INDEXES_UP, POSTGRES_UPGRADE + RATING_INDEXES_UP)


def downgrade() -> None:
    _run(RATING_INDEXES_DOWN + SQLITE_DOWNGRADE, RATING_INDEXES_DOWN + POSTGRES_DOWNGRADE)
