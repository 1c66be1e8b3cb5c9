"""The match index of one process, built from the statements table and kept current.

Start-up loads the last snapshot saved under the instance folder (memory-mapped,
so it is fast and shared between workers) and applies the change log entries
written since. Before every search the index reads the log again: one indexed
query when nothing changed, so a statement saved by any process is matchable at
once and a deleted one never matches.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.claims.changes import changes_since, latest_seq
from claimtrack.claims.models import ChangeKind, Statement, StatementChange
from claimtrack.config import private_dir
from claimtrack.matching import Match, MatchIndex
from claimtrack.matching import load as load_index
from claimtrack.matching import save as save_index
from claimtrack.orm import EVERY_ROW, PublicationStatus
from claimtrack.speakers.models import Speaker

SNAPSHOT_META = "claimtrack-snapshot.json"
FETCH_CHUNK = 10_000

T = TypeVar("T")
#: ``progress(done, total)``: statements indexed so far during a rebuild, out of how many.
Progress = Callable[[int, int], None]


def _reporting(rows: Iterator[T], total: int, progress: Progress) -> Iterator[T]:
    done = 0
    for done, row in enumerate(rows, start=1):
        if done % FETCH_CHUNK == 0:
            progress(done, total)
        yield row
    progress(done, max(total, done))


def _statement_rows(session: Session, ids: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Index rows for statements (all of them, or those ``ids``), streamed."""
    query = (
        select(Statement.id, Statement.text, Statement.claim, Statement.fact_check_title, Speaker.name, Statement.said_on)
        .outerjoin(Speaker, Statement.speaker_id == Speaker.id)
        # The desk matches drafts too; a retracted statement never matches (an upsert that finds it gone deletes it).
        .where(Statement.status != PublicationStatus.RETRACTED)
        .order_by(Statement.id)
    )
    chunks = [ids[i : i + FETCH_CHUNK] for i in range(0, len(ids), FETCH_CHUNK)] if ids is not None else [None]
    for chunk in chunks:
        q = query if chunk is None else query.where(Statement.id.in_(chunk))
        # Every row whatever session asks: the index serves the desk, which matches drafts too.
        rows = session.execute(q.execution_options(yield_per=FETCH_CHUNK, **{EVERY_ROW: True}))
        for sid, text, claim, title, speaker, said_on in rows:
            # The normalised claim is matched too: it is how fact-checkers phrase the check.
            words = f"{text}\n{claim}" if claim and claim != text else text
            yield {"doc_id": sid, "text": words, "title": title, "speaker": speaker, "said_on": said_on}


def _change_stamp(session: Session, seq: int) -> str:
    """Identifies change ``seq`` of this database, so a snapshot of another database
    (or of this one before it was recreated) is never taken for current."""
    if seq == 0:
        return "empty" if latest_seq(session) == 0 else "none"
    at = session.scalar(select(StatementChange.at).where(StatementChange.seq == seq))
    return at.isoformat() if at else "missing"


