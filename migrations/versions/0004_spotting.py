"""Add the statement change log that keeps every match index current, and
keep the fact-check title of imported statements.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-26 03:44:11.403906
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('statement_changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('upsert', 'delete', 'rebuild', name='change_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_statement_changes'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fact_check_title', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('fact_check_title')

    op.drop_table('statement_changes')
