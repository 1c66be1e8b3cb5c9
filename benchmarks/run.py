"""Benchmark: quality on CheckThat! 2020 dev and speed/memory at scale, as a Markdown table.

    python -m benchmarks.run [--data PATH] [--quick] [--scale 100000,1000000]

Writes the tables to ``benchmarks/RESULTS.md`` and prints them.  Each scale
measurement runs in its own subprocess (see ``benchmarks.worker``) so that
peak RSS is per system.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .calibrate import shuffled_claims
from .data import DEFAULT_DATA, load_split
from .metrics import evaluate
from .systems import SYSTEMS

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def quality(data: Path) -> list[dict]:
    claims = shuffled_claims(data)
    dev = load_split(data, "dev")
    out = []
    for name in ("claimtrack", "bm25s", "rapidfuzz-scan"):
        system = SYSTEMS[name]()
        system.build(claims)
        runs, lat = {}, []
        for qid, text in dev.queries:
            t0 = time.perf_counter()
            runs[qid] = system.search(text, 20)
            lat.append((time.perf_counter() - t0) * 1000)
        out.append({"system": name, **evaluate(runs, dev.qrels), "ms_per_query": float(np.median(lat))})
    return out


def _worker(*args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE.parent / "src"), str(HERE.parent)]))
    res = subprocess.run([sys.executable, "-m", "benchmarks.worker", *args], capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def scale(data: Path, n: int, n_queries: int, scan_queries: int) -> list[dict]:
    rows = []
    for name in ("claimtrack", "bm25s"):
        where = CACHE / f"{name}-{n}"
        rec = {"system": name, "n": n}
        rec.update(_worker("build", name, str(n), str(data), str(where)))
        rec.update(_worker("serve", name, str(n), str(data), str(where), str(n_queries)))
        rows.append(rec)
        print(f"  {name} @ {n}: {rec}", file=sys.stderr, flush=True)
    # The linear scan is measured at up to 100k statements; beyond that it is extrapolated linearly.
    scan_n = min(n, 100_000)
    rec = {"system": "rapidfuzz-scan", "n": n, **_worker("scan", str(scan_n), str(data), str(scan_queries))}
    if scan_n != n:
        factor = n / scan_n
        rec.update(median_ms=rec["median_ms"] * factor, p95_ms=rec["p95_ms"] * factor,
                   note=f"extrapolated x{factor:g} from {scan_n} statements", serve_peak_mb=None)
    rows.append(rec)
    return rows


def _fmt(v, digits=3):
    if v is None:
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def render(q: list[dict], s: list[dict], args) -> str:
    lines = [
        "# Matching benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; command: `python -m benchmarks.run "
        f"{' '.join(args)}`.",
        "The machine is shared and noisy: compare ratios within one run, not absolute times across runs.",
        "",
        "## Quality: CheckThat! 2020 task 2, dev (197 tweets, 10,375 claims, claim+title, claims in seeded random order)",
        "",
        "| system | MAP@5 | MRR | Recall@5 | Recall@20 | ms/query (median) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in q:
        lines.append(f"| {r['system']} | {r['MAP@5']:.4f} | {r['MRR']:.4f} | {r['R@5']:.4f} | {r['R@20']:.4f} | "
                     f"{r['ms_per_query']:.2f} |")
    lines += [
        "",
        "## Scale: synthetic statements recombined from the real claims (seeded)",
        "",
        "Queries are real tweets (dev then train). Latency is per query, top 10, single thread; "
        "peak RSS is the VmHWM of the measuring subprocess (build and serve measured separately).",
        "",
        "| system | statements | build s | save s | load (start-up) s | median ms | p95 ms | build peak MiB | serve peak MiB | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in s:
        lines.append("| " + " | ".join([
            r["system"], f"{r['n']:,}", _fmt(r.get("build_s"), 1), _fmt(r.get("save_s"), 2), _fmt(r.get("load_s"), 2),
            _fmt(r.get("median_ms"), 2), _fmt(r.get("p95_ms"), 2), _fmt(r.get("build_peak_mb"), 0),
            _fmt(r.get("serve_peak_mb"), 0), r.get("note", f"{r.get('n_queries', '')} queries"),
        ]) + " |")
    by_n: dict[int, dict[str, dict]] = {}
    for r in s:
        by_n.setdefault(r["n"], {})[r["system"]] = r
    lines += ["", "Ratios (claimtrack is this many times faster, median latency):", ""]
    for n, sys_rows in by_n.items():
        ct = sys_rows.get("claimtrack", {}).get("median_ms")
        parts = [f"vs {name} {r['median_ms'] / ct:.1f}x" for name, r in sys_rows.items() if name != "claimtrack" and ct]
        lines.append(f"- {n:,} statements: " + ", ".join(parts))
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description="claimtrack matching benchmark")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--quick", action="store_true", help="small scale run (20k statements, 100 queries)")
    ap.add_argument("--scale", default=None, help="comma-separated statement counts (default 100000,1000000)")
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in (args.scale or ("20000" if args.quick else "100000,1000000")).split(",") if x]
    n_queries = 100 if args.quick else args.queries
    CACHE.mkdir(exist_ok=True)
    print("quality on dev ...", file=sys.stderr, flush=True)
    q = quality(args.data)
    s = []
    for n in sizes:
        print(f"scale {n} ...", file=sys.stderr, flush=True)
        s += scale(args.data, n, n_queries, scan_queries=20 if args.quick else 30)
    text = render(q, s, argv)
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
