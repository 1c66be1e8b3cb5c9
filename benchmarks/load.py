"""``python -m benchmarks.load [--rows N] [--engine sqlite|postgresql] [--quick]``: the public site under load.

Fills (or reuses, with ``--reuse``) the search benchmark's synthetic database, starts ``claimtrack serve``
on loopback, and drives it with wrk (50 connections, 60 s a target; ``--quick``: 3 s): a claim page,
1,000 different claim pages, the home page, search by speaker, the read API's list, a conditional GET,
and a static file from the same server in the same run as the ceiling. Then the claim page again under
each WSGI setting of ``--threads``, to choose ``serve``'s default by measurement. The tables are written
to ``benchmarks/RESULTS.md`` (section "Public site under load").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from benchmarks.search.__main__ import prepare
from claimtrack.claims.models import Statement
from claimtrack.orm import PublicationStatus
from claimtrack.speakers.models import Speaker

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Public site under load"
CONNECTIONS = 50


@dataclass
class Run:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(name: str, output: str) -> Run:
    """Requests/s, p50, p99 and errors (socket errors and non-2xx/3xx answers) from ``wrk --latency``."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"\s50%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s|m)\b", output)
    if not (rate and p50 and p99):
        raise RuntimeError(f"wrk said:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return Run(name, float(rate.group(1)), _ms(*p50.groups()), _ms(*p99.groups()), errors + (int(bad.group(1)) if bad else 0))


def wrk(name: str, url: str, seconds: int, headers: dict[str, str] | None = None, paths: list[str] | None = None) -> Run:
    """One wrk run on loopback, bounded to ``seconds``; ``paths`` are requested at random, each request."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    script = None
    if paths:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        quoted = ", ".join(f'"{p}"' for p in paths)
        script.write_text(f"paths = {{{quoted}}}\nrequest = function()\n"
                          "  return wrk.format(nil, paths[math.random(#paths)])\nend\n")
        command += ["-s", str(script)]
    try:
        done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True)
    finally:
        if script:
            script.unlink()
    run = parse_wrk(name, done.stdout)
    print(f"  {name}: {run.requests_per_s:,.0f}/s p50 {run.p50_ms:.1f} ms p99 {run.p99_ms:.1f} ms errors {run.errors}",
          flush=True)
    return run


class Server:
    """``claimtrack serve`` on a free loopback port, on the benchmark's database."""

    def __init__(self, database_url: str, threads: int, workdir: Path) -> None:
        env = {**os.environ, "CLAIMTRACK_DATABASE_URL": database_url, "CLAIMTRACK_INSTANCE_PATH": str(workdir)}
        self.port = 5600 + os.getpid() % 300
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / f"serve-{threads}.log", "wb")  # noqa: SIM115 -- closed in stop()
        claimtrack = Path(sys.executable).with_name("claimtrack")
        self.process = subprocess.Popen([str(claimtrack), "serve", "--port", str(self.port), "--threads", str(threads)],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"claimtrack serve exited; see {self.log.name}")
            try:
                urllib.request.urlopen(self.url + "/how-we-rate", timeout=5).close()
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("claimtrack serve did not answer within 120 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _samples(engine: Engine) -> tuple[list[int], str]:
    """1,000 published claim ids spread over the table, and a speaker's name to search by."""
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Statement.id).where(Statement.status == PublicationStatus.PUBLISHED)
                                .order_by(Statement.id).limit(1000 * 37)))[::37]
        name = conn.scalar(select(Speaker.name).order_by(Speaker.id).offset(7).limit(1)) or ""
    return ids, name


