"""Desk forms and query arguments that carry an id: one too large for the database is "no such row", never a 500."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack.claims.services import log_statement
from claimtrack.orm import MAX_ID


def test_ids_beyond_the_column_are_unknown_ids_on_the_desk(fc_client: FlaskClient, session: Session) -> None:
    statement = log_statement(session, "Ferries run every hour.", speaker=None)
    session.commit()
    too_large = MAX_ID + 1
    assert fc_client.get(f"/desk/outcomes/new?statement={too_large}").status_code == 404
    linked = fc_client.post(f"/desk/statements/{statement.id}/links", data={"relation": "supports", "other_id": too_large})
    assert linked.status_code == 422 and "There is no statement with that number." in linked.get_data(as_text=True)
