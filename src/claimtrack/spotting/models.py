from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from claimtrack.orm import Base, UTCDateTime, str_enum, utcnow


class ChangeKind(enum.Enum):
    UPSERT = "upsert"
    DELETE = "delete"
    #: Too many statements changed at once (a bulk import): rebuild the index.
    REBUILD = "rebuild"


class StatementChange(Base):
    """An append-only log of changes to statements, read by every process's match index.

    Each worker remembers the last ``seq`` it applied and, before matching, reads
    only the newer rows, so a statement saved through the desk, the API or an
    import is matchable at once in every process, and a deleted one never matches.
    """

    __tablename__ = "statement_changes"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    #: None for a REBUILD entry.
    statement_id: Mapped[int | None]
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "change_kind"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
