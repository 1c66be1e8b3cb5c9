"""A rating version that follows a published one is an update or a correction.

Versions stored before had to carry a correction note, so those with one become corrections.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'kind',
            sa.Enum('update', 'correction', name='rating_kind', native_enum=False, create_constraint=True, length=10),
            nullable=True,
        ))
    op.execute("UPDATE ratings SET kind = 'correction' WHERE correction_note IS NOT NULL")


def downgrade() -> None:
    # The CHECK goes first: SQLite's copy of the table would otherwise keep a check on a dropped column.
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ratings_rating_kind'), type_='check')
        batch_op.drop_column('kind')
