"""Locate the templates, migrations and fixtures that ship with claimtrack.

In a checkout they sit at the repository's top level (the agreed layout); in
an installed wheel they are copied inside the package. Looking in the package
first makes both work without configuration.
"""

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent.parent


def resource_dir(name: str) -> Path:
    """Return the directory ``name`` (templates, migrations, fixtures).

    :raise FileNotFoundError: when neither the package nor the checkout has it.
    """
    for base in (_PACKAGE_DIR, _CHECKOUT_DIR):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"claimtrack cannot find its {name!r} directory")
