"""Fixtures for the e-archive: two storage locations in the test's own folder, an authority
with its archive creator, an archivist and a submission agreement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from diarium.archive import services
from diarium.archive.models import Package
from diarium.core.actors import OPERATOR
from tests import factories as f
from tests.s3server import bucket, s3_endpoint, s3_options  # noqa: F401 - fixtures

from .builder import Entry, PackageSpec, build


@pytest.fixture
def locations(settings, tmp_path) -> list[Path]:
    paths = [tmp_path / "copy-1", tmp_path / "copy-2"]
    settings.ARCHIVE_LOCATIONS = [{"name": p.name, "path": str(p)} for p in paths]
    settings.ARCHIVE_INBOX = str(tmp_path / "inbox")
    return paths


@pytest.fixture
def authority():
    return f.authority("KS", name="Kommunstyrelsen")


@pytest.fixture
def archivist(authority):
    return f.user("arkivarie", roles={authority: "archivist"})


@pytest.fixture
def creator(authority):
    return services.ensure_archive_creator(OPERATOR, authority, "212000-0000")


@pytest.fixture
def agreement(creator):
    return services.create_agreement(OPERATOR, creator, reference="LÖ-2024-1",
                                     name="Ärenden ur Diarium", producer="Diarium")


def sip(root: Path, name: str = "sip-test", data: dict[str, bytes] | None = None) -> Path:
    """A valid SIP folder whose OBJID is `name`, with the given data files."""
    files = data or {"beslut.txt": b"Beslut i arende KS 2024/17.\n"}
    spec = PackageSpec(name=name, data=[
        Entry(f"representations/rep1/data/{path}", content) for path, content in files.items()])
    return build(root, spec)


def aip_folders(location: Path, package: Package) -> list[Path]:
    return [p for p in (location / "aip").glob(f"*/{package.id}") if p.is_dir()]


def stored_tree(location: Path) -> list[str]:
    """Everything under a location, except the empty skeleton folders."""
    found = []
    for folder, _dirs, files in os.walk(location):
        found += [os.path.relpath(os.path.join(folder, n), location) for n in files]
    return sorted(found)


def s3_location(name: str, endpoint: str, bucket_name: str, **extra) -> dict:
    return {"name": name, **s3_options(endpoint, bucket_name, **extra)}
