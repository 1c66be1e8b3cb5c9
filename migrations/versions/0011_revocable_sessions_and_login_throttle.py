"""Sessions that can be ended (a session epoch per user), API tokens that expire, and the login
throttle's counters (one row per account or client address instead of an audit event per failure).

Sessions opened before this revision carry no epoch and end at their next request: everyone logs in once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server default fills the existing rows; the model sets the value from then on.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_epoch', server_default=None, existing_type=sa.Integer(), existing_nullable=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True))

    op.create_table('login_throttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('account', 'address', name='throttle_kind', native_enum=False, create_constraint=True, length=7), nullable=False),
    sa.Column('key', sa.String(length=320), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_failure_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retry_after', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
    sa.UniqueConstraint('kind', 'key', name='uq_login_throttles_kind_key')
    )
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttles_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttles_last_failure_at'))
    op.drop_table('login_throttles')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
