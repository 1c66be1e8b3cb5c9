from __future__ import annotations

from flask import Blueprint, render_template

from claimtrack.claims.queries import latest_statements
from claimtrack.db import get_session

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str:
    statements = get_session().scalars(latest_statements(limit=50)).unique().all()
    return render_template("public/home.html", statements=statements)