def measure(engine: Engine, seconds: int, threads: int, workdir: Path) -> list[Run]:
    ids, speaker = _samples(engine)
    server = Server(engine.url.render_as_string(hide_password=False), threads, workdir)
    try:
        base = server.url
        claim = f"{base}/claims/{ids[len(ids) // 2]}"
        with urllib.request.urlopen(claim, timeout=30) as answer:
            etag = answer.headers["ETag"]
        query = urllib.parse.urlencode({"speaker": speaker})
        return [
            wrk("static file (/static/style.css): the ceiling", f"{base}/static/style.css", seconds),
            wrk("claim page, the same one", claim, seconds),
            wrk("claim pages, 1,000 different", base, seconds, paths=[f"/claims/{i}" for i in ids]),
            wrk("home page", f"{base}/", seconds),
            wrk("search by speaker", f"{base}/search?{query}", seconds),
            wrk("read API list (/api/v1/statements)", f"{base}/api/v1/statements", seconds),
            wrk("read API list, page 2", f"{base}/api/v1/statements?page=2", seconds),
            wrk("conditional GET of the claim page (304)", claim, seconds, headers={"If-None-Match": etag}),
        ]
    finally:
        server.stop()


def measure_threads(engine: Engine, seconds: int, options: list[int], workdir: Path) -> list[Run]:
    ids, _ = _samples(engine)
    runs = []
    for threads in options:
        server = Server(engine.url.render_as_string(hide_password=False), threads, workdir)
        try:
            runs.append(wrk(f"waitress, {threads} threads: static file", f"{server.url}/static/style.css", seconds))
            runs.append(wrk(f"waitress, {threads} threads: 1,000 claim pages", server.url, seconds,
                            paths=[f"/claims/{i}" for i in ids]))
        finally:
            server.stop()
    return runs


def table(runs: list[Run], ceiling: float) -> list[str]:
    lines = ["| target | requests/s | p50 ms | p99 ms | errors | % of static |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs:
        lines.append(f"| {run.name} | {run.requests_per_s:,.0f} | {run.p50_ms:.1f} | {run.p99_ms:.1f} | {run.errors} "
                     f"| {100 * run.requests_per_s / ceiling:.0f}% |")
    return lines


def write_results(engine_name: str, rows: int, seconds: int, threads: int, runs: list[Run], options: list[Run]) -> None:
    """Append this run's tables under the section, newest last."""
    body = [
        f"### {engine_name}, {rows:,} statements, {seconds} s a target ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores shared with the load generator (wrk, 2 threads, {CONNECTIONS} "
        f"connections, loopback); `claimtrack serve --threads {threads}`. Command: "
        f"`python -m benchmarks.load --rows {rows} --engine {engine_name}{' --quick' if seconds < 60 else ''}`.",
        "",
        *table(runs, runs[0].requests_per_s),
    ]
    if options:
        body += ["", "WSGI settings, each with its own static ceiling:", "",
                 *table(options, max(r.requests_per_s for r in options if "static" in r.name))]
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    if SECTION not in text:
        text = text.rstrip() + f"\n\n{SECTION}\n\nTargets on 2 cores: claim page and read API >= 300 requests/s at " \
            "p99 <= 100 ms, no errors, >= 40% of the static file from the same server in the same run.\n"
    RESULTS.write_text(text.rstrip() + "\n\n" + "\n".join(body) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="default: the search benchmark's database")
    parser.add_argument("--reuse", action="store_true", help="keep a database filled by an earlier run")
    parser.add_argument("--quick", action="store_true", help="3 s a target instead of 60")
    parser.add_argument("--threads", default="", help="waitress thread counts to compare, e.g. 4,8,16")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (make bench installs it: apt-get install wrk)")
    seconds = 3 if args.quick else 60
    engine = prepare(args.engine, args.rows, args.database_url, args.reuse)
    default_threads = 8
    with tempfile.TemporaryDirectory(prefix="claimtrack-load-") as workdir:
        runs = measure(engine, seconds, default_threads, Path(workdir))
        options = measure_threads(engine, seconds, [int(t) for t in args.threads.split(",") if t], Path(workdir))
    engine.dispose()
    write_results(args.engine, args.rows, seconds, default_threads, runs, options)
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
