"""Keeping one benchmark's table inside another's results file.

``RESULTS.md`` is the one table the matching issue asks for; the import
benchmark runs on its own (its own command, its own temporary databases) and
places its table in a marked section there, which a later matching run keeps.
"""

from __future__ import annotations

from pathlib import Path


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- {key}: start -->", f"<!-- {key}: end -->"


def read_section(path: Path, key: str) -> str:
    """The marked section ``key`` of ``path`` with its markers, or "" when there is none."""
    start, end = _markers(key)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start not in text or end not in text:
        return ""
    return text[text.index(start) : text.index(end) + len(end)] + "\n"


def write_section(path: Path, key: str, body: str) -> None:
    """Put ``body`` in the marked section ``key`` of ``path``, replacing it or appending it."""
    start, end = _markers(key)
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    old = read_section(path, key)
    text = text.replace(old, block) if old else text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")
