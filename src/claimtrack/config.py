"""Configuration read from the environment, with safe defaults for a desk on one machine."""

import os
import secrets
from pathlib import Path


def instance_path() -> Path:
    """The folder for the SQLite file and the generated secret key."""
    return Path(os.environ.get("CLAIMTRACK_INSTANCE_PATH", "instance")).resolve()


def default_database_url() -> str:
    return "sqlite:///" + str(instance_path() / "claimtrack.db")


def database_url() -> str:
    return os.environ.get("CLAIMTRACK_DATABASE_URL") or default_database_url()


def load_or_create_secret_key(folder: Path) -> str:
    """Return the key kept in ``folder``, generating it on first use.

    The key is written with owner-only permissions so that sessions survive a
    restart without anyone having to invent a secret by hand.
    """
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
