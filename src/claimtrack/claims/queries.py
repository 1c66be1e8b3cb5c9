"""Read-side queries over statements, shared by pages, the API and the CLI."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from claimtrack.claims.models import Statement


def latest_statements(limit: int = 20) -> Select[tuple[Statement]]:
    """Statements, most recently said first, with speaker and current rating loaded."""
    return (
        select(Statement)
        .options(joinedload(Statement.speaker), joinedload(Statement.current_rating))
        .order_by(Statement.said_on.desc().nulls_last(), Statement.id.desc())
        .limit(limit)
    )
