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
from .importing import IMPORT_SECTION
from .metrics import evaluate
from .sections import read_section
from .systems import SYSTEMS

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


def quality(data: Path) -> tuple[list[dict], dict]:
    claims = shuffled_claims(data)
    dev = load_split(data, "dev")
    out, calib = [], {}
    for name in ("claimtrack", "bm25s", "rapidfuzz-scan"):
        system = SYSTEMS[name]()
        system.build(claims)
        runs, lat = {}, []
        for qid, text in dev.queries:
            t0 = time.perf_counter()
            runs[qid] = system.search(text, 20)
            lat.append((time.perf_counter() - t0) * 1000)
        out.append({"system": name, **evaluate(runs, dev.qrels), "ms_per_query": float(np.median(lat))})
        if name == "claimtrack":
            calib = calibration(system.index, dev)
    return out, calib


def calibration(index, dev) -> dict:
    """How the suggest (0.5) / strong (0.8) thresholds behave on dev: precision of the top hit above
    each, and how often a tweet whose claim is NOT stored (gold claims removed) still crosses them."""
    from claimtrack.matching import STRONG_THRESHOLD, SUGGEST_THRESHOLD

    def top(text):
        hits = index.search(text, top_k=1)
        return hits[0] if hits else None

    tops = {qid: top(text) for qid, text in dev.queries}
    res = {}
    for label, thr in (("suggest", SUGGEST_THRESHOLD), ("strong", STRONG_THRESHOLD)):
        above = [(qid, m) for qid, m in tops.items() if m and m.score >= thr]
        res[label] = {"threshold": thr, "share": len(above) / len(tops),
                      "precision": sum(m.doc_id in dev.qrels[q] for q, m in above) / max(1, len(above))}
    for gold in set().union(*dev.qrels.values()):
        if gold in index:
            index.remove(gold)
    tops = [top(text) for _, text in dev.queries]
    for label in ("suggest", "strong"):
        thr = res[label]["threshold"]
        res[label]["no_match_share"] = sum(1 for m in tops if m and m.score >= thr) / len(tops)
    return res


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
    race = _worker("race", str(n), str(data), str(n_queries), str(CACHE))
    for rec in rows:
        rec["race_median_ms"] = race[rec["system"]]["median_ms"]
        rec["race_p95_ms"] = race[rec["system"]]["p95_ms"]
    # The linear scan is measured at up to 100k statements; beyond that it is extrapolated linearly.
    scan_n = min(n, 100_000)
    rec = {"system": "rapidfuzz-scan", "n": n, **_worker("scan", str(scan_n), str(data), str(scan_queries))}
    rec["race_median_ms"], rec["race_p95_ms"] = rec.pop("median_ms"), rec.pop("p95_ms")
    if scan_n != n:
        factor = n / scan_n
        rec.update(race_median_ms=rec["race_median_ms"] * factor, race_p95_ms=rec["race_p95_ms"] * factor,
                   note=f"extrapolated x{factor:g} from {scan_n:,} statements", serve_peak_mb=None)
    else:
        rec["note"] = f"{scan_queries} queries, own process"
    rows.append(rec)
    return rows


def _fmt(v, digits=3):
    if v is None:
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def render(q: list[dict], calib: dict, s: list[dict], args) -> str:
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
        "Calibration of the claimtrack score on dev (top hit per tweet). *No-match* re-runs the tweets after "
        "removing their gold claims from the index, i.e. text whose claim is not stored:",
        "",
        "| threshold | share of tweets at/above | precision of those | share at/above when no match is stored |",
        "| --- | --- | --- | --- |",
    ]
    for label, r in calib.items():
        lines.append(f"| {label} >= {r['threshold']} | {r['share']:.3f} | {r['precision']:.3f} | "
                     f"{r['no_match_share']:.3f} |")
    lines += [
        "",
        "## Scale: the real claims plus synthetic statements recombined from them (seeded)",
        "",
        "Queries are real tweets (dev then train), top 10, single thread. Latency: claimtrack and bm25s are "
        "measured in one process, alternating query by query, so both see the same machine load "
        "(the serve columns are each system alone). dev MAP@5 is measured with the synthetic statements as "
        "distractors. Peak RSS is VmHWM of the measuring subprocess (build and serve separately).",
        "",
        "| system | statements | build s | save s | load (start-up) s | median ms | p95 ms | serve median ms | "
        "dev MAP@5 | build peak MiB | serve peak MiB | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in s:
        lines.append("| " + " | ".join([
            r["system"], f"{r['n']:,}", _fmt(r.get("build_s"), 1), _fmt(r.get("save_s"), 2), _fmt(r.get("load_s"), 2),
            _fmt(r.get("race_median_ms"), 2), _fmt(r.get("race_p95_ms"), 2), _fmt(r.get("median_ms"), 2),
            _fmt(r.get("dev_map5"), 4), _fmt(r.get("build_peak_mb"), 0), _fmt(r.get("serve_peak_mb"), 0),
            r.get("note", f"{r.get('n_queries', '')} queries"),
        ]) + " |")
    by_n: dict[int, dict[str, dict]] = {}
    for r in s:
        by_n.setdefault(r["n"], {})[r["system"]] = r
    lines += ["", "Ratios (claimtrack is this many times faster, median latency, same-process measurement):", ""]
    for n, sys_rows in by_n.items():
        ct = sys_rows.get("claimtrack", {}).get("race_median_ms")
        parts = [f"vs {name} {r['race_median_ms'] / ct:.1f}x" for name, r in sys_rows.items()
                 if name != "claimtrack" and ct]
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
    q, calib = quality(args.data)
    s = []
    for n in sizes:
        print(f"scale {n} ...", file=sys.stderr, flush=True)
        s += scale(args.data, n, n_queries, scan_queries=20 if args.quick else 30)
    text = render(q, calib, s, argv)
    # The import benchmark's section (written by benchmarks.importing) outlives this rewrite.
    kept = read_section(HERE / "RESULTS.md", IMPORT_SECTION)
    (HERE / "RESULTS.md").write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
