"""Read the CheckThat! claim-retrieval files in place (they are never copied into the repository).

Two releases share one layout (``verified_claims.docs.tsv``, then per split
``tweets.queries.tsv`` and ``tweet-vclaim-pairs.qrels``) but differ in detail:

- 2020 (task 2) has a header row whose first column name is empty, numeric
  ids, and some fields wrapped in double quotes that may contain newlines.
- 2022 (task 2A) has no header, ids such as ``tweet-sno-12``, a few quoted
  fields, and claims that merely begin and end with a quotation.

So a record starts with ``<id><TAB>`` (an id is letters, digits, ``_`` and
``-``); a line that does not continues the previous record, and lines before
the first record (the 2020 header) are skipped.  Tweet ids are only unique
within a split, so a split is always read and scored on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DEFAULT_DATA = DATA / "checkthat2020"
DEFAULT_DATA_2022 = DATA / "checkthat2022"
# A quoted field's closing quote is followed by a TAB or the line end, never by an id character.
_RECORD_START = re.compile(r"^[\w-]+\t")


@dataclass(frozen=True)
class Collection:
    """One benchmark release: where it is and which of its splits are reported."""

    title: str
    root: Path
    dev_splits: tuple[str, ...]
    #: How the fusion weights relate to this collection, said under each of its tables.
    note: str


def checkthat2020(root: Path = DEFAULT_DATA) -> Collection:
    return Collection("CheckThat! 2020 task 2", root, ("dev",),
                      "The claimtrack fusion weights and score calibration were fitted on this collection's train "
                      "split.")


def checkthat2022(root: Path = DEFAULT_DATA_2022) -> Collection:
    return Collection("CheckThat! 2022 task 2A", root, ("dev", "dev-test"),
                      "Another year, another claim collection: the claimtrack fusion weights and score calibration "
                      "are the ones fitted on CheckThat! 2020 train, unchanged, so this table shows how they "
                      "generalise (nothing is fitted or tuned on CheckThat! 2022).")


def _unquote(field: str) -> str:
    """The text of a field wrapped in quotes with inner quotes doubled; any other field as it is.

    A field like ``"The Simpsons" predicted ... "Black Panther."`` starts and
    ends with a quote but holds single ones inside: it is not a quoted field.
    """
    if len(field) >= 2 and field[0] == '"' and field[-1] == '"' and '"' not in field[1:-1].replace('""', ""):
        return field[1:-1].replace('""', '"')
    return field


def read_records(path: Path) -> list[list[str]]:
    """Rows of a CheckThat TSV (any header skipped), fields unquoted."""
    records: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if _RECORD_START.match(line):
                records.append(line)
            elif records:
                records[-1] += "\n" + line
    return [[_unquote(f) for f in rec.split("\t")] for rec in records]


@dataclass
class Split:
    queries: list[tuple[str, str]]  # (tweet id, tweet text)
    qrels: dict[str, set[str]]  # tweet id -> relevant claim ids


def load_claims(root: Path) -> list[tuple[str, str, str]]:
    """(claim id, claim, fact-check title) for every verified claim."""
    return [(r[0], r[1], r[2] if len(r) > 2 else "") for r in read_records(root / "verified_claims.docs.tsv")]


def load_split(root: Path, name: str) -> Split:
    """The tweets of split ``name`` that have a gold claim, and their gold claims.

    Raises ``ValueError`` when a tweet id occurs twice in the split: results are keyed by tweet id.
    """
    queries = [(r[0], r[1]) for r in read_records(root / name / "tweets.queries.tsv")]
    seen: set[str] = set()
    for qid, _ in queries:
        if qid in seen:
            raise ValueError(f"{root / name}: tweet id {qid} occurs twice")
        seen.add(qid)
    qrels: dict[str, set[str]] = {}
    with open(root / name / "tweet-vclaim-pairs.qrels", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                qrels.setdefault(parts[0], set()).add(parts[2])
    return Split([q for q in queries if q[0] in qrels], qrels)
