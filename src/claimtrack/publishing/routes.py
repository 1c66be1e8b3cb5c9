from __future__ import annotations

from flask import Blueprint, abort, render_template

from claimtrack.claims.models import Statement
from claimtrack.claims.queries import latest_statements
from claimtrack.db import get_session

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    statements = get_session().scalars(latest_statements(limit=50)).unique().all()
    return render_template("public/home.html", statements=statements)


@bp.get("/claims/<int:statement_id>")
def claim(statement_id: int) -> str:
    """A claim's public page (minimal: statement, speaker, published verdict).

    :raise 404: when there is no such statement.
    """
    statement = get_session().get(Statement, statement_id)
    if statement is None:
        abort(404, f"There is no claim number {statement_id}.")
    return render_template("public/claim.html", statement=statement)
