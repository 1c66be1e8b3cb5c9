"""Fuzzing the desk's forms: random bodies posted to every write route, on both engines."""

from __future__ import annotations

import os
import random

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role
from tests.desk.conftest import MakeUser, log_in
from tests.desk.test_access import _write_calls

pytestmark = pytest.mark.slow


def test_fuzzed_desk_form_posts_never_get_a_server_error(app: Flask, make_user: MakeUser, demo: Session) -> None:
    """Seeded random form bodies posted to every desk write route (ids of real demo rows) as an admin."""
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "5")))  # FUZZ_SEED=n explores other bodies
    client = log_in(app.test_client(), make_user(Role.ADMIN))
    fields = ["text", "speaker", "said_on", "said_on_precision", "source_url", "source_publisher", "source_kind", "topics",
              "new_speaker", "version", "reviewed", "appearance_of", "contradicts", "verdict", "rationale", "evidence",
              "correction_note", "headline", "description", "occurred_on", "evidence_url", "outcome_id", "relation", "note",
              "other_id", "appeared_on", "email", "display_name", "role", "password", "repeat", "current", "active",
              "url", "title", "since", "claim", "context", "expected_by"]
    values = ["", " ", "x" * 30_000, "2025-12-01", "2025-02-30", "0", "-1", "1", "99999999999999999999", "y",
              "truth:false", "outcome:pending", "nonsense:x", "https://example.org/a", "http://127.0.0.1:1/x",
              "javascript:alert(1)", "nul\x00byte", "Keith Kellogg", "admin", "editor", "contradicts", "day", "speech",
              "<script>alert(1)</script>", "a long enough password"]
    calls = [(rule, method, url) for rule, method, url in _write_calls(app) if not rule.rule.startswith("/api/")]
    for _ in range(300):
        rule, method, url = rng.choice(calls)
        if rule.endpoint == "accounts.logout":
            continue
        data = {name: rng.choice(values) for name in rng.sample(fields, rng.randint(0, 10))}
        response = client.open(url, method=method, data=data)
        assert response.status_code < 500, (method, url, data, response.get_data(as_text=True)[:300])
