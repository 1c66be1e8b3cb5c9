"""The site version: one row counting the commits that wrote anything, so the public site can answer
conditional requests and keep its feeds and sitemaps cached without rebuilding them to compare.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00.000000
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    site_version = op.create_table(
        'site_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_version')),
    )
    # The one row every commit bumps: it exists from the start, so a bump is always an UPDATE.
    op.bulk_insert(site_version, [{'id': 1, 'version': 0, 'changed_at': dt.datetime.now(dt.UTC)}])


def downgrade() -> None:
    op.drop_table('site_version')
