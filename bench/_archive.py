"""Helpers for the e-archive benchmarks: a Diarium instance of its own (data dir, SQLite,
two storage locations, an authority with a submission agreement), payloads of large random
files or many small files, packages around them, and timed subprocess runs."""

import hashlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package builder lives with the tests

from tests.archive.builder import Entry, PackageSpec, build  # noqa: E402

DIARIUM = [sys.executable, "-m", "diarium"]
AGREEMENT = "LÖ-BENCH"
SETUP = """
from diarium.organisation.models import Authority, Municipality
from diarium.archive import services
from diarium.core.actors import OPERATOR
m = Municipality.objects.create(name="Bänkby kommun", code="9999")
a = Authority.objects.create(municipality=m, name="Kommunstyrelsen", code="KS")
c = services.ensure_archive_creator(OPERATOR, a)
services.create_agreement(OPERATOR, c, reference="LÖ-BENCH", name="Bench", producer="Bench")
"""


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database `url` names (a bench's own, emptied)."""
    import psycopg

    name = url.rstrip("/").rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def instance(folder: Path) -> dict:
    """A fresh Diarium in `folder` with copy-1 and copy-2 under it: SQLite, or the
    PostgreSQL database DIARIUM_BENCH_DATABASE_URL names (dropped and made again)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    if url := os.environ.get("DIARIUM_BENCH_DATABASE_URL"):
        fresh_database(url)
        env["DIARIUM_DATABASE_URL"] = url
    # A PYTHONPATH given stays first (e.g. another checkout's src, to compare its code).
    paths = [p for p in (os.environ.get("PYTHONPATH", ""), str(ROOT)) if p]
    env.update(DIARIUM_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="diarium.settings",
               PYTHONPATH=os.pathsep.join(paths))
    subprocess.run([*DIARIUM, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*DIARIUM, "shell", "-v0", "-c", SETUP], env=env, check=True)
    return env


def large_files(folder: Path, count: int, mib: int) -> list[tuple[str, Path, int, str]]:
    """`count` files of `mib` MiB of random data: (name, path, size, sha256)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        path = folder / f"large-{n}.bin"
        digest = hashlib.sha256()
        with path.open("wb") as out:
            for _ in range(mib):
                block = os.urandom(1 << 20)
                out.write(block)
                digest.update(block)
        files.append((path.name, path, mib << 20, digest.hexdigest()))
    return files


def package_of_large(root: Path, name: str, files) -> Path:
    """A SIP whose data are the given files, moved into it (not copied)."""
    spec = PackageSpec(name=name, data=[
        Entry(f"representations/rep1/data/{n}", b"", mimetype="application/octet-stream",
              size=str(size), checksum=sha, write=False) for n, _p, size, sha in files])
    package = build(root, spec)
    for n, path, _size, _sha in files:
        os.replace(path, package / "representations/rep1/data" / n)
    return package


def package_of_small(root: Path, name: str, count: int) -> Path:
    data = [Entry(f"representations/rep1/data/{i // 1000:03d}/doc-{i:05d}.txt",
                  (f"Handling {i} i ärende KS 2024/{i}.\n" * 8).encode()) for i in range(count)]
    return build(root, PackageSpec(name=name, data=data))


def payload(package: Path) -> list[Path]:
    return sorted(p for p in (package / "representations").rglob("*") if p.is_file())


def size_of(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def timed_child(args: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """(seconds, peak resident memory in KiB, standard output) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out}\n{err}")
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss, out


LAST_CPU = [0.0]  # CPU seconds (user + system) of the last timed child


def ingest(env: dict, package: Path) -> tuple[float, int]:
    seconds, rss, _out = timed_child([*DIARIUM, "archive", "ingest", str(package),
                                      "--agreement", AGREEMENT, "--quiet"], env)
    return seconds, rss


def job_log(env: dict, kind: str = "archive.ingest") -> str:
    code = ("from diarium.core.jobs.models import Job; "
            f"print(Job.objects.filter(kind={kind!r}).first().log)")
    done = subprocess.run([*DIARIUM, "shell", "-v0", "-c", code], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout


def openssl(paths: list[Path], processes: int = 1) -> float:
    """Seconds for `openssl dgst -sha256` over the paths, split over `processes`."""
    started = time.perf_counter()
    groups = [paths[i::processes] for i in range(processes)]
    running = []
    for group in groups:
        for start in range(0, len(group), 2000):  # stay below the argument length limit
            running.append(subprocess.Popen(["openssl", "dgst", "-sha256",
                                             *map(str, group[start:start + 2000])],
                                            stdout=subprocess.DEVNULL))
            if processes == 1:
                running[-1].wait()
    for process in running:
        process.wait()
    return time.perf_counter() - started


def disk_write_limit(folder: Path, mib: int = 1024) -> float:
    """MB/s of one sequential write of `mib` MiB, flushed (dd conv=fsync)."""
    target = folder / "dd.bin"
    started = time.perf_counter()
    subprocess.run(["dd", "if=/dev/zero", f"of={target}", "bs=1M", f"count={mib}",
                    "conv=fsync"], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    target.unlink()
    return mib * (1 << 20) / 1e6 / seconds


def disk_bound(paths: list[Path], folder: Path, copies: int = 2) -> tuple[float, float]:
    """(write seconds, read seconds) of what the ingest's copies cannot go below on this
    disk: each file written with `dd … conv=fsync` to each of `copies` locations, then
    each written file read back with its pages dropped from the cache first (as the
    ingest's verification reads them)."""
    written = []
    started = time.perf_counter()
    for copy in range(copies):
        location = folder / f"dd-copy-{copy + 1}"
        location.mkdir(parents=True, exist_ok=True)
        for path in paths:
            target = location / path.name
            subprocess.run(["dd", f"if={path}", f"of={target}", "bs=4M", "conv=fsync"],
                           check=True, capture_output=True)
            written.append(target)
    write_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for target in written:
        with target.open("rb") as f:
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            while f.read(4 << 20):
                pass
    read_seconds = time.perf_counter() - started
    for target in written:
        target.unlink()
    return write_seconds, read_seconds


def children_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def mb_s(size: int, seconds: float) -> float:
    return size / 1e6 / seconds if seconds else 0.0
