"""The PostgreSQL driver is an extra: without it, a PostgreSQL URL gets one clear line naming the extra."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from claimtrack.db import MissingDriver, make_engine

# Importing psycopg fails in the child as it would where the extra is not installed.
HIDE_DRIVER = "import sys; sys.modules['psycopg'] = None\n"


def test_make_engine_names_the_extra_when_the_driver_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDriver, match=r"claimtrack\[postgresql\]"):
        make_engine("postgresql://someone@127.0.0.1:5432/newsroom")


def test_cli_says_which_extra_to_install_in_one_line() -> None:
    env = {**os.environ, "CLAIMTRACK_DATABASE_URL": "postgresql://someone@127.0.0.1:5432/newsroom"}
    done = subprocess.run(
        [sys.executable, "-c", HIDE_DRIVER + "from claimtrack.cli import main; main()", "db", "current"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: postgresql needs its driver (psycopg): pip install 'claimtrack[postgresql]'"


def test_sqlite_needs_no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    engine = make_engine("sqlite://")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select 1").scalar() == 1
