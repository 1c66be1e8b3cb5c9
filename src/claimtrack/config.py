"""Configuration read from the environment, with safe defaults for a desk on one machine."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

#: Folders claimtrack creates for itself (the instance folder, backups' and snapshots' folders): owner only.
PRIVATE_DIR_MODE = 0o700
#: Files that hold the newsroom's data or secrets (the SQLite database, the secret key, backups): owner only.
PRIVATE_FILE_MODE = 0o600


class ConfigError(ValueError):
    """A setting has a value claimtrack cannot use; the message names the variable and says why."""


def instance_path() -> Path:
    """The folder for the SQLite file and the generated secret key."""
    return Path(os.environ.get("CLAIMTRACK_INSTANCE_PATH", "instance")).resolve()


def default_database_url() -> str:
    return "sqlite:///" + str(instance_path() / "claimtrack.db")


def database_url() -> str:
    return os.environ.get("CLAIMTRACK_DATABASE_URL") or default_database_url()


def site_url(value: object) -> str | None:
    """``CLAIMTRACK_SITE_URL`` checked and ending in ``/``: the public address every absolute URL starts with.

    :raise ConfigError: for anything but an ``http(s)://host[/path]`` address without query or fragment.
    """
    if value is None or value == "":
        return None
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or parts.username:
        raise ConfigError(
            f"CLAIMTRACK_SITE_URL must be the site's public address, such as https://factcheck.example.org/, not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}/"


def private_dir(path: Path) -> Path:
    """Create the folder ``path`` readable by its owner only (its parents as the umask says); return it."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    return path


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with owner-only permissions unless it exists; True when it was created.

    The mode is given at creation, so the file is never readable by others, not even for a moment.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        return False
    return True


def load_or_create_secret_key(folder: Path) -> str:
    """Return the key kept in ``folder``, generating it on first use.

    The key is written with owner-only permissions so that sessions survive a
    restart without anyone having to invent a secret by hand.
    """
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_dir(folder)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
