"""Errors the API turns into the domain's errors, in one place, for the central mapping to answer.

Registered on the API blueprint, so the HTML site keeps its own error pages.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from claimtrack.api.bodies import BadArguments
from claimtrack.claims.editing import UnknownSpeaker
from claimtrack.claims.models import Statement
from claimtrack.db import get_session
from claimtrack.error_pages import error_body
from claimtrack.errors import Conflict, DomainError, Invalid
from claimtrack.search import SearchError

#: What a broken uniqueness constraint means, per endpoint.
_ALREADY_STORED = {
    "api.link_statement_outcome": "That outcome is already linked to this statement.",
}


def _answer(error: DomainError) -> ResponseReturnValue:
    """``error`` answered by the app's central mapping of domain errors (:mod:`claimtrack.error_pages`)."""
    return current_app.handle_user_exception(error)


def stale_statement(_exc: StaleDataError) -> ResponseReturnValue:
    """Someone saved the statement since the client read it, caught by the service or at flush or commit."""
    session = get_session()
    session.rollback()
    statement_id = (request.view_args or {}).get("statement_id")
    current = session.get(Statement, statement_id) if statement_id is not None else None
    if current is None:
        return _answer(Conflict("Someone else changed this since you read it. Read it again and re-apply your change."))
    return _answer(Conflict(
        f"Statement {statement_id} was changed by someone else: it is at version {current.version} now. "
        "Read it again and re-apply your change."
    ))


def already_stored(_exc: IntegrityError) -> ResponseReturnValue:
    """A uniqueness constraint refused the write (two clients racing to add the same link)."""
    get_session().rollback()
    message = _ALREADY_STORED.get(request.endpoint or "", "That is already stored.")
    return _answer(Conflict(message))


def bad_arguments(exc: BadArguments) -> ResponseReturnValue:
    # Unlike a body's 422, the read API's 400 names the arguments in its message; clients match on it.
    return jsonify(error_body(exc.status, exc.message, exc.fields)), exc.status


def bad_search(exc: SearchError) -> ResponseReturnValue:
    """The public search's arguments, parsed by the search itself, name each bad one."""
    return bad_arguments(BadArguments(exc.fields))


def unknown_speaker(exc: UnknownSpeaker) -> ResponseReturnValue:
    """A client cannot pick from suggestions as the desk does; it says so by creating the speaker."""
    return _answer(Invalid(str(exc) + ' Send "new_speaker": true to create it.', field="speaker"))


def init_api(bp: Blueprint) -> None:
    """Register the handlers on the API blueprint."""
    bp.register_error_handler(StaleDataError, stale_statement)
    bp.register_error_handler(IntegrityError, already_stored)
    bp.register_error_handler(BadArguments, bad_arguments)
    bp.register_error_handler(SearchError, bad_search)
    bp.register_error_handler(UnknownSpeaker, unknown_speaker)
