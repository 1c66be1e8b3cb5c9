"""What one dump needs to know besides the object it dumps: its audience, the claim view, the track records.

The resource schemas are built once and shared by every request and every
thread (see :mod:`.resources`), so nothing that belongs to one request may live
on them. It lives in a :class:`~contextvars.ContextVar` instead, set around one
dump by :func:`dumping`: each thread and each asyncio task sees only its own,
and a nested dump gets its own back when it ends. Passing it inside the dumped
data would mean wrapping every model (and each speaker of a list) in a
stand-in, so the schemas could no longer read the model's attributes directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from claimtrack.publishing.queries import ClaimView
from claimtrack.publishing.trackrecord import TrackRecord


@dataclass(frozen=True)
class DumpContext:
    #: True for an answer to a token holder (the write API): desk-only fields are shown. Without it they
    #: answer null, so a dump that forgets to say who reads it shows nothing the public may not see.
    desk: bool = False
    #: The statement's claim view: the detail's timeline, ratings, appearances, outcomes and related statements.
    view: ClaimView | None = None
    #: The track records of the speakers being dumped, by speaker id.
    records: Mapping[int, TrackRecord] = field(default_factory=dict)


_CURRENT: ContextVar[DumpContext] = ContextVar("claimtrack_api_dump_context")
#: Outside :func:`dumping`: a public dump, with no view and no records.
_OUTSIDE = DumpContext()


def current() -> DumpContext:
    """The context of the dump under way."""
    return _CURRENT.get(_OUTSIDE)


@contextmanager
def dumping(context: DumpContext) -> Iterator[DumpContext]:
    """Dumps within see ``context``; the one before is back afterwards, even after an error."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def dump(
    schema: Schema,
    obj: Any,
    *,
    desk: bool = False,
    view: ClaimView | None = None,
    records: Mapping[int, TrackRecord] | None = None,
) -> Any:
    """``obj`` dumped by the shared ``schema``, in the context these arguments describe (see :class:`DumpContext`)."""
    with dumping(DumpContext(desk=desk, view=view, records=records or {})):
        return schema.dump(obj)
