"""Peak memory of `diarium archive ingest` as the package grows: it streams every file in
1 MiB chunks, so the peak resident set (ru_maxrss of the ingest process) must stay flat.

    python bench/ingest_memory.py [--sizes-mb 100,500,1000,2048] [--files 4]

Each package holds `--files` random files sharing the size. Prints figures; asserts nothing."""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import _archive as A


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", default="100,500,1000,2048",
                        help="package sizes in MiB (2048 = 2 GiB)")
    parser.add_argument("--files", type=int, default=4)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes_mb.split(",")]
    print(f"{'package':>10}  {'files':>5}  {'seconds':>8}  {'MB/s':>6}  {'peak RSS':>9}")
    peaks = []
    with tempfile.TemporaryDirectory(prefix="diarium-bench-") as folder:
        work = Path(folder)
        for mib in sizes:
            env = A.instance(work / f"instance-{mib}")
            files = A.large_files(work / "payload", options.files,
                                  max(1, mib // options.files))
            package = A.package_of_large(work / f"pkg-{mib}", f"bench-{mib}", files)
            seconds, rss = A.ingest(env, package)
            size = A.size_of(A.payload(package))
            peaks.append(rss)
            print(f"{mib:>7} MiB  {options.files:>5}  {seconds:8.2f}  {A.mb_s(size, seconds):6.0f}"
                  f"  {rss / 1024:6.0f} MiB")
            shutil.rmtree(work / f"pkg-{mib}")
            shutil.rmtree(work / f"instance-{mib}")
    print(f"peak RSS from smallest to largest package: {peaks[0] / 1024:.0f} → "
          f"{peaks[-1] / 1024:.0f} MiB ({peaks[-1] / peaks[0]:.2f}×) while the package grew "
          f"{sizes[-1] / sizes[0]:.0f}×")


if __name__ == "__main__":
    sys.exit(main())
