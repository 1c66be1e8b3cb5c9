"""Create the domain model: speakers, sources, statements, ratings, outcomes,
articles and appearances, users, API tokens and the audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 03:30:44.298281
"""

import sqlalchemy as sa
from alembic import op

import claimtrack.orm

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('publisher', sa.String(length=300), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.Enum('article', 'speech', 'interview', 'press_conference', 'social_post', 'transcript', 'other', name='source_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('url', name=op.f('uq_sources_url'))
    )
    op.create_table('speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('role_title', sa.String(length=300), nullable=True),
    sa.Column('affiliation', sa.String(length=300), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speakers')),
    sa.UniqueConstraint('slug', name=op.f('uq_speakers_slug'))
    )
    op.create_table('topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topics')),
    sa.UniqueConstraint('slug', name=op.f('uq_topics_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('role', sa.Enum('admin', 'editor', 'fact_checker', name='user_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=300), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_articles_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_articles_content_hash'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_url'), ['url'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('evidence_url', sa.String(length=2048), nullable=True),
    sa.Column('evidence_title', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_outcomes_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes'))
    )
    op.create_table('speaker_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_aliases_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_aliases')),
    sa.UniqueConstraint('speaker_id', 'alias', name='uq_speaker_aliases_speaker_alias')
    )
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_aliases_speaker_id'), ['speaker_id'], unique=False)

    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('claim', sa.Text(), nullable=True),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('said_on_precision', sa.Enum('day', 'month', 'year', name='date_precision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('expected_by', sa.Date(), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('current_rating_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_statements_source_id_sources'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_statements_speaker_id_speakers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_statements_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('external_id', name=op.f('uq_statements_external_id'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_current_rating_id'), ['current_rating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_expected_by'), ['expected_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_said_on'), ['said_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_source_id'), ['source_id'], unique=False)
        batch_op.create_index('ix_statements_speaker_said_on', ['speaker_id', 'said_on'], unique=False)

    op.create_table('appearances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('appeared_on', sa.Date(), nullable=True),
    sa.Column('matched_text', sa.Text(), nullable=True),
    sa.Column('start_offset', sa.Integer(), nullable=True),
    sa.Column('end_offset', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('status', sa.Enum('suggested', 'confirmed', 'rejected', name='appearance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_appearances_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_appearances_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_appearances_reviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_appearances_source_id_sources'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_appearances_speaker_id_speakers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_appearances_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appearances'))
    )
    with op.batch_alter_table('appearances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appearances_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_appearances_statement_status', ['statement_id', 'status'], unique=False)

    op.create_table('outcome_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.Enum('confirms', 'contradicts', 'partly', name='outcome_relation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcomes.id'], name=op.f('fk_outcome_links_outcome_id_outcomes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_outcome_links_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_links')),
    sa.UniqueConstraint('outcome_id', 'statement_id', name='uq_outcome_links_pair')
    )
    with op.batch_alter_table('outcome_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_links_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_links_statement_id'), ['statement_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=50), nullable=False),
    sa.Column('verdict', sa.String(length=50), nullable=False),
    sa.Column('verdict_text', sa.String(length=200), nullable=True),
    sa.Column('headline', sa.String(length=500), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='rating_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_note', sa.Text(), nullable=True),
    sa.Column('rater_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_ratings_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], name=op.f('fk_ratings_rater_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_ratings_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['ratings.id'], name=op.f('fk_ratings_supersedes_id_ratings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_statement_id'), ['statement_id'], unique=False)

    # statements and ratings point at each other; the statement's pointer to
    # its current rating can only be added once both tables exist.
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_statements_current_rating_id_ratings'), 'ratings',
            ['current_rating_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('statement_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_statement_id', sa.Integer(), nullable=False),
    sa.Column('to_statement_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.Enum('contradicts', 'supports', 'repeats', name='link_relation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', claimtrack.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statement_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_statement_id'], ['statements.id'], name=op.f('fk_statement_links_from_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_statement_id'], ['statements.id'], name=op.f('fk_statement_links_to_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_links')),
    sa.UniqueConstraint('from_statement_id', 'to_statement_id', 'relation', name='uq_statement_links_pair')
    )
    with op.batch_alter_table('statement_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_links_from_statement_id'), ['from_statement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_links_to_statement_id'), ['to_statement_id'], unique=False)

    op.create_table('statement_topics',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_topics_statement_id_statements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_statement_topics_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'topic_id', name=op.f('pk_statement_topics'))
    )
    with op.batch_alter_table('statement_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_topics_topic_id'), ['topic_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_statements_current_rating_id_ratings'), type_='foreignkey')

    with op.batch_alter_table('statement_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_topics_topic_id'))

    op.drop_table('statement_topics')
    with op.batch_alter_table('statement_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_links_to_statement_id'))
        batch_op.drop_index(batch_op.f('ix_statement_links_from_statement_id'))

    op.drop_table('statement_links')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_statement_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('outcome_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_links_statement_id'))
        batch_op.drop_index(batch_op.f('ix_outcome_links_outcome_id'))

    op.drop_table('outcome_links')
    with op.batch_alter_table('appearances', schema=None) as batch_op:
        batch_op.drop_index('ix_appearances_statement_status')
        batch_op.drop_index(batch_op.f('ix_appearances_article_id'))

    op.drop_table('appearances')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_speaker_said_on')
        batch_op.drop_index(batch_op.f('ix_statements_source_id'))
        batch_op.drop_index(batch_op.f('ix_statements_said_on'))
        batch_op.drop_index(batch_op.f('ix_statements_expected_by'))
        batch_op.drop_index(batch_op.f('ix_statements_current_rating_id'))

    op.drop_table('statements')
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaker_aliases_speaker_id'))

    op.drop_table('speaker_aliases')
    op.drop_table('outcomes')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_url'))

    op.drop_table('articles')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('topics')
    op.drop_table('speakers')
    op.drop_table('sources')
