"""Peak memory and report size of `diarium archive validate` on a METS that references
files that are not in the package: one broken requirement repeated N times must give one
grouped finding, so memory and report size stay flat in N.

    python bench/validation_memory.py [--counts 1000,10000,100000]

Each size is validated in a child process (`diarium archive validate --json`); its peak
resident set (ru_maxrss) and the JSON report's size are printed against the smallest
package, measured in the same run. Prints figures; asserts nothing."""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package builder lives with the tests

from tests.archive.builder import Entry, PackageSpec, build  # noqa: E402


def package_with_missing(root: Path, count: int) -> Path:
    data = [Entry(f"representations/rep1/data/{i // 1000:03d}/doc-{i:06d}.txt", b"x",
                  write=False) for i in range(count)]
    return build(root, PackageSpec(name=f"missing-{count}", data=data))


def validate(package: Path) -> tuple[int, int, int]:
    """(peak RSS in KiB, JSON report bytes, exit code) of one validation in a child."""
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, "-m", "diarium", "archive", "validate",
                                  "--json", str(package)], stdout=out,
                                 stderr=subprocess.DEVNULL, env=dict(os.environ))
        _pid, status, usage = os.wait4(child.pid, 0)
        size = out.seek(0, os.SEEK_END)
    return usage.ru_maxrss, size, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000,10000,100000")
    counts = [int(c) for c in parser.parse_args().counts.split(",")]
    print(f"{'missing files':>13}  {'peak RSS':>9}  {'JSON report':>11}  exit")
    rows = []
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        for count in counts:
            package = package_with_missing(Path(folder) / str(count), count)
            rss, size, code = validate(package)
            rows.append((count, rss, size))
            print(f"{count:>13,}  {rss / 1024:6.0f} MiB  {size / 1024:8.0f} KiB  {code}")
    (first, rss0, size0), (last, rss1, size1) = rows[0], rows[-1]
    print(f"from {first:,} to {last:,} missing files ({last / first:.0f}×): peak RSS "
          f"{rss1 / rss0:.2f}×, report size {size1 / size0:.2f}×")


if __name__ == "__main__":
    main()
