"""One publishing workflow: statements, outcomes and links are drafts until published, and leave by
retraction; published statements keep their public revisions.

Everything stored before was public, so existing statements, outcomes and links start published (at
the time they were created). Ratings may now be retracted too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 18:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

REVIEWED_TABLES = ('statements', 'outcomes', 'outcome_links', 'statement_links')
#: Tables that get a version counter here (statements have had one from the start).
NEWLY_VERSIONED = ('outcomes', 'outcome_links', 'statement_links')
#: As in claimtrack.orm.NOT_PUBLIC_INDEX_WHERE (copied: a migration must not change when the code does).
NOT_PUBLIC = "status <> 'published'"


# SQLite's batch mode rebuilds ``statements`` by copying it, and its full-text triggers (0002) go
# with the old table: they are made again, and the index rebuilt from the copy.
SQLITE_FTS_TRIGGERS = [
    "DROP TRIGGER IF EXISTS statements_fts_after_insert",
    "DROP TRIGGER IF EXISTS statements_fts_after_delete",
    "DROP TRIGGER IF EXISTS statements_fts_after_update",
    """CREATE TRIGGER statements_fts_after_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, text, claim) VALUES (new.id, new.text, new.claim);
    END""",
    """CREATE TRIGGER statements_fts_after_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, claim) VALUES ('delete', old.id, old.text, old.claim);
    END""",
    """CREATE TRIGGER statements_fts_after_update AFTER UPDATE OF text, claim ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, claim) VALUES ('delete', old.id, old.text, old.claim);
        INSERT INTO statements_fts(rowid, text, claim) VALUES (new.id, new.text, new.claim);
    END""",
    "INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')",
]


def _restore_full_text_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for sql in SQLITE_FTS_TRIGGERS:
            op.execute(sql)


def _status() -> sa.Enum:
    return sa.Enum('draft', 'published', 'retracted', name='publication_status', native_enum=False,
                   create_constraint=True, length=9)


def _rating_status(*values: str) -> sa.Enum:
    return sa.Enum(*values, name='rating_status', native_enum=False, create_constraint=True, length=9)


def _retraction_columns(batch_op, table: str) -> None:
    batch_op.add_column(sa.Column('retracted_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True))
    batch_op.add_column(sa.Column('retracted_by_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('retraction_note', sa.Text(), nullable=True))
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_retracted_by_id_users'), 'users', ['retracted_by_id'], ['id'],
                                ondelete='SET NULL')


def upgrade() -> None:
    op.create_table('statement_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('speaker_name', sa.String(length=300), nullable=True),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('said_on_precision', sa.Enum('day', 'month', 'year', name='date_precision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('source_url', sa.String(length=2048), nullable=True),
    sa.Column('source_title', sa.String(length=500), nullable=True),
    sa.Column('source_publisher', sa.String(length=300), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statement_revisions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_statement_revisions_speaker_id_speakers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_revisions_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_revisions')),
    sa.UniqueConstraint('statement_id', 'number', name='uq_statement_revisions_number')
    )
    with op.batch_alter_table('statement_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_revisions_statement_id'), ['statement_id'], unique=False)

    with op.batch_alter_table('outcome_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outcome_links_created_by_id_users'), 'users', ['created_by_id'], ['id'], ondelete='SET NULL')

    # Server defaults fill the existing rows (all of them were public); the models set the values from then on.
    for table in REVIEWED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in NEWLY_VERSIONED:
                batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
            batch_op.add_column(sa.Column('status', _status(), nullable=False, server_default='published'))
            batch_op.add_column(sa.Column('published_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_published_by_id_users'), 'users', ['published_by_id'], ['id'],
                                        ondelete='SET NULL')
            _retraction_columns(batch_op, table)
        op.execute(f"UPDATE {table} SET published_at = created_at")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('status', server_default=None, existing_type=_status(), existing_nullable=False)
            if table in NEWLY_VERSIONED:
                batch_op.alter_column('version', server_default=None, existing_type=sa.Integer(), existing_nullable=False)

    _restore_full_text_triggers()
    # Drafts and retractions, few beside the published: the public's searches subtract them.
    op.create_index('ix_statements_not_public', 'statements', ['id'], unique=False,
                    sqlite_where=sa.text(NOT_PUBLIC), postgresql_where=sa.text(NOT_PUBLIC))

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        _retraction_columns(batch_op, 'ratings')
        batch_op.drop_constraint(batch_op.f('ck_ratings_rating_status'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_ratings_rating_status'), sa.column('status').in_(['draft', 'published', 'retracted'])
        )


def downgrade() -> None:
    op.execute("UPDATE ratings SET status = 'published' WHERE status = 'retracted'")
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ratings_rating_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_ratings_rating_status'), sa.column('status').in_(['draft', 'published']))
        batch_op.drop_constraint(batch_op.f('fk_ratings_retracted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('retraction_note')
        batch_op.drop_column('retracted_by_id')
        batch_op.drop_column('retracted_at')

    op.drop_index('ix_statements_not_public', table_name='statements')
    for table in REVIEWED_TABLES:
        # The CHECK goes first: SQLite's copy of the table would otherwise keep a check on a dropped column.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_publication_status'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_retracted_by_id_users'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_published_by_id_users'), type_='foreignkey')
            batch_op.drop_column('retraction_note')
            batch_op.drop_column('retracted_by_id')
            batch_op.drop_column('retracted_at')
            batch_op.drop_column('published_by_id')
            batch_op.drop_column('published_at')
            batch_op.drop_column('status')
            if table in NEWLY_VERSIONED:
                batch_op.drop_column('version')

    with op.batch_alter_table('outcome_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outcome_links_created_by_id_users'), type_='foreignkey')
        batch_op.drop_column('created_by_id')

    with op.batch_alter_table('statement_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_revisions_statement_id'))
    op.drop_table('statement_revisions')
    _restore_full_text_triggers()
