"""Helpers for the e-archive benchmarks: a Diarium instance of its own (data dir, SQLite,
two storage locations, an authority with a submission agreement), payloads of large random
files or many small files, packages around them, and timed subprocess runs."""

import concurrent.futures
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

from diarium.core.storage.durable import sync_filesystem  # noqa: E402

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


def file_floor(paths: list[Path], root: Path, folder: Path,
               copies: int = 2) -> tuple[float, float, float]:
    """(create, flush, read-back seconds): the physical floor of the ingest's guarantees
    for these files, with no database and no Python beyond the system calls: each file
    read once (from the page cache) and created in each of `copies` locations under its
    path relative to `root` (os.open O_CREAT | O_EXCL, born 0400 as a staging's files
    are, one write, close), one syncfs per location, then every created file read back
    (one thread per location, as the ingest's verification) and hashed with its pages
    dropped from the cache first (posix_fadvise DONTNEED, as
    core/storage/durable.hash_file does for the ingest's verification). Each file is held
    in memory whole: meant for small files (large ones have `disk_bound`).

    The copies are left in `folder` for the caller to remove after the ingest has run:
    this file system (ext4 without a journal) passes over the inodes freed in the last
    60 s (5 min while their table is not yet written back) when it creates files
    (`recently_deleted` in ext4's ialloc.c), so 20 000 deletions just before the ingest
    made its creations 5-10 times slower in trial runs."""
    new = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    locations = [folder / f"copy-{copy + 1}" for copy in range(copies)]
    written: list[str] = []
    started = time.perf_counter()
    made: set[Path] = set()
    for path in paths:
        with path.open("rb") as source:
            data = source.read()
        relative = path.relative_to(root)
        for location in locations:
            target = location / relative
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            fd = os.open(target, new, 0o400)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            written.append(str(target))
    create_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for location in locations:
        sync_filesystem(location)  # as the ingest's store flushes a location
    flush_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # One reading thread per location, as the ingest's verification reads its copies.
    with concurrent.futures.ThreadPoolExecutor(max_workers=copies) as pool:
        list(pool.map(_read_back, [written[n::copies] for n in range(copies)]))
    read_seconds = time.perf_counter() - started
    return create_seconds, flush_seconds, read_seconds


def _read_back(paths: list[str]) -> None:
    buffer = bytearray(1 << 20)
    chunk = memoryview(buffer)
    for target in paths:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            digest = hashlib.sha256()
            while n := os.readv(fd, [buffer]):
                digest.update(chunk[:n])
        finally:
            os.close(fd)


def compile_code(env: dict) -> None:
    """Compile the diarium package the ingest will import (the first on its PYTHONPATH),
    as installing it does: with PYTHONDONTWRITEBYTECODE set (as on the bench machines) a
    checkout's modules would otherwise be compiled again at every start."""
    code = "import diarium, os; print(os.path.dirname(diarium.__file__))"
    folder = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                            capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], env=env, check=True)


def children_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def mb_s(size: int, seconds: float) -> float:
    return size / 1e6 / seconds if seconds else 0.0