class LiveIndex:
    """Thread-safe holder of a :class:`MatchIndex` that follows the change log."""

    def __init__(self, snapshot_dir: Path | None = None) -> None:
        self.snapshot_dir = snapshot_dir
        self._lock = threading.Lock()
        self._index: MatchIndex[int] | None = None
        self._seq = 0
        self._stamp = ""

    @property
    def seq(self) -> int:
        return self._seq

    def search(self, session: Session, text: str, **options: Any) -> list[Match[int]]:
        """Search after catching up with the change log; options go to ``MatchIndex.search``."""
        index = self.refresh(session)
        return index.search(text, **options)

    def refresh(self, session: Session, progress: Progress | None = None) -> MatchIndex[int]:
        """Load, rebuild or catch up as needed; ``progress(done, total)`` hears how a rebuild goes."""
        with self._lock:
            if self._index is None:
                self._start(session, progress)
            else:
                self._catch_up(session, progress)
            assert self._index is not None
            return self._index

    def __len__(self) -> int:
        return len(self._index) if self._index is not None else 0

    # -- start-up -------------------------------------------------------------

    def _start(self, session: Session, progress: Progress | None = None) -> None:
        if not self._adopt_snapshot(session, newer_than=-1):
            self._rebuild(session, progress)

    def _adopt_snapshot(self, session: Session, newer_than: int) -> bool:
        """Use the saved snapshot if it belongs to this database and is past ``newer_than``."""
        snapshot = self._load_snapshot()
        if snapshot is None:
            return False
        index, stamp, seq = snapshot
        if seq <= newer_than or stamp != _change_stamp(session, seq):
            return False
        self._index, self._seq, self._stamp = index, seq, stamp
        self._catch_up(session)
        return True

    def _rebuild(self, session: Session, progress: Progress | None = None) -> None:
        # The sequence is read first: changes made while the rows stream in are
        # applied again afterwards, and applying an upsert twice is harmless.
        seq = latest_seq(session)
        index: MatchIndex[int] = MatchIndex()  # keyed by statement id
        rows: Iterator[tuple[Any, ...]] = (
            (r["doc_id"], r["text"], r["title"], r["speaker"], r["said_on"]) for r in _statement_rows(session)
        )
        if progress is not None:
            rows = _reporting(rows, session.scalar(select(func.count()).select_from(Statement)) or 0, progress)
        index.add_many(rows)
        self._index, self._seq = index, seq
        self._stamp = _change_stamp(session, seq)
        self._save_snapshot()
        self._catch_up(session)

    def _catch_up(self, session: Session, progress: Progress | None = None) -> None:
        changes = changes_since(session, self._seq)
        if not changes:
            return
        rebuilds = [c.seq for c in changes if c.kind is ChangeKind.REBUILD]
        if rebuilds:
            # Whoever wrote the bulk change (claimtrack import) usually saved a
            # fresh snapshot too: loading it takes seconds, rebuilding minutes.
            if not self._adopt_snapshot(session, newer_than=rebuilds[-1] - 1):
                self._rebuild(session, progress)
            return
        latest: dict[int, ChangeKind] = {}
        for change in changes:
            if change.statement_id is not None:
                latest[change.statement_id] = change.kind
        upsert_ids = [sid for sid, kind in latest.items() if kind is ChangeKind.UPSERT]
        rows = list(_statement_rows(session, upsert_ids))
        found = {r["doc_id"] for r in rows}
        # An upsert whose statement is gone was deleted later in the same window.
        deletes = [sid for sid, kind in latest.items() if kind is ChangeKind.DELETE or sid not in found]
        assert self._index is not None
        self._index.apply_changes(upserts=rows, deletes=deletes)
        self._seq = changes[-1].seq

    # -- snapshots --------------------------------------------------------------

    def _load_snapshot(self) -> tuple[MatchIndex[int], str, int] | None:
        """The saved index, the stamp of the change it was taken at, and that change's seq."""
        if self.snapshot_dir is None:
            return None
        meta_path = self.snapshot_dir / SNAPSHOT_META
        try:
            meta = json.loads(meta_path.read_text())
            return load_index(self.snapshot_dir), str(meta["stamp"]), int(meta["seq"])
        except (OSError, ValueError, KeyError):
            return None  # no snapshot, or a damaged one: rebuilding is always correct

    def _save_snapshot(self) -> None:
        if self.snapshot_dir is None or self._index is None:
            return
        parent = private_dir(self.snapshot_dir.parent)  # the index holds drafts' words: its owner's alone
        # Write beside, then swap: another worker never loads a half-written snapshot.
        tmp = Path(tempfile.mkdtemp(prefix=".match-index-", dir=parent))
        try:
            save_index(self._index, tmp)
            (tmp / SNAPSHOT_META).write_text(json.dumps({"seq": self._seq, "stamp": self._stamp}))
            old = parent / f".old-{os.getpid()}-{threading.get_ident()}"
            if self.snapshot_dir.exists():
                self.snapshot_dir.rename(old)
            tmp.rename(self.snapshot_dir)
            shutil.rmtree(old, ignore_errors=True)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
