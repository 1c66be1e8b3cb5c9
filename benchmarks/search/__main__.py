"""``python -m benchmarks.search [--rows N] [--engine sqlite|postgresql]``: fill, measure, report.

Search latencies call :func:`claimtrack.search.search_statements` directly;
page latencies go through the Flask app (HTML search, JSON API, claim and
speaker pages), so template and query costs both count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from benchmarks.search.synthetic import fill
from claimtrack.claims.models import Statement
from claimtrack.db import make_engine, make_session_factory, upgrade
from claimtrack.orm import PUBLIC_VIEW
from claimtrack.publishing import visibility
from claimtrack.search import SearchQuery, parse_search_args, search_statements

RESULTS = Path(__file__).resolve().parents[1] / "SEARCH_RESULTS.md"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/claimtrack_bench"
TODAY = dt.date(2026, 1, 1)
#: Totals are counted this far, by claimtrack and its peer alike.
TOTAL_CAP = 10_000

SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("everything, newest first", {}),
    ("everything, oldest first", {"sort": "oldest"}),
    ("deepest allowed page (offset 9,980)", {"page": "500"}),
    ("words: common (\"deal\")", {"q": "deal"}),
    ("words: common, by relevance", {"q": "deal", "sort": "relevance"}),
    ("words: rare (\"sanctions\")", {"q": "sanctions"}),
    ("words: two common (\"deal border\"), relevance", {"q": "deal border", "sort": "relevance"}),
    ("words: two rarer (\"treaty budget\"), relevance", {"q": "treaty budget", "sort": "relevance"}),
    ("speaker: fuzzy name with a typo", {"speaker": "@TYPO@"}),
    ("speaker: alias", {"speaker": "@ALIAS@"}),
    ("speaker alias + verdict", {"speaker": "@ALIAS@", "verdict": "false"}),
    ("verdict: false", {"verdict": "false"}),
    ("scale: outcome", {"scale": "outcome"}),
    ("topic", {"topic": "topic-7"}),
    ("date range: one month", {"from": "2020-03-01", "to": "2020-03-31"}),
    ("publisher", {"publisher": "Publisher 17"}),
    ("outcome: overdue", {"outcome": "overdue"}),
    ("words + verdict + year", {"q": "deal", "verdict": "half_true", "from": "2019-01-01", "to": "2019-12-31"}),
]


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median and p95 in milliseconds over ``repeat`` runs, after one warm-up; and the last result."""
    result = call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


