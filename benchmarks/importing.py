"""Benchmark: `claimtrack import` of synthetic statements into SQLite, beside a raw sqlite3 floor.

    python -m benchmarks.importing [--data PATH] [--rows 100000,1000000]

The statements are built from the real CheckThat! claims (``benchmarks.synthetic``),
each with a fact-check title, one of 500 speakers and a date, written to a
temporary JSON Lines file. claimtrack is measured end to end as a user runs it
(a subprocess: parse, validate, resolve speakers, upsert, change log, commit);
the peer is the plain sqlite3 ``executemany`` of the same rows into the same
migrated schema, row by row through its indexes and full-text trigger, as a
script without claimtrack's deferred indexing would write them. Importing the
same file again measures the common nightly re-import of a feed: every line
unchanged, then the match index build that servers adopt.
The table is printed and written to ``benchmarks/IMPORT_RESULTS.md`` and to a
marked section of ``benchmarks/RESULTS.md``, beside the matching results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .data import DEFAULT_DATA, load_claims
from .sections import write_section
from .synthetic import synthetic_statements

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 120
#: The marked section of RESULTS.md that holds this benchmark's table.
IMPORT_SECTION = "import"


def write_jsonl(path: Path, data: Path, rows: int) -> None:
    claims = load_claims(data)
    texts = synthetic_statements([c[1] for c in claims], rows, seed=11)
    titles = [c[2] for c in claims]
    with open(path, "w", encoding="utf-8") as out:
        for i, text in enumerate(texts):
            record = {
                "id": f"bench-{i}",
                "text": text,
                "title": titles[i % len(titles)],
                "speaker": f"Speaker {i % 500}",
                "said_on": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
            out.write(json.dumps(record) + "\n")


_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run_timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``command``, measured through a fresh parent of its own.

    RUSAGE_CHILDREN keeps the largest child ever waited for, so each run gets its
    own measuring process; otherwise a later, smaller run would report an earlier peak.
    """
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], env=env, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.strip().splitlines()[-1]) / 1024


RAW_PEER = r"""
import json, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db)
conn.execute("PRAGMA journal_mode = WAL"); conn.execute("PRAGMA synchronous = NORMAL")
speakers = {}
rows = []
sql = ("INSERT INTO statements (external_id, text, fact_check_title, speaker_id, said_on, said_on_precision, language,"
       " created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 'day', 'en', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)")
with open(path, encoding="utf-8") as fh:
    for line in fh:
        r = json.loads(line)
        sid = speakers.get(r["speaker"])
        if sid is None:
            sid = conn.execute("INSERT INTO speakers (name, slug, created_at) VALUES (?, ?, '2026-01-01 00:00:00')",
                               (r["speaker"], r["speaker"].lower().replace(" ", "-"))).lastrowid
            speakers[r["speaker"]] = sid
        rows.append((r["id"], r["text"], r["title"], sid, r["said_on"]))
        if len(rows) == 5000:
            conn.executemany(sql, rows); rows = []
if rows:
    conn.executemany(sql, rows)
conn.commit()
"""


def migrated_database(folder: Path, name: str) -> Path:
    path = folder / name
    env = dict(os.environ, CLAIMTRACK_DATABASE_URL=f"sqlite:///{path}")
    subprocess.run([sys.executable, "-c", "from claimtrack.cli import main; main()", "db", "upgrade"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return path


def measure(data: Path, rows: int) -> tuple[float, list[tuple[str, float, float]]]:
    """(MB of JSON Lines, [(run, seconds, peak MiB)]) for ``rows`` statements, each run in fresh databases."""
    with tempfile.TemporaryDirectory(prefix="claimtrack-import-bench-") as tmp:
        folder = Path(tmp)
        jsonl = folder / "statements.jsonl"
        write_jsonl(jsonl, data, rows)
        size_mb = jsonl.stat().st_size / 1024 / 1024

        ours = migrated_database(folder, "claimtrack.db")
        env = dict(os.environ, CLAIMTRACK_DATABASE_URL=f"sqlite:///{ours}",
                   CLAIMTRACK_MATCH_INDEX_DIR=json.dumps(str(folder / "match-index")))
        cli = [sys.executable, "-c", "from claimtrack.cli import main; main()"]
        # The import alone, then the match index it builds for the servers, timed apart.
        t_import, rss_import = run_timed([*cli, "import", "--no-index", str(jsonl)], env)
        peer_db = migrated_database(folder, "peer.db")
        t_peer, rss_peer = run_timed([sys.executable, "-c", RAW_PEER, str(peer_db), str(jsonl)], env)
        t_reimport, rss_reimport = run_timed([*cli, "import", str(jsonl)], env)
    return size_mb, [
        ("claimtrack import (new ids)", t_import, rss_import),
        ("claimtrack import of the same file again (all unchanged) + match index build", t_reimport, rss_reimport),
        ("peer: sqlite3 executemany, row by row through the same indexes (no validation)", t_peer, rss_peer),
    ]


def render(results: dict[int, tuple[float, list[tuple[str, float, float]]]], command: str) -> str:
    lines = [
        "## Import into SQLite",
        "",
        "Synthetic statements derived from the real claims, each with a fact-check title, one of 500 speakers "
        f"and a date; machine {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; command: `{command}`. "
        "The machine is shared and noisy: compare ratios within one run.",
        "",
        "| statements | run | seconds | statements/s | peak RSS MiB |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    verdicts = []
    for rows, (size_mb, runs) in results.items():
        for name, seconds, rss in runs:
            lines.append(f"| {rows:,} ({size_mb:.0f} MB) | {name} | {seconds:.1f} | {rows / seconds:,.0f} | {rss:.0f} |")
        t_import, t_peer = runs[0][1], runs[2][1]
        verdict = f"- {rows:,}: claimtrack import takes {t_import / t_peer:.2f}x the time of the plain executemany"
        if rows == 1_000_000:
            verdict += f"; target <= {TARGET_SECONDS} s: {'met' if t_import <= TARGET_SECONDS else 'NOT met'} ({t_import:.1f} s)"
        verdicts.append(verdict + ".")
    return "\n".join([*lines, "", *verdicts]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated statement counts")
    args = parser.parse_args()
    if not (args.data / "verified_claims.docs.tsv").exists():
        sys.exit(f"CheckThat! data not found at {args.data} (use --data)")
    sizes = [int(x) for x in args.rows.split(",") if x.strip()]
    results = {}
    for rows in sizes:
        print(f"import {rows:,} ...", file=sys.stderr, flush=True)
        results[rows] = measure(args.data, rows)
    table = render(results, f"python -m benchmarks.importing --rows {args.rows}")
    print(table)
    (HERE / "IMPORT_RESULTS.md").write_text("# Import benchmark\n\n" + table.split("\n", 2)[2], encoding="utf-8")
    write_section(HERE / "RESULTS.md", IMPORT_SECTION, table)


if __name__ == "__main__":
    main()
