"""The README's Layout section names every package and top-level module, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def layout_entries() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout\n", 1)[1]
    block = section.split("```", 2)[1]
    # Entries under src/claimtrack/ are indented by two spaces: "  claims/   statements, ...".
    return {match.group(1) for match in re.finditer(r"^  (\S+)", block, re.M)}


def test_the_layout_section_lists_exactly_the_packages_and_modules_of_the_tree() -> None:
    package = ROOT / "src" / "claimtrack"
    tree = {
        f"{path.name}/" if path.is_dir() else path.name
        for path in package.iterdir()
        if path.name != "__pycache__" and (path.is_dir() or path.suffix == ".py")
    }
    assert layout_entries() == tree
