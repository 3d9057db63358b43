"""Ingest throughput: `diarium archive ingest` (validate, write two copies, flush, read both
back from disk and verify) against the hashing limit (`openssl dgst -sha256` over the same
files, one process), against bagit-python (make a bag with SHA-256, then validate it) and,
for the small files, against the file floor: the same files created in two locations,
flushed and read back uncached with no database and no start-up (`_archive.file_floor`),
what the ingest's guarantees cannot go below on this disk.

    python bench/ingest_throughput.py [--large-files 4] [--large-mib 512] [--small-files 10000]

DIARIUM_BENCH_DATABASE_URL=postgres://…/<db> runs the ingest on PostgreSQL (that database
is dropped and made again).

Needs the "bench" extra (pip install -e '.[bench]') for bagit. Prints figures; asserts
nothing. Everything is made in a temporary folder and removed afterwards."""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _archive as A


def bagit_times(package: Path, work: Path) -> tuple[float, float]:
    import bagit

    bag_dir = work / "bag"
    bag_dir.mkdir()
    for path in A.payload(package):  # hard links: the same bytes, no copy
        target = bag_dir / path.relative_to(package)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    started = time.perf_counter()
    bag = bagit.make_bag(str(bag_dir), checksums=["sha256"])
    made = time.perf_counter() - started
    started = time.perf_counter()
    bag.validate()
    validated = time.perf_counter() - started
    shutil.rmtree(bag_dir)
    return made, validated


def measure(label: str, package: Path, work: Path, large: bool = False,
            keep: bool = False) -> None:
    files = A.payload(package)
    size = A.size_of(files)
    A.openssl(files)  # warm the page cache for everyone
    hashing = min(A.openssl(files) for _ in range(2))
    made, validated = bagit_times(package, work)
    limit = A.disk_bound(files, work) if large else None
    A.sync_filesystem(work)  # what bagit wrote is not charged to the floor's flush
    floor = None if large else A.file_floor(files, package, work / "floor")
    env = A.instance(work / "instance")
    A.compile_code(env)
    startup = min(A.timed_child([*A.DIARIUM, "archive", "--help"], env)[0] for _ in range(3))
    A.sync_filesystem(work)  # nor what making the instance wrote to the ingest's
    seconds, rss = A.ingest(env, package)
    cpu = A.LAST_CPU[0]
    log = A.job_log(env)
    if not keep:
        shutil.rmtree(work / "instance")
        shutil.rmtree(work / "floor", ignore_errors=True)  # only now (see A.file_floor)
    print(f"\n{label}: {len(files)} files, {size / 1e6:.0f} MB")
    print(f"  openssl dgst -sha256 (1 process)     {hashing:7.2f} s  "
          f"{A.mb_s(size, hashing):7.0f} MB/s")
    print(f"  bagit make_bag(sha256) + validate    {made + validated:7.2f} s  "
          f"{A.mb_s(size, made + validated):7.0f} MB/s  (make {made:.2f} s, validate "
          f"{validated:.2f} s)")
    print(f"  diarium archive ingest (2 copies)    {seconds:7.2f} s  "
          f"{A.mb_s(size, seconds):7.0f} MB/s  peak RSS {rss / 1024:.0f} MiB  CPU {cpu:.2f} s")
    print(f"  ingest / openssl: {hashing / seconds:.2f}   ingest / bagit: "
          f"{(made + validated) / seconds:.2f}   (higher is faster; ingest reads the SIP twice, "
          f"writes 2 copies, reads both back)")
    if floor is not None:
        create_s, flush_s, read_s = floor
        total = sum(floor)
        print(f"  file floor: create 2 × {len(files)} files {create_s:.2f} s + syncfs × 2 "
              f"{flush_s:.2f} s + uncached read-back {read_s:.2f} s = {total:.2f} s  "
              f"(no database, no start-up)")
        goal = 2 * (made + validated)  # 0.5 of bagit's speed
        print(f"  ingest / file floor: {total / seconds:.2f}   file floor / bagit: "
              f"{(made + validated) / total:.2f}   (0.5 of bagit is {goal:.2f} s: "
              f"{'at or above' if goal >= total else 'below'} the file floor)")
    if limit is not None:
        write_s, read_s = limit
        print(f"  disk-bound limit: dd conv=fsync to 2 locations {write_s:.2f} s + uncached "
              f"read-back {read_s:.2f} s = {write_s + read_s:.2f} s  "
              f"{A.mb_s(size, write_s + read_s):7.0f} MB/s of package")
        print(f"  ingest / disk-bound limit: {(write_s + read_s) / seconds:.2f}")
    print(f"  load average {os.getloadavg()[0]:.1f}; database "
          f"{'PostgreSQL' if os.environ.get('DIARIUM_BENCH_DATABASE_URL') else 'SQLite'}")
    work_seconds = 0.0
    for line in log.splitlines():
        if " done:" in line:
            print(f"    {line.split(' ', 1)[1]}")
            work_seconds += float(line.split(" in ")[1].split(" s")[0])
    print(f"    (validate + copy + verify {work_seconds:.2f} s; start-up (`diarium archive "
          f"--help`, best of 3) {startup:.2f} s; the rest is the database, the metadata "
          "files, the renames and the catalogue)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large-files", type=int, default=4)
    parser.add_argument("--large-mib", type=int, default=512)
    parser.add_argument("--small-files", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true",
                        help="leave the work folder (printed) for the caller to remove: "
                        "for runs in a row on a file system that creates files slowly "
                        "for minutes after many deletions (see _archive.file_floor)")
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; page cache warm "
          "for openssl and bagit; the ingest reads its copies back from disk (page cache "
          "dropped)")
    if options.keep:
        folder = tempfile.mkdtemp(prefix="diarium-bench-")
        print(f"work folder {folder} (kept)")
        run(options, Path(folder))
        return
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        run(options, Path(folder))
    # What was removed is written back, so that a run started a minute from now creates
    # files at the usual speed (see _archive.file_floor).
    A.sync_filesystem(Path(tempfile.gettempdir()))


def run(options: argparse.Namespace, work: Path) -> None:
    disk = A.disk_write_limit(work)
    print(f"disk: dd 1 GiB with conv=fsync {disk:.0f} MB/s (the ingest writes every byte "
          f"twice, so its copy phase is bound at about {disk / 2:.0f} MB/s of package)")
    if options.large_files:
        files = A.large_files(work / "payload", options.large_files, options.large_mib)
        package = A.package_of_large(work / "large", "bench-large", files)
        measure(f"{options.large_files} × {options.large_mib} MiB", package, work,
                large=True, keep=options.keep)
        if not options.keep:
            shutil.rmtree(work / "large")
    if options.small_files:
        package = A.package_of_small(work / "small", "bench-small", options.small_files)
        measure(f"{options.small_files} small files", package, work, keep=options.keep)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
