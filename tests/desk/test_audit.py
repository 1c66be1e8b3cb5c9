"""The audit trail page: admins only, filterable, paginated; every desk write leaves an event."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.services import get_or_create_source
from claimtrack.desk.audit import PAGE_SIZE
from tests.desk.conftest import log_in


def test_only_admins_see_the_audit_trail(fc_client: FlaskClient, editor_client: FlaskClient) -> None:
    assert fc_client.get("/desk/audit/").status_code == 403
    assert editor_client.get("/desk/audit/").status_code == 403


def test_desk_writes_are_audited_and_filterable_by_actor_entity_and_action(
    client: FlaskClient, fc_client: FlaskClient, admin: User, fact_checker: User, session: Session
) -> None:
    fc_client.post("/desk/outcomes/new", data={"description": "Ceasefire announced."})
    admin_client = log_in(client, admin)
    page = admin_client.get(f"/desk/audit/?actor={fact_checker.id}&entity=outcomes&action=create").get_data(as_text=True)
    assert "1 event." in page and "Ceasefire announced." in page and fact_checker.email in page
    assert "0 events." in admin_client.get("/desk/audit/?entity=outcomes&action=publish").get_data(as_text=True)
    assert "0 events." in admin_client.get("/desk/audit/?entity=outcomes&until=2000-01-01").get_data(as_text=True)
    assert "1 event." in admin_client.get("/desk/audit/?entity=outcomes&since=2000-01-01").get_data(as_text=True)
    bad = admin_client.get("/desk/audit/?since=yesterday")
    assert bad.status_code == 422 and "Not a valid date value." in bad.get_data(as_text=True)


def test_the_audit_trail_is_paginated(client: FlaskClient, admin: User, session: Session) -> None:
    for n in range(PAGE_SIZE + 5):
        get_or_create_source(session, f"https://example.org/{n}")
    session.commit()
    total = session.scalar(select(func.count()).select_from(AuditEvent))
    admin_client = log_in(client, admin)
    first = admin_client.get("/desk/audit/?entity=sources").get_data(as_text=True)
    assert f"{PAGE_SIZE + 5} events, page 1 of 2." in first and 'rel="next"' in first
    assert first.count("<tr>") == PAGE_SIZE + 1
    second = admin_client.get("/desk/audit/?entity=sources&page=2").get_data(as_text=True)
    assert second.count("<tr>") == 6 and 'rel="prev"' in second
    assert total is not None and total >= PAGE_SIZE + 5


def test_odd_filter_values_show_an_empty_trail_not_a_server_error(client_for, admin: User) -> None:  # type: ignore[no-untyped-def]
    client = client_for(admin)
    for args in ("entity=%00", "action=x%00y", "actor=%00", "entity=" + "x" * 5000, "since=2025-02-30", "page=-1"):
        response = client.get(f"/desk/audit/?{args}")
        assert response.status_code in (200, 422), args


def test_an_unfiltered_trail_counts_every_event_and_its_pages_are_disjoint_and_in_order(
    client: FlaskClient, admin: User, session: Session
) -> None:
    for n in range(65):
        get_or_create_source(session, f"https://example.org/{n}")
    session.commit()
    newest_first = session.scalars(select(AuditEvent.entity_id).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())).all()
    assert len(newest_first) == 65
    admin_client = log_in(client, admin)
    first = admin_client.get("/desk/audit/").get_data(as_text=True)
    pages = -(-65 // PAGE_SIZE)
    assert f"65 events, page 1 of {pages}." in first
    shown = []
    for page in range(1, pages + 1):
        html = admin_client.get(f"/desk/audit/?page={page}").get_data(as_text=True)
        shown += [int(n) for n in re.findall(r"sources #(\d+)</td>", html)]
    assert shown == newest_first
