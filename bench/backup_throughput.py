"""Backup and restore throughput: `diarium backup create` and `diarium backup restore`
against the bare tools on the same data in the same run: the engine's own dump (pg_dump
-Fc, or SQLite's online backup) plus a plain copy of the stored folders (`cp -a`), and
pg_restore (or the backup API) plus `cp -a` back.

    python bench/backup_throughput.py [--engine sqlite|postgres|both] [--files 2000]
                                      [--file-kib 32] [--large-mib 256]

The installation: --files document files of --file-kib KiB in the file store (with their
rows), one package of one --large-mib MiB file ingested into the archive's two locations,
and a signed audit checkpoint. MB counts the database dump plus every stored byte read
(both archive copies), the same figure for ours and the baseline. Ours also hashes every
byte, keeps each content once, proves every file the database names is in the backup, and
on restore reads each stored file back from the disk; the baseline does none of that.
Prints figures and ratios; asserts nothing."""

import argparse
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _archive as A
import _common as C

SEED = """
import hashlib, io, os
from diarium.documents.models import StoredFile
from diarium.documents.store import file_store
store = file_store()
for n in range({files}):
    data = os.urandom({size})
    sha = hashlib.sha256(data).hexdigest()
    row = StoredFile(sha256=sha, size=len(data), mime_type="application/octet-stream")
    store.write(row.storage_name, io.BytesIO(data))
    row.save()
"""


def folders(root: Path) -> list[Path]:
    return [root / "data" / "files", root / "arkiv-a", root / "arkiv-b", root / "checkpoints",
            root / "data" / "keys"]


def environment(engine: str, root: Path) -> dict:
    env = C.engine_env(engine, root / "data", "diarium_bench_backup")
    env.update(DIARIUM_ARCHIVE_LOCATIONS=f"copy-1={root / 'arkiv-a'},copy-2={root / 'arkiv-b'}",
               DIARIUM_AUDIT_CHECKPOINT_DIRS=str(root / "checkpoints"),
               DIARIUM_JOB_SCHEDULE="{}", PYTHONPATH=str(C.ROOT),
               DJANGO_SETTINGS_MODULE="diarium.settings")
    return env


def wipe(engine: str, env: dict, root: Path) -> None:
    if engine == "postgres":
        for sql in ("DROP DATABASE IF EXISTS diarium_bench_backup WITH (FORCE)",
                    "CREATE DATABASE diarium_bench_backup"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql],
                           check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{root / 'data' / 'diarium.sqlite3'}{suffix}").unlink(missing_ok=True)
    for folder in folders(root):
        if folder.exists():
            subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=True)
            shutil.rmtree(folder)


def drop_caches() -> None:
    """Start each measurement from the disk where the machine lets us (root on Linux)."""
    subprocess.run(["sync"], check=True)
    with contextlib.suppress(OSError):
        Path("/proc/sys/vm/drop_caches").write_text("3\n")


def stored_bytes(root: Path) -> int:
    return sum(p.stat().st_size for f in folders(root) if f.exists()
               for p in f.rglob("*") if p.is_file())


def bare_backup(engine: str, root: Path, out: Path) -> float:
    out.mkdir()
    started = time.perf_counter()
    if engine == "postgres":
        subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--format=custom",
                        f"--file={out / 'db.pgdump'}", "diarium_bench_backup"], check=True)
    else:
        source = sqlite3.connect(root / "data" / "diarium.sqlite3")
        target = sqlite3.connect(out / "db.sqlite3")
        source.backup(target)
        target.close()
        source.close()
    for n, folder in enumerate(folders(root)):
        if folder.exists():
            subprocess.run(["cp", "-a", str(folder), str(out / f"f{n}")], check=True)
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - started


def bare_restore(engine: str, root: Path, out: Path) -> float:
    started = time.perf_counter()
    if engine == "postgres":
        subprocess.run(["pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner",
                        "--single-transaction", "--dbname=diarium_bench_backup",
                        str(out / "db.pgdump")], check=True)
    else:
        source = sqlite3.connect(out / "db.sqlite3")
        target = sqlite3.connect(root / "data" / "diarium.sqlite3")
        source.backup(target)
        target.close()
        source.close()
    for n, folder in enumerate(folders(root)):
        if (out / f"f{n}").exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cp", "-a", str(out / f"f{n}"), str(folder)], check=True)
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - started


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([*C.DIARIUM, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(engine: str, work: Path, options) -> None:
    root = work / engine
    root.mkdir()
    env = environment(engine, root)
    wipe(engine, env, root)
    C.run(["migrate", "-v0"], env)
    C.run(["shell", "-v0", "-c", A.SETUP], env)
    C.run(["shell", "-v0", "-c", SEED.format(files=options.files,
                                             size=options.file_kib * 1024)], env)
    if options.large_mib:
        files = A.large_files(work / "payload", 1, options.large_mib)
        package = A.package_of_large(work / "sip", "bench-backup", files)
        A.ingest(env, package)
        shutil.rmtree(work / "sip", ignore_errors=True)
        shutil.rmtree(work / "payload", ignore_errors=True)
    C.run(["audit", "checkpoint"], env, stdout=subprocess.DEVNULL)
    stored = stored_bytes(root)

    drop_caches()
    bare_seconds = bare_backup(engine, root, work / f"{engine}-bare")
    dump = next((work / f"{engine}-bare").glob("db.*")).stat().st_size
    size = dump + stored
    drop_caches()
    ours_seconds = timed(["backup", "create", "--out", str(work / f"{engine}-ours")], env)
    kept = sum(p.stat().st_size for p in (work / f"{engine}-ours").rglob("*") if p.is_file())

    wipe(engine, env, root)
    (root / "data").mkdir(parents=True, exist_ok=True)
    drop_caches()
    bare_restore_seconds = bare_restore(engine, root, work / f"{engine}-bare")
    wipe(engine, env, root)
    (root / "data").mkdir(parents=True, exist_ok=True)
    drop_caches()
    ours_restore_seconds = timed(["backup", "restore", str(work / f"{engine}-ours")], env)

    mb = size / 1e6
    print(f"\n{engine}: database dump {dump / 1e6:.1f} MB + stored files {stored / 1e6:.1f} MB "
          f"= {mb:.1f} MB (backup folder: ours {kept / 1e6:.1f} MB, each content once)")
    for label, bare, ours in (("backup ", bare_seconds, ours_seconds),
                              ("restore", bare_restore_seconds, ours_restore_seconds)):
        print(f"  {label} bare tools + cp -a   {bare:7.2f} s  {mb / bare:7.1f} MB/s")
        print(f"  {label} diarium backup       {ours:7.2f} s  {mb / ours:7.1f} MB/s  "
              f"({bare / ours:.2f} × the bare tools' rate, with start-up)")
    shutil.rmtree(work / f"{engine}-bare")
    subprocess.run(["chmod", "-R", "u+rwx", str(work / f"{engine}-ours")], check=True)
    shutil.rmtree(work / f"{engine}-ours")
    wipe(engine, env, root)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--file-kib", type=int, default=32)
    parser.add_argument("--large-mib", type=int, default=256)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores; {options.files} files of {options.file_kib} KiB, "
          f"one package of {options.large_mib} MiB in two archive copies")
    engines = ["sqlite", "postgres"] if options.engine == "both" else [options.engine]
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        for engine in engines:
            measure(engine, Path(folder), options)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
