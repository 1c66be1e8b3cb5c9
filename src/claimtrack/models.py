"""Every model, imported in one place so the metadata is complete for Alembic and the app."""

from claimtrack.accounts.models import ApiToken, Role, User
from claimtrack.articles.models import Appearance, AppearanceStatus, Article
from claimtrack.audit.models import AuditEvent, SiteVersion
from claimtrack.claims.models import (
    ChangeKind,
    DatePrecision,
    LinkRelation,
    Source,
    SourceKind,
    Statement,
    StatementChange,
    StatementLink,
    StatementRevision,
    Topic,
    statement_topics,
)
from claimtrack.orm import Base, PublicationStatus
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation, OutcomeUpdate
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.speakers.models import RedirectKind, SlugRedirect, Speaker, SpeakerAlias

__all__ = [
    "ApiToken",
    "Appearance",
    "AppearanceStatus",
    "Article",
    "AuditEvent",
    "Base",
    "ChangeKind",
    "DatePrecision",
    "LinkRelation",
    "Outcome",
    "OutcomeLink",
    "OutcomeRelation",
    "OutcomeUpdate",
    "PublicationStatus",
    "Rating",
    "RatingStatus",
    "RedirectKind",
    "Role",
    "SiteVersion",
    "SlugRedirect",
    "Source",
    "SourceKind",
    "Speaker",
    "SpeakerAlias",
    "Statement",
    "StatementChange",
    "StatementLink",
    "StatementRevision",
    "Topic",
    "User",
    "statement_topics",
]
