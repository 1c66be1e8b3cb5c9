"""The API's schemas are built once and shared by every request and thread; what one dump needs stays its own."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.api.schemas.context import DumpContext, dump, dumping
from claimtrack.api.schemas.resources import APPEARANCE, SPEAKER_LIST
from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.claims.models import Statement
from claimtrack.publishing.trackrecord import TrackRecord, track_records
from claimtrack.speakers.models import Speaker
from tests.desk.conftest import sqlite_only


class _WaitingRecords(Mapping[int, TrackRecord]):
    """Track records whose every look-up waits until the other thread's dump makes one too: two dumps of a
    speaker list are then under way at once, each past its first speaker when either reads its second."""

    def __init__(self, records: Mapping[int, TrackRecord], both_looking: threading.Barrier) -> None:
        self.records, self.both_looking = records, both_looking

    def __getitem__(self, speaker_id: int) -> TrackRecord:
        self.both_looking.wait()
        return self.records[speaker_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


@sqlite_only
def test_two_speaker_lists_dumped_at_once_through_the_shared_schema_each_get_their_own_track_records(
    app: Flask, demo: Session
) -> None:
    speakers = list(demo.scalars(select(Speaker).where(Speaker.slug.in_(["keith-kellogg", "dmitry-peskov"]))))
    real = track_records(demo, [s.id for s in speakers])
    # Two requests' records for the same speakers that differ (as before and after a rating is published would).
    swapped = dict(zip(real, reversed(real.values()), strict=True))
    page = {"items": speakers, "total": 2, "next": None}
    with app.test_request_context():
        # One at a time (which also loads what the threads will read, so they send no SQL).
        alone = [dump(SPEAKER_LIST, page, records=records) for records in (real, swapped)]
    assert alone[0] != alone[1]

    both_looking = threading.Barrier(2, timeout=10)

    def dumped_in_a_thread(records: Mapping[int, TrackRecord]) -> Any:
        # Each thread starts empty, as each of waitress's does: it needs its own request context.
        with app.test_request_context():
            return dump(SPEAKER_LIST, page, records=_WaitingRecords(records, both_looking))

    with ThreadPoolExecutor(2) as pool:
        at_once = list(pool.map(dumped_in_a_thread, (real, swapped)))
    assert at_once == alone


@sqlite_only
def test_a_public_dump_of_an_appearance_inside_a_desk_dump_through_the_same_schema_each_keep_their_audience(
    app: Flask, demo: Session
) -> None:
    statement = demo.scalars(select(Statement).order_by(Statement.id)).first()
    assert statement is not None
    appearance = Appearance(
        statement=statement, appeared_on=dt.date(2025, 12, 9), status=AppearanceStatus.CONFIRMED, note="Desk only."
    )
    demo.add(appearance)
    demo.flush()
    with app.test_request_context():
        with dumping(DumpContext(desk=True)):
            before = APPEARANCE.dump(appearance)
            public = dump(APPEARANCE, appearance)
            after = APPEARANCE.dump(appearance)
        outside = APPEARANCE.dump(appearance)

    assert before == after and after["note"] == "Desk only."
    assert public == {**after, "note": None}
    # Outside any dump's context, what only the desk may see stays hidden.
    assert outside == public


@pytest.fixture
def schemas_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the schemas built from here on (counted, then built as always)."""
    built: list[str] = []
    build = Schema.__init__

    def counted(self: Schema, *args: Any, **kwargs: Any) -> None:
        built.append(type(self).__name__)
        build(self, *args, **kwargs)

    monkeypatch.setattr(Schema, "__init__", counted)
    yield built


@sqlite_only
def test_api_requests_build_no_schema(
    client: FlaskClient,
    demo: Session,
    token_for: Callable[[User], dict[str, str]],
    editor: User,
    schemas_built: list[str],
) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    speaker_id = demo.scalars(select(Speaker.id).order_by(Speaker.id)).first()
    headers = token_for(editor)
    appearance = {"appeared_on": "2025-12-09", "source_url": "https://tv.example/clip", "note": "Desk only."}

    def requests() -> list[int]:
        return [
            client.post(f"/api/v1/statements/{statement_id}/appearances", json=appearance, headers=headers).status_code,
            client.get(f"/api/v1/statements/{statement_id}").status_code,
            client.get("/api/v1/statements?q=deal").status_code,
            client.get("/api/v1/speakers").status_code,
            client.get(f"/api/v1/speakers/{speaker_id}").status_code,
            client.get("/api/v1/scales").status_code,
        ]

    assert requests() == [201, 200, 200, 200, 200, 200]
    schemas_built.clear()  # a shared schema builds each nested schema once, when it first dumps something with it

    assert requests() == [201, 200, 200, 200, 200, 200]
    assert schemas_built == []
