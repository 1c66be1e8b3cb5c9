"""Search benchmark: synthetic statements at scale, search and page latencies as Markdown.

Run from the repository root: ``python -m benchmarks.search --rows 1000000 --engine sqlite``.
"""
