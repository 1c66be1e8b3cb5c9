"""Benchmark: quality on every CheckThat! dev split and speed/memory at scale, as Markdown tables.

    python -m benchmarks.run [--data PATH] [--data2022 PATH] [--quick] [--scale 100000,1000000] [--no-scale]

Quality is measured on CheckThat! 2020 dev and CheckThat! 2022 dev and
dev-test, each with the same peers in the same run; the fusion weights were
fitted on CheckThat! 2020 train only, so the 2022 tables show how they
generalise.  A missing data folder skips its tables.  Writes the tables to
``benchmarks/RESULTS.md`` (only when the scale part ran) and prints them.  Each scale
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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .calibrate import shuffled_claims
from .data import DEFAULT_DATA, DEFAULT_DATA_2022, Collection, checkthat2020, checkthat2022, load_split
from .importing import IMPORT_SECTION
from .metrics import evaluate
from .sections import read_section
from .systems import SYSTEMS, ClaimtrackSystem

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"


PEERS = ("claimtrack", "bm25s", "rapidfuzz-scan")


@dataclass
class QualityTable:
    """The peers' figures on one split of one collection, all measured in this run."""

    collection: Collection
    split: str
    n_tweets: int
    n_claims: int
    rows: list[dict]
    calibration: dict = field(default_factory=dict)


def quality(collection: Collection) -> list[QualityTable]:
    """One table per reported split, with how the score thresholds behave on it; each system is built once
    over the collection's claims."""
    claims = shuffled_claims(collection.root)
    splits = {name: load_split(collection.root, name) for name in collection.dev_splits}
    tables = {name: QualityTable(collection, name, len(split.queries), len(claims), [])
              for name, split in splits.items()}
    for name in PEERS:
        system = SYSTEMS[name]()
        system.build(claims)
        for split_name, split in splits.items():
            runs, lat = {}, []
            for qid, text in split.queries:
                t0 = time.perf_counter()
                runs[qid] = system.search(text, 20)
                lat.append((time.perf_counter() - t0) * 1000)
            tables[split_name].rows.append(
                {"system": name, **evaluate(runs, split.qrels), "ms_per_query": float(np.median(lat))})
    for split_name, split in splits.items():
        # Calibration removes the split's gold claims from the index, so each split gets a fresh one.
        claimtrack = ClaimtrackSystem()
        claimtrack.build(claims)
        tables[split_name].calibration = calibration(claimtrack.index, split)
    return list(tables.values())


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


def render(tables: list[QualityTable], s: list[dict], args: list[str]) -> str:
    lines = [
        "# Matching benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; command: `python -m benchmarks.run "
        f"{' '.join(args)}`.",
        "The machine is shared and noisy: compare ratios within one run, not absolute times across runs.",
    ]
    for table in tables:
        lines += _quality_section(table)
        if table.calibration:
            lines += _calibration_section(table)
    if s:
        lines += _scale_section(s)
    return "\n".join(lines) + "\n"


def _quality_section(table: QualityTable) -> list[str]:
    lines = [
        "",
        f"## Quality: {table.collection.title}, {table.split} ({table.n_tweets:,} tweets, {table.n_claims:,} claims, "
        "claim+title, claims in seeded random order)",
        "",
        table.collection.note,
        "",
        "| system | MAP@5 | MRR | Recall@5 | Recall@20 | ms/query (median) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in table.rows:
        lines.append(f"| {r['system']} | {r['MAP@5']:.4f} | {r['MRR']:.4f} | {r['R@5']:.4f} | {r['R@20']:.4f} | "
                     f"{r['ms_per_query']:.2f} |")
    return lines


def _calibration_section(table: QualityTable) -> list[str]:
    lines = [
        "",
        f"Calibration of the claimtrack score on {table.collection.title} {table.split} (top hit per tweet). "
        "*No-match* re-runs the tweets after "
        "removing their gold claims from the index, i.e. text whose claim is not stored:",
        "",
        "| threshold | share of tweets at/above | precision of those | share at/above when no match is stored |",
        "| --- | --- | --- | --- |",
    ]
    for label, r in table.calibration.items():
        lines.append(f"| {label} >= {r['threshold']} | {r['share']:.3f} | {r['precision']:.3f} | "
                     f"{r['no_match_share']:.3f} |")
    return lines


def _scale_section(s: list[dict]) -> list[str]:
    lines = [
        "",
        "## Scale: the real claims plus synthetic statements recombined from them (seeded)",
        "",
        "Queries are real CheckThat! 2020 tweets (dev then train), top 10, single thread. Latency: claimtrack and bm25s are "
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
    return lines


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description="claimtrack matching benchmark")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CheckThat! 2020 folder (also used for scale)")
    ap.add_argument("--data2022", type=Path, default=DEFAULT_DATA_2022, help="CheckThat! 2022 folder")
    ap.add_argument("--quick", action="store_true", help="small scale run (20k statements, 100 queries)")
    ap.add_argument("--scale", default=None, help="comma-separated statement counts (default 100000,1000000)")
    ap.add_argument("--no-scale", action="store_true",
                    help="quality tables only: print them and leave RESULTS.md as it is")
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in (args.scale or ("20000" if args.quick else "100000,1000000")).split(",") if x]
    n_queries = 100 if args.quick else args.queries
    CACHE.mkdir(exist_ok=True)
    if args.no_scale or not args.data.is_dir():
        sizes = []  # the scale part is built from CheckThat! 2020
    ct2020, ct2022 = checkthat2020(args.data), checkthat2022(args.data2022)
    tables: list[QualityTable] = []
    for collection in (ct2020, ct2022):
        if not collection.root.is_dir():
            scale_too = " and the scale part" if collection is ct2020 and not args.no_scale else ""
            print(f"no {collection.title} data at {collection.root}: its tables{scale_too} skipped",
                  file=sys.stderr, flush=True)
            continue
        print(f"quality on {collection.title} {', '.join(collection.dev_splits)} ...", file=sys.stderr, flush=True)
        tables += quality(collection)
    s = []
    for n in sizes:
        print(f"scale {n} ...", file=sys.stderr, flush=True)
        s += scale(args.data, n, n_queries, scan_queries=20 if args.quick else 30)
    text = render(tables, s, argv)
    if s:  # a run without the scale part is partial: it leaves the last full results in place
        # The import benchmark's section (written by benchmarks.importing) outlives this rewrite.
        kept = read_section(HERE / "RESULTS.md", IMPORT_SECTION)
        (HERE / "RESULTS.md").write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
