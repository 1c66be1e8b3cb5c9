"""One measurement in a fresh process, so that its peak memory is its own.

    python -m benchmarks.worker build  SYSTEM N DATA DIR   -> build time, save time, peak RSS
    python -m benchmarks.worker serve  SYSTEM N DATA DIR Q -> load time, latency, dev MAP@5, peak RSS
    python -m benchmarks.worker race   N DATA Q            -> claimtrack and bm25s latency, interleaved
    python -m benchmarks.worker scan   N DATA Q            -> RapidFuzz scan latency (no index)

The corpus of size N is the real claims plus N - len(claims) synthetic ones,
so dev MAP@5 at scale shows what a million distractors cost.

Prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from .calibrate import shuffled_claims
from .data import load_split
from .metrics import evaluate
from .synthetic import synthetic_statements
from .systems import SYSTEMS


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus(data: Path, n: int) -> list[tuple[str, str, str]]:
    """The real claims (ids as in the qrels) plus synthetic statements (ids ``s<k>``) up to ``n``."""
    claims = shuffled_claims(data)  # seeded order: duplicate claims tie, file order would favour the gold id
    sources = [t for _, c, h in claims for t in (c, h) if t]
    synthetic = synthetic_statements(sources, max(0, n - len(claims)))
    return list(claims[:n]) + [(f"s{i}", text, "") for i, text in enumerate(synthetic)]


def dev_map(system, data: Path) -> float:
    dev = load_split(data, "dev")
    return evaluate({qid: system.search(text, 20) for qid, text in dev.queries}, dev.qrels)["MAP@5"]


def queries(data: Path, n: int) -> list[str]:
    texts = [t for split in ("dev", "train") for _, t in load_split(data, split).queries]
    return texts[:n]


def timed_queries(system, texts: list[str], k: int = 10) -> dict:
    for t in texts[:10]:  # warm caches (stemmer, pages)
        system.search(t, k)
    lat = []
    for t in texts:
        t0 = time.perf_counter()
        system.search(t, k)
        lat.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": float(np.median(lat)), "p95_ms": float(np.percentile(lat, 95)), "n_queries": len(lat)}


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "build":
        name, n, data, out = argv[1], int(argv[2]), Path(argv[3]), Path(argv[4])
        rows = corpus(data, n)
        system = SYSTEMS[name]()
        t0 = time.perf_counter()
        system.build(rows)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        system.save(out)
        result = {"build_s": build_s, "save_s": time.perf_counter() - t0, "build_peak_mb": peak_rss_mb()}
    elif mode == "serve":
        name, n, data, out, nq = argv[1], int(argv[2]), Path(argv[3]), Path(argv[4]), int(argv[5])
        texts = queries(data, nq)
        t0 = time.perf_counter()
        system = SYSTEMS[name].load(out)
        result = {"load_s": time.perf_counter() - t0}
        result.update(timed_queries(system, texts))
        result["dev_map5"] = dev_map(system, data)
        result["serve_peak_mb"] = peak_rss_mb()
    elif mode == "race":
        # Alternate the two systems query by query so that both see the same machine load.
        n, data, nq = int(argv[1]), Path(argv[2]), int(argv[3])
        texts = queries(data, nq)
        systems = {name: SYSTEMS[name].load(Path(argv[4]) / f"{name}-{n}") for name in ("claimtrack", "bm25s")}
        lat = {name: [] for name in systems}
        for t in texts[:10]:
            for system in systems.values():
                system.search(t, 10)
        for t in texts:
            for name, system in systems.items():
                t0 = time.perf_counter()
                system.search(t, 10)
                lat[name].append((time.perf_counter() - t0) * 1000)
        result = {name: {"median_ms": float(np.median(v)), "p95_ms": float(np.percentile(v, 95))}
                  for name, v in lat.items()}
    elif mode == "scan":
        n, data, nq = int(argv[1]), Path(argv[2]), int(argv[3])
        system = SYSTEMS["rapidfuzz-scan"]()
        system.build(corpus(data, n))
        result = timed_queries(system, queries(data, nq))
        result["serve_peak_mb"] = peak_rss_mb()
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
