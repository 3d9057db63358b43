"""Archive settings with working defaults.

EARK_DATA_DIR points at the shared E-ARK material (specifications, the IP test corpus). Only
tests and benchmarks read it: the validator ships its own copies of the schemas it needs.
Order: Django setting EARK_DATA_DIR, env DIARIUM_EARK_DATA_DIR, then ../shared/data/eark
beside the repository checkout (when running from a checkout and that folder exists)."""

import os
from pathlib import Path

from django.conf import settings


def _repository_root() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "diarium").is_dir():
            return parent
    return None


def eark_data_dir() -> Path | None:
    """The shared E-ARK data folder, or None when it is not configured and not found."""
    configured = getattr(settings, "EARK_DATA_DIR", None) or os.environ.get(
        "DIARIUM_EARK_DATA_DIR"
    )
    if configured:
        return Path(configured).expanduser().resolve()
    root = _repository_root()
    if root is None:
        return None
    candidate = root.parent / "shared" / "data" / "eark"
    return candidate if candidate.is_dir() else None

