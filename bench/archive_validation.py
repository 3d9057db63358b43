"""Speed of `diarium archive validate`: a package of 10,000 small files (folder, ZIP,
TAR.GZ) and one 2 GiB file compared with `openssl dgst -sha256` on the same file.

    python bench/archive_validation.py [--files 10000] [--gib 2]

Prints figures; asserts nothing (timings belong here, not in tests)."""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package builder lives with the tests

from tests.archive.builder import Entry, PackageSpec, build, tar_folder, zip_folder  # noqa: E402

from diarium.archive.validation import validate_package  # noqa: E402


def timed(label: str, path: Path, repeat: int = 1) -> float:
    elapsed = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        report = validate_package(path)
        elapsed = min(elapsed, time.perf_counter() - started)
    errors = len(report.errors)
    print(f"  {label:<28} {elapsed:7.2f} s  files checked {len(report.files):>6}  "
          f"errors {errors}")
    return elapsed


def many_files(work: Path, count: int) -> None:
    data = [Entry(f"representations/rep1/data/{i // 1000:03d}/doc-{i:05d}.txt",
                  f"Handling {i} i ärende KS 2024/{i}.\n".encode()) for i in range(count)]
    package = build(work / "many", PackageSpec(name="many", data=data))
    print(f"{count} small files:")
    timed("folder", package)
    timed("zip", zip_folder(package, work / "many.zip"))
    timed("tar.gz", tar_folder(package, work / "many.tar.gz"))


def big_file(work: Path, gib: int) -> None:
    target = work / "big.bin"
    block = os.urandom(1 << 20)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for _ in range(gib * 1024):
            out.write(block)
            digest.update(block)
    size = target.stat().st_size
    spec = PackageSpec(name="big", data=[Entry("representations/rep1/data/big.bin", b"",
                                               mimetype="application/octet-stream",
                                               size=str(size), checksum=digest.hexdigest(),
                                               write=False)])
    package = build(work / "bigpkg", spec)
    shutil.move(target, package / "representations/rep1/data/big.bin")
    moved = package / "representations/rep1/data/big.bin"
    print(f"one {gib} GiB file (SHA-256, page cache warm, best of 3):")
    openssl = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(["openssl", "dgst", "-sha256", str(moved)], check=True,
                       stdout=subprocess.DEVNULL)
        openssl = min(openssl, time.perf_counter() - started)
    print(f"  {'openssl dgst -sha256':<28} {openssl:7.2f} s  "
          f"{size / openssl / 2**20:7.0f} MiB/s")
    ours = timed("diarium archive validate", package, repeat=3)
    print(f"  {'':<28} {'':7}    {size / ours / 2**20:7.0f} MiB/s "
          f"({openssl / ours * 100:.0f}% of openssl)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--gib", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        work = Path(folder)
        many_files(work, options.files)
        if options.gib:
            big_file(work, options.gib)


if __name__ == "__main__":
    main()
