"""Who may publish, fix a draft or manage the team: one rule each, asked by services, views and templates."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role, User
from claimtrack.accounts.permissions import may_edit_draft, may_manage_team, may_publish
from claimtrack.claims.services import log_statement
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.services import rate_statement
from tests.desk.conftest import MakeUser, sqlite_only


def _user(role: Role, user_id: int) -> User:
    return User(id=user_id, email=f"{user_id}@example.org", display_name=str(user_id), password_hash="", role=role)


def test_the_rules_need_no_app_or_database() -> None:
    checker, other_checker, editor, admin = (_user(Role.FACT_CHECKER, 1), _user(Role.FACT_CHECKER, 2),
                                             _user(Role.EDITOR, 3), _user(Role.ADMIN, 4))
    draft = Rating(rater_id=checker.id, status=RatingStatus.DRAFT)
    published = Rating(rater_id=checker.id, status=RatingStatus.PUBLISHED)
    assert [may_publish(u) for u in (checker, editor, admin, None)] == [False, True, True, False]
    assert [may_manage_team(u) for u in (checker, editor, admin, None)] == [False, False, True, False]
    everyone = (checker, other_checker, editor, admin, None)
    assert [may_edit_draft(u, draft) for u in everyone] == [True, False, True, True, False]
    assert not any(may_edit_draft(u, published) for u in (checker, editor, admin))


@sqlite_only
def test_the_desk_shows_buttons_and_links_by_the_same_rules(
    client_for: Callable[[User], FlaskClient], make_user: MakeUser, session: Session
) -> None:
    clients = {role: client_for(make_user(role)) for role in Role}
    rater = make_user(Role.FACT_CHECKER)
    statement = log_statement(session, "Only two major issues remain to be resolved.", speaker=None)
    rate_statement(session, statement, scale="truth", verdict="half_true", rationale="Partly.", actor=rater)
    session.commit()
    pages = {role: c.get(f"/desk/statements/{statement.id}").get_data(as_text=True) for role, c in clients.items()}
    assert {role: "Publish this rating" in page for role, page in pages.items()} == {
        Role.ADMIN: True, Role.EDITOR: True, Role.FACT_CHECKER: False}
    assert {role: "Edit draft" in page for role, page in pages.items()} == {
        Role.ADMIN: True, Role.EDITOR: True, Role.FACT_CHECKER: False}
    own = client_for(rater)
    assert "Edit draft" in own.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert {role: "Audit trail" in c.get("/desk/").get_data(as_text=True) for role, c in clients.items()} == {
        Role.ADMIN: True, Role.EDITOR: False, Role.FACT_CHECKER: False}
    assert {role: "Publish<span class=\"visually-hidden\"> statement #" in page for role, page in pages.items()} == {
        Role.ADMIN: True, Role.EDITOR: True, Role.FACT_CHECKER: False}
    assert {role: "Waiting for an editor's review" in page for role, page in pages.items()} == {
        Role.ADMIN: False, Role.EDITOR: False, Role.FACT_CHECKER: True}
