"""Fixity audit throughput: `diarium archive verify` over both stored copies, with one and
with two workers, against `openssl dgst -sha256` over the same stored files (one process,
and two processes for the two-core comparison).

    python bench/fixity_throughput.py [--large-files 4] [--large-mib 512] [--small-files 10000]

The audit drops each file from the page cache before reading it (it must read the disk);
openssl reads through the page cache. Prints figures; asserts nothing."""

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import _archive as A


def stored_files(env: dict) -> list[Path]:
    data = Path(env["DIARIUM_DATA_DIR"]) / "archive"
    return sorted(p for p in data.glob("copy-*/aip/*/*/**/*") if p.is_file())


def measure(label: str, env: dict) -> None:
    files = stored_files(env)
    size = A.size_of(files)
    print(f"\n{label}: {len(files)} stored files in 2 copies, {size / 1e6:.0f} MB")
    A.openssl(files)
    for processes in (1, 2):
        seconds = min(A.openssl(files, processes) for _ in range(2))
        print(f"  openssl dgst -sha256, {processes} process(es)   {seconds:7.2f} s  "
              f"{A.mb_s(size, seconds):7.0f} MB/s")
        baseline = seconds
        wall, _rss, out = A.timed_child([*A.DIARIUM, "archive", "verify", "--quiet",
                                         "--workers", str(processes)], env)
        audit = float(re.search(r"MB in ([0-9.]+) s", out).group(1))
        print(f"  diarium archive verify --workers {processes}     {audit:7.2f} s  "
              f"{A.mb_s(size, audit):7.0f} MB/s  ({baseline / audit:.2f} × openssl with "
              f"{processes} process(es); {wall:.2f} s with start-up)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large-files", type=int, default=4)
    parser.add_argument("--large-mib", type=int, default=512)
    parser.add_argument("--small-files", type=int, default=10_000)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        work = Path(folder)
        if options.large_files:
            env = A.instance(work / "large-instance")
            files = A.large_files(work / "payload", options.large_files, options.large_mib)
            package = A.package_of_large(work / "large", "bench-large", files)
            A.ingest(env, package)
            shutil.rmtree(work / "large")
            measure(f"{options.large_files} × {options.large_mib} MiB", env)
            shutil.rmtree(work / "large-instance")
        if options.small_files:
            env = A.instance(work / "small-instance")
            package = A.package_of_small(work / "small", "bench-small", options.small_files)
            A.ingest(env, package)
            measure(f"{options.small_files} small files", env)


if __name__ == "__main__":
    sys.exit(main())
