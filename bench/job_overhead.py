"""What running an ingest as a job costs, against calling the ingest directly, for one
small package (many small files) and one large package (a few large files).

Direct: `ingest_package(...)` in this process. As a job: `start("archive.ingest")` puts it
on the queue (a job row and a django-tasks row), and the worker's own loop (burst mode, in
this process, so no process start-up is counted) claims it, runs it with its lease and
heartbeat, and writes the outcome; timed from start() until the job is finished. Each
variant runs ROUNDS times on fresh copies of the package (alternating), medians printed.

    .venv/bin/python bench/job_overhead.py [--small-files 2000] [--large-mib 256]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _archive as A

ROUNDS = 3


def copies(make, root: Path, label: str) -> list[Path]:
    """2 * ROUNDS packages with the same payload and their own producer ids."""
    first = make(root / f"{label}-0", f"{label}-0")
    found = [first]
    for n in range(1, 2 * ROUNDS):
        target = root / f"{label}-{n}" / f"{label}-{n}"
        shutil.copytree(first, target)
        mets = target / "METS.xml"
        mets.write_text(mets.read_text(encoding="utf-8").replace(
            f'OBJID="{label}-0"', f'OBJID="{label}-{n}"'), encoding="utf-8")
        found.append(target)
    return found


def measure(paths: list[Path]) -> tuple[float, float]:
    from diarium.archive.ingest import ingest_package
    from diarium.archive.tasks import start_ingest
    from diarium.core.jobs.models import Job
    from diarium.core.jobs.worker import Worker

    direct, queued = [], []
    for n, path in enumerate(paths):
        started = time.perf_counter()
        if n % 2 == 0:
            package = ingest_package(None, path, A.AGREEMENT)
            direct.append(time.perf_counter() - started)
            assert package.state == "archived", package.error
        else:
            job = start_ingest(None, path=path, agreement=A.AGREEMENT)
            Worker(burst=True, scheduler=False, poll=0.01).run()
            queued.append(time.perf_counter() - started)
            job = Job.objects.get(pk=job.pk)
            assert job.state == "succeeded", job.error
    return statistics.median(direct), statistics.median(queued)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small-files", type=int, default=2000)
    parser.add_argument("--large-mib", type=int, default=256)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="diarium-job-overhead-"))
    try:
        env = A.instance(root / "instance")
        os.environ.update(env)
        sys.path.insert(0, str(A.ROOT / "src"))
        import django

        django.setup()
        small = copies(lambda r, name: A.package_of_small(r, name, args.small_files),
                       root / "small", "small")
        large = copies(lambda r, name: A.package_of_large(
            r, name, A.large_files(r / "data", 2, args.large_mib // 2)), root / "large", "large")
        print(f"{'package':<34} {'direct s':>9} {'as job s':>9} {'overhead s':>11} "
              f"{'ratio':>6}")
        for label, paths in ((f"small ({args.small_files} files)", small),
                             (f"large (2 x {args.large_mib // 2} MiB)", large)):
            direct, queued = measure(paths)
            print(f"{label:<34} {direct:9.3f} {queued:9.3f} {queued - direct:11.3f} "
                  f"{queued / direct:6.3f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
