"""Read the CheckThat! 2020 task 2 files in place (they are never copied into the repository).

The TSVs have a header row and mostly unquoted fields, but some fields are
wrapped in double quotes and may contain newlines; a record starts with
``<digits><TAB>``, anything else continues the previous record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "checkthat2020"
_RECORD_START = re.compile(r"^\d+\t")


def _unquote(field: str) -> str:
    if len(field) >= 2 and field[0] == '"' and field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def read_records(path: Path) -> list[list[str]]:
    """Rows of a CheckThat TSV (header skipped), fields unquoted."""
    records: list[str] = []
    with open(path, encoding="utf-8") as fh:
        next(fh, None)
        for line in fh:
            line = line.rstrip("\r\n")
            if _RECORD_START.match(line) or not records:
                records.append(line)
            else:
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
    queries = [(r[0], r[1]) for r in read_records(root / name / "tweets.queries.tsv")]
    qrels: dict[str, set[str]] = {}
    with open(root / name / "tweet-vclaim-pairs.qrels", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                qrels.setdefault(parts[0], set()).add(parts[2])
    return Split([q for q in queries if q[0] in qrels], qrels)
