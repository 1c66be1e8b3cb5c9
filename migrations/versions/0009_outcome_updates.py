"""A published outcome changes only with a public note: each change is kept with what it replaced.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outcome_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('previous_description', sa.Text(), nullable=False),
    sa.Column('previous_occurred_on', sa.Date(), nullable=True),
    sa.Column('previous_evidence_url', sa.String(length=2048), nullable=True),
    sa.Column('previous_evidence_title', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outcome_updates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcomes.id'], name=op.f('fk_outcome_updates_outcome_id_outcomes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_updates'))
    )
    with op.batch_alter_table('outcome_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_updates_outcome_id'), ['outcome_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outcome_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_updates_outcome_id'))
    op.drop_table('outcome_updates')
