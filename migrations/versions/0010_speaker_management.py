"""Speakers and topics are managed on the desk: speakers get a version, and renamed or merged
speakers and topics keep their old public addresses as redirects.

On SQLite the speakers table is rebuilt with AUTOINCREMENT, so the id of a speaker merged away is
never handed to a new one (the read API redirects that id to the speaker kept).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

#: As in claimtrack.speakers.models.SlugRedirect (copied: a migration must not change when the code does).
ONE_TARGET = (
    "(kind = 'speaker' AND speaker_id IS NOT NULL AND topic_id IS NULL)"
    " OR (kind = 'topic' AND topic_id IS NOT NULL AND speaker_id IS NULL AND old_speaker_id IS NULL)"
)


def _speakers_batch(autoincrement: bool):
    """The speakers table in batch mode; on SQLite rebuilt, with or without AUTOINCREMENT."""
    if op.get_bind().dialect.name != 'sqlite':
        return op.batch_alter_table('speakers', schema=None)
    return op.batch_alter_table('speakers', schema=None, recreate='always',
                                table_kwargs={'sqlite_autoincrement': autoincrement})


def upgrade() -> None:
    # The server default fills the existing rows; the model sets the value from then on.
    with _speakers_batch(autoincrement=True) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with _speakers_batch(autoincrement=True) as batch_op:
        batch_op.alter_column('version', server_default=None, existing_type=sa.Integer(), existing_nullable=False)

    op.create_table('slug_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('speaker', 'topic', name='redirect_kind', native_enum=False, create_constraint=True, length=7), nullable=False),
    sa.Column('old_slug', sa.String(length=200), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('old_speaker_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint(ONE_TARGET, name=op.f('ck_slug_redirects_one_target')),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_slug_redirects_speaker_id_speakers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_slug_redirects_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slug_redirects')),
    sa.UniqueConstraint('kind', 'old_slug', name='uq_slug_redirects_kind_old_slug'),
    sa.UniqueConstraint('old_speaker_id', name=op.f('uq_slug_redirects_old_speaker_id'))
    )
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slug_redirects_speaker_id'), ['speaker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_slug_redirects_topic_id'), ['topic_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slug_redirects_topic_id'))
        batch_op.drop_index(batch_op.f('ix_slug_redirects_speaker_id'))
    op.drop_table('slug_redirects')

    with _speakers_batch(autoincrement=False) as batch_op:
        batch_op.drop_column('version')
