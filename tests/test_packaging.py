"""An installed wheel carries its templates, migrations and fixtures and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # builds a wheel and installs it in a fresh environment


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "No module named 'hatchling'" in done.stderr:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    return next(out.glob("claimtrack-*.whl"))


def test_wheel_contains_templates_migrations_and_fixtures(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "claimtrack/templates/base.html",
        "claimtrack/migrations/env.py",
        "claimtrack/migrations/versions/0001_create_the_domain_model.py",
        "claimtrack/fixtures/demo.json",
        "claimtrack/static/style.css",
    ):
        assert expected in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_unpacked_wheel_migrates_and_loads_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site), CLAIMTRACK_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("CLAIMTRACK_DATABASE_URL", None)
    script = (
        "import claimtrack, sys; from claimtrack.cli import main; "
        "assert claimtrack.__file__.startswith(sys.argv[1]), claimtrack.__file__; "
        "main(sys.argv[2:])"
    )
    for args in (["db", "upgrade"], ["load-fixtures"]):
        done = subprocess.run(
            [sys.executable, "-c", script, str(site), *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert "7 statements" in done.stdout