def prepare(engine_name: str, rows: int, url: str | None, reuse: bool) -> Engine:
    if engine_name == "sqlite":
        url = url or f"sqlite:///{Path(tempfile.gettempdir()) / f'claimtrack-search-{rows}.db'}"
        path = Path(make_url(url).database or "")
        if not reuse and path.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        url = url or os.environ.get("CLAIMTRACK_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        if not reuse:
            parsed = make_url(url)
            admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
            admin.dispose()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        upgrade(engine)
        existing = session.scalar(select(func.count()).select_from(Statement))
    if existing == 0:
        print(f"filling {rows:,} statements ({engine_name}) ...", flush=True)
        start = time.perf_counter()
        fill(engine, rows, progress=lambda m: print(m, flush=True))
        print(f"filled in {time.perf_counter() - start:.0f} s", flush=True)
    elif existing != rows:
        raise SystemExit(f"{url} already holds {existing:,} statements, not {rows:,}; drop --reuse")
    return engine


def like_peer(session: Session, words: str) -> Callable[[], int]:
    """The peer for word searches: what a plain SQL query does without a full-text index.

    Every word as a case-insensitive substring (``LIKE '%word%'``) of the statement
    and its claim, newest first, a
    page of 20 and a total capped at 10,000 as claimtrack's is: the query a newsroom
    writes against its own table. It has no stemming and no ranking.
    """
    terms = words.lower().split()
    # The statement's words and its checkable claim, as claimtrack's full-text index holds them.
    where = " AND ".join(f"lower(text || ' ' || coalesce(claim, '')) LIKE :w{i}" for i in range(len(terms)))
    params = {f"w{i}": f"%{t}%" for i, t in enumerate(terms)}
    page = text(f"SELECT id FROM statements WHERE {where} ORDER BY said_on DESC, id DESC LIMIT 20")
    total = text(f"SELECT count(*) FROM (SELECT 1 FROM statements WHERE {where} LIMIT {TOTAL_CAP}) AS capped")

    def run() -> int:
        session.execute(page, params).all()
        return int(session.scalar(total, params) or 0)

    return run


def measure_searches(engine: Engine, repeat: int) -> list[str]:
    lines = [
        "| search | results | median ms | p95 ms | peer: SQL LIKE results | peer median ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with make_session_factory(engine)() as session:
        # As the public searches: drafts and retracted statements are kept out by the visibility rule.
        visibility.register_listeners()
        session.info[PUBLIC_VIEW] = True
        speaker_name, alias = session.execute(text(
            "SELECT s.name, a.alias FROM speakers s JOIN speaker_aliases a ON a.speaker_id = s.id WHERE s.id = 42"
        )).one()
        typo = speaker_name[:3] + speaker_name[4:]  # drop one letter
        for label, args in SEARCHES:
            args = {k: v.replace("@TYPO@", typo).replace("@ALIAS@", alias) for k, v in args.items()}
            query = parse_search_args(args)

            def run(query: SearchQuery = query) -> object:
                page = search_statements(session, query, today=TODAY)
                session.expunge_all()
                return page

            median, p95, page = timed(run, repeat)
            peer = "– | –"
            if "q" in args and set(args) <= {"q", "sort"}:  # words alone: the peer answers the same question
                peer_median, _, peer_total = timed(like_peer(session, args["q"]), repeat)
                peer = f"{peer_total:,} | {peer_median:.1f}"
            lines.append(f"| {label} | {page.total:,} | {median:.1f} | {p95:.1f} | {peer} |")  # type: ignore[attr-defined]
            print(lines[-1], flush=True)
    return lines


def measure_pages(engine: Engine, repeat: int) -> list[str]:
    from claimtrack import create_app

    app = create_app({"DATABASE_URL": engine.url.render_as_string(hide_password=False), "SECRET_KEY": "bench"})
    client = app.test_client()
    with engine.connect() as conn:
        statement_id = conn.scalar(text("SELECT id FROM statements WHERE current_rating_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 500"))
    pages = [
        ("home page", "/"),
        ("search page: words", "/search?q=deal"),
        ("search page: speaker typo + verdict", "/search?speaker=the+kavalo+office&verdict=false"),
        ("API: statements, words + year", "/api/v1/statements?q=border&from=2019-01-01&to=2019-12-31"),
        ("claim page", f"/claims/{statement_id}"),
        ("speaker page (~1,000 statements)", "/speakers/speaker-42"),
        ("API: speaker", "/api/v1/speakers/42"),
        ("topic page", "/topics/topic-7"),
    ]
    lines = ["| page | status | median ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for label, path in pages:
        median, p95, response = timed(lambda path=path: client.get(path), repeat)
        lines.append(f"| {label} `{path}` | {response.status_code} | {median:.1f} | {p95:.1f} |")  # type: ignore[attr-defined]
        print(lines[-1], flush=True)
    app.extensions["claimtrack.engine"].dispose()
    return lines


def write_results(engine_name: str, rows: int, sections: list[str]) -> None:
    """Replace this engine's section of SEARCH_RESULTS.md, keeping the other engine's."""
    title = f"## {engine_name}, {rows:,} statements"
    body = "\n".join([
        title, "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}. Command: `python -m benchmarks.search --rows {rows} --engine {engine_name}`.",
        "", *sections, "",
    ])
    header = (
        "# Search benchmark\n\n"
        "Synthetic data from `benchmarks/search/synthetic.py`: 1,000 speakers, 2,000 sources, 60 topics, "
        "statements of 8-20 words from a skewed vocabulary (\"deal\" is in 38% of them), 1% of them drafts and "
        "0.2% retracted, 45% rated, 10% of those ratings drafts. Searches run as the public's do, drafts and retracted "
        "statements left out. Median and p95 over 20 runs after a warm-up, one process on a 2-core machine.\n\n"
        "\"results\" is the total a search reports. Filtered totals are counted up to 10,000 and no further "
        "(pages stop there too), so 10,000 reads \"more than 10,000\".\n\n"
        "Peer, measured in the same run for word searches: the plain SQL a newsroom writes without a full-text "
        "index, each word as a `LIKE '%word%'` substring of the statement and its claim, newest first, a page of 20 and the same capped total. "
        "It matches substrings (\"deal\" in \"ideal\") and no word forms (\"deals\"), so its totals differ.\n"
    )
    kept = []
    if RESULTS.exists():
        for chunk in RESULTS.read_text().split("\n## ")[1:]:
            if not chunk.startswith(f"{engine_name},"):
                kept.append("## " + chunk.rstrip() + "\n")
    RESULTS.write_text(header + "\n" + "\n".join(sorted([body, *kept])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="default: a file in the temp folder, or $CLAIMTRACK_BENCH_POSTGRES_URL")
    parser.add_argument("--reuse", action="store_true", help="keep a database filled by an earlier run")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-pages", action="store_true", help="measure search only, not the web pages")
    args = parser.parse_args(argv)
    engine = prepare(args.engine, args.rows, args.database_url, args.reuse)
    sections = ["### Search (claimtrack.search.search_statements)", "", *measure_searches(engine, args.repeat)]
    if not args.no_pages:
        sections += ["", "### Pages (through the Flask app)", "", *measure_pages(engine, args.repeat)]
    engine.dispose()
    write_results(args.engine, args.rows, sections)
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
