"""Crash safety: `diarium archive ingest` is killed with SIGKILL at random moments. After
every kill each location holds, for the package, either nothing or a complete AIP that
matches the inventory; the database agrees; and a retry completes the package once."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diarium.archive.models import AIPFile, CopyState, Package, PackageState
from diarium.core.jobs.models import Job
from tests.workers import worker_env

from .conftest import sip

pytestmark = pytest.mark.django_db(transaction=True)
ITERATIONS = 10
BIG_FILES = 2
BIG_SIZE = 32 << 20
SMALL_FILES = 150


@pytest.fixture
def cleanup(tmp_path):
    """The archived copies are large and read-only: remove them after the test."""
    yield
    for folder, dirs, _files in os.walk(tmp_path):
        os.chmod(folder, 0o700)
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o700)
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture
def environment(settings, locations) -> dict[str, str]:
    return worker_env(settings, locations)


def command(source: Path) -> list[str]:
    return [sys.executable, "-m", "diarium", "archive", "ingest", str(source),
            "--agreement", "LÖ-2024-1", "--quiet"]


def make_data(folder: Path) -> dict[str, bytes | Path]:
    folder.mkdir(parents=True)
    data: dict[str, bytes | Path] = {}
    for n in range(BIG_FILES):
        path = folder / f"big-{n}.bin"
        path.write_bytes(os.urandom(BIG_SIZE))
        data[f"big-{n}.bin"] = path
    for n in range(SMALL_FILES):
        data[f"small/{n:04d}.txt"] = f"Handling {n}\n".encode() * 20
    return data


def package_with(root: Path, name: str, data: dict[str, bytes | Path]) -> Path:
    small = {k: v for k, v in data.items() if isinstance(v, bytes)}
    big = {k: v for k, v in data.items() if isinstance(v, Path)}
    placeholders = {k: v.read_bytes() for k, v in big.items()}  # right size and checksum
    folder = sip(root, name=name, data={**small, **placeholders})
    return folder


def final_folders(location: Path, package_id) -> list[Path]:
    return [p for p in (location / "aip").glob(f"*/{package_id}")] if (
        location / "aip").is_dir() else []


def assert_consistent(objid: str, locations: list[Path]) -> Package | None:
    rows = list(Package.objects.filter(objid=objid).exclude(state=PackageState.REJECTED))
    assert len(rows) <= 1, f"{objid}: {len(rows)} packages"
    known = {str(p.pk) for p in Package.objects.all()}
    for location in locations:
        for folder in (location / "aip").glob("*/*") if (location / "aip").is_dir() else []:
            assert folder.name in known, f"an AIP folder without a package: {folder}"
    if not rows:
        return None
    package = rows[0]
    inventory = {f.path: f.sha256 for f in AIPFile.objects.filter(package=package)}
    complete = 0
    for location in locations:
        folders = final_folders(location, package.pk)
        if not folders:
            continue
        [folder] = folders
        assert inventory, f"{folder} is in place but the inventory is not committed"
        on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
        assert on_disk == set(inventory), f"partial AIP in {folder}"
        for path, digest in inventory.items():
            assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path
        complete += 1
    if package.state == PackageState.ARCHIVED:
        assert complete == len(locations)
        assert package.copies.filter(state=CopyState.VERIFIED).count() == len(locations)
    return package


def test_kill_minus_nine_at_random_points_never_leaves_a_partial_aip(
        tmp_path, locations, agreement, environment, cleanup):
    rng = random.Random(int(os.environ.get("DIARIUM_CRASH_SEED", "20240517")))
    data = make_data(tmp_path / "data")
    # Calibrate: one ingest run to its end gives the time window to kill in.
    first = package_with(tmp_path / "pkg", "crash-calibration", data)
    started = time.monotonic()
    subprocess.run(command(first), env=environment, check=True, capture_output=True)
    window = time.monotonic() - started
    assert assert_consistent("crash-calibration", locations).state == PackageState.ARCHIVED
    phases = []
    for i in range(ITERATIONS):
        objid = f"crash-{i}"
        source = package_with(tmp_path / f"pkg-{i}", objid, data)
        for _kill in range(1 + i % 2):  # odd iterations kill the retry too
            process = subprocess.Popen(command(source), env=environment,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            delay = rng.uniform(0.3 * window, window)  # startup takes ~0.4 s
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            job = Job.objects.filter(kind="archive.ingest", params__path=str(source)).order_by(
                "-created_at").first()
            phases.append(f"{job.message if job else 'starting'}@{delay:.2f}s")
            assert_consistent(objid, locations)
        retry = subprocess.run(command(source), env=environment, capture_output=True, text=True)
        assert retry.returncode == 0, retry.stdout + retry.stderr
        package = assert_consistent(objid, locations)
        assert package is not None and package.state == PackageState.ARCHIVED
        for location in locations:
            assert list((location / ".staging").iterdir()) == []
        shutil.rmtree(source.parent)
    print(f"killed (window {window:.2f} s):", ", ".join(phases))
    assert Package.objects.count() == ITERATIONS + 1
