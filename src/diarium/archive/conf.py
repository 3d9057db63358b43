"""Archive settings with working defaults.

Storage locations, the inbox and upload folders are further down (docs/archive.md).

EARK_DATA_DIR points at the shared E-ARK material (specifications, the IP test corpus). Only
tests and benchmarks read it: the validator ships its own copies of the schemas it needs.
Order: Django setting EARK_DATA_DIR, env DIARIUM_EARK_DATA_DIR, then shared/data/eark in
the nearest folder above the repository checkout that has one."""

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from diarium.core.storage import config as store_config


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
    for folder in root.parents:
        candidate = folder / "shared" / "data" / "eark"
        if candidate.is_dir():
            return candidate
    return None



# -- storage locations and folders of the e-archive --------------------------------------------

@dataclass(frozen=True)
class LocationConfig:
    name: str
    kind: str
    path: str  # where it is: a folder, or s3://bucket/prefix/
    options: dict = field(default_factory=dict)  # the store's configuration (core.storage)


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$")


def archive_root() -> Path:
    return Path(settings.DATA_DIR) / "archive"


def _entry(item: object, position: int) -> LocationConfig:
    if isinstance(item, dict):
        name = str(item.get("name") or f"copy-{position}")
        config = {k: v for k, v in item.items() if k != "name"}
    else:
        text = str(item).strip()
        name, sep, path = text.partition("=")
        if not sep or "/" in name:
            name, path = f"copy-{position}", text
        config = {"kind": "filesystem", "path": path}
    if not _NAME.match(name):
        raise ImproperlyConfigured(f"archive location name {name!r}: use letters, digits, - _")
    checked = store_config.check(name, config)
    return LocationConfig(name=name, kind=checked["kind"], path=store_config.where(checked),
                          options=checked)


def configured_locations() -> list[LocationConfig]:
    """The storage locations every AIP is copied to. From the Django setting
    ARCHIVE_LOCATIONS or env DIARIUM_ARCHIVE_LOCATIONS: a JSON list (of paths or of
    {"name", "path"} and {"name", "kind": "s3", "bucket", …} objects) or a comma list of
    `path` or `name=path` items.
    Default: copy-1 and copy-2 under DATA_DIR/archive."""
    raw = getattr(settings, "ARCHIVE_LOCATIONS", None)
    if raw is None:
        raw = os.environ.get("DIARIUM_ARCHIVE_LOCATIONS", "").strip()
        if raw.startswith("["):
            raw = json.loads(raw)
        elif raw:
            raw = [p for p in raw.split(",") if p.strip()]
    if not raw:
        raw = [{"name": f"copy-{n}", "path": str(archive_root() / f"copy-{n}")} for n in (1, 2)]
    locations = [_entry(item, n) for n, item in enumerate(raw, start=1)]
    names = [loc.name for loc in locations]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"archive location names repeat: {names}")
    return locations


def inbox_dir() -> Path:
    """The only folder whose packages archivists may name by server-side path (API)."""
    configured = getattr(settings, "ARCHIVE_INBOX", None) or os.environ.get(
        "DIARIUM_ARCHIVE_INBOX")
    return Path(configured).expanduser().resolve() if configured else archive_root() / "inbox"


def upload_dir() -> Path:
    """Where uploaded packages wait while they are ingested (removed afterwards)."""
    return archive_root() / "uploads"
