"""Schemathesis against the generated OpenAPI document, in process (the Flask app as WSGI), on both engines.

For every operation it sends requests that fit the document and requests that break it, the read API
anonymously and the write API with an editor's bearer token, on made-up ids and on ids of stored
statements, ratings, outcomes and links. No answer may be a server error, and every answer must be
one the document describes: its status code, content type and body schema; a request that breaks the
document must be refused; a protected operation must refuse a missing or wrong token.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import FailureGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.claims.models import LinkRelation, Statement, StatementLink
from claimtrack.claims.services import link_statements
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating
from claimtrack.speakers.models import Speaker

pytestmark = pytest.mark.slow

#: Examples per operation and kind (fitting the document, breaking it): enough to reach every field's edges,
#: few enough that a run on one engine stays well under a minute on two shared cores.
EXAMPLES = 10
#: Far above any answer the API gives here; a slower one is a finding too.
DEADLINE = dt.timedelta(seconds=5)
#: Business rules the document cannot state: a date not in the future, a draft's current version, a verdict
#: on the chosen scale, a speaker only similar to a known one. A request that fits the document may still
#: be refused for them (422 or 409, both documented), so only that one check is left out.
CONFIG = {"checks": {"positive_data_acceptance": {"enabled": False}}}


def _ids(session: Session) -> dict[str, int]:
    """A stored id for each kind of path parameter, so requests reach past the 404."""
    models = {"statement_id": Statement, "rating_id": Rating, "outcome_id": Outcome, "outcome_link_id": OutcomeLink,
              "statement_link_id": StatementLink, "speaker_id": Speaker}
    ids = {name: session.scalars(select(model.id).order_by(model.id)).first() for name, model in models.items()}
    return {name: value for name, value in ids.items() if value is not None}


def _strategy(operation: schemathesis.APIOperation, ids: dict[str, int]) -> st.SearchStrategy[Case]:
    stored = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
    kinds = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(kind) for kind in kinds]
    if stored and len(stored) == len(list(operation.path_parameters)):
        strategies += [operation.as_strategy(kind, path_parameters=stored) for kind in kinds]
    return st.one_of(strategies)


def _run(operation: schemathesis.APIOperation, ids: dict[str, int], failures: list[str], statuses: set[int]) -> None:
    @settings(max_examples=EXAMPLES * 2, derandomize=True, deadline=DEADLINE, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(case=_strategy(operation, ids))
    def check(case: Case) -> None:
        # In process there is no HTTP client to undo compression, which the app applies to what is
        # compressible when asked: ask for none (tests/public/test_caching.py covers compressed answers).
        response = case.call(headers={"Accept-Encoding": "identity"})
        statuses.add(response.status_code)
        try:
            case.validate_response(response)
        except FailureGroup as found:
            failures.append(f"{operation.label}: {found}")

    check()


def test_the_api_answers_generated_requests_as_documented_and_never_with_a_server_error(
    app: Flask, token_for: Callable[[User], dict[str, str]], editor: User, demo: Session
) -> None:
    statements = demo.scalars(select(Statement).order_by(Statement.id).limit(2)).all()
    link_statements(demo, statements[0], statements[1], LinkRelation.SUPPORTS, actor=editor)
    demo.commit()
    token = token_for(editor)["Authorization"].removeprefix("Bearer ")
    config = schemathesis.Config.from_dict({**CONFIG, "auth": {"openapi": {"bearerToken": {"bearer": token}}}})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    ids = _ids(demo)
    failures: list[str] = []
    statuses: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        _run(operation, ids, failures, statuses)
    assert not [status for status in statuses if status >= 500]
    assert failures == [], "\n\n".join(failures[:10])
    assert {200, 201, 400, 401, 404, 409, 422} <= statuses, "the run reached past validation into the services"
