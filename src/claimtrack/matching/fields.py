"""Normalisation of statement metadata: dates as day numbers, speakers as comparable keys."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from .text import fold

NO_DATE = int(np.iinfo(np.int32).min)  # stored for undated statements; sorts before every date

#: What a statement's date may be given as (a datetime is a date too); None for undated.
DateLike = _dt.date | str | None


def day_number(value: DateLike) -> int:
    """Days since 1970-01-01 for a date, datetime or ISO ``YYYY-MM-DD`` string; ``NO_DATE`` for None."""
    if value is None:
        return NO_DATE
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    if isinstance(value, _dt.datetime):
        value = value.date()
    if not isinstance(value, _dt.date):
        raise TypeError(f"date must be a date, datetime or ISO string, not {type(value).__name__}")
    return (value - _dt.date(1970, 1, 1)).days


def speaker_key(name: str | None) -> str | None:
    """Comparable speaker key: folded, punctuation-free, single-spaced (``"Donald J. Trump"`` -> ``"donald j trump"``)."""
    if name is not None and not isinstance(name, str):
        raise TypeError(f"speaker must be str or None, not {type(name).__name__}")
    if not name:
        return None
    key = " ".join("".join(ch if ch.isalnum() else " " for ch in fold(name)).split())
    return key or None
