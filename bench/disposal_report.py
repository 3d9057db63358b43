"""The disposal report streamed over a large registry: time and peak memory.

    python bench/disposal_report.py [--engine sqlite|postgres] [--sizes 100000,1000000]

For each size, `diarium benchdata --record-types --skip-index` bulk-loads that many
registered documents (one case per five documents) with record types and disposal dates
from the sample plan (reused when already loaded into the same data dir). Then, each in a
fresh process so that ru_maxrss belongs to one phase:

- baseline: `SELECT id FROM registry_document` streamed with the same chunked cursor
  (`.iterator(chunk_size=2000)`), one id per line to /dev/null; and a `COUNT(*)`;
- report: the whole report as CSV (disposal_csv.lines over disposal_selectors.stream_due,
  as an archivist of every authority sees it) written to /dev/null.

Each phase runs twice: once for the time and ru_maxrss, once under tracemalloc for the
peak of Python allocations (tracemalloc slows Python down, so its run is not timed).
Memory is flat when the peaks at 100k and at 1M documents are about the same."""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run

CHUNK = 2000


def prepare(engine: str, data_dir: Path, documents: int) -> dict:
    db_name = f"diarium_bench_disposal_{documents}"
    sub = data_dir / f"{engine}-{documents}"
    sub.mkdir(parents=True, exist_ok=True)
    env = engine_env(engine, sub, db_name)
    marker = sub / "loaded"
    if not marker.exists():
        fresh_database(engine, env, db_name)
        started = time.perf_counter()
        run(["benchdata", "--cases", str(documents // 5), "--documents", str(documents),
             "--record-types", "--skip-index"], env)
        print(f"  loaded {documents} documents in {time.perf_counter() - started:.0f} s")
        marker.touch()
    return env


def measure(phase: str, traced: bool, on: dt.date | None) -> dict:
    """Run one phase in this process and return its figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()
    from diarium.organisation.models import Authority, RoleAssignment, User
    from diarium.registry import disposal_csv
    from diarium.registry import disposal_selectors as due
    from diarium.registry.models import Document

    user, _ = User.objects.get_or_create(username="bench-archivist")
    for authority in Authority.objects.all():
        RoleAssignment.objects.get_or_create(user=user, authority=authority, role="archivist")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    rows = 0
    with open(os.devnull, "w", encoding="utf-8") as out:
        if phase == "count":
            rows = Document.objects.count()
        elif phase == "baseline":
            for pk in Document.objects.values_list("id", flat=True).iterator(chunk_size=CHUNK):
                out.write(f"{pk}\n")
                rows += 1
        else:
            criteria = due.DueCriteria(on=on or due.DueCriteria.today())
            for line in disposal_csv.lines(due.stream_due(user, criteria, chunk_size=CHUNK)):
                out.write(line)
                rows += 1
            rows -= 1  # the header
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": rows, "seconds": seconds, "tracemalloc_peak": peak, "maxrss_kb": maxrss_kb}


def phase(env: dict, name: str, traced: bool, on: dt.date | None) -> dict:
    """One phase in a fresh process, so that its ru_maxrss is its own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", name]
    command += ["--on", on.isoformat()] if on else []
    result = subprocess.run([*command, *(["--traced"] if traced else [])], env=env,
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--data-dir",
                        default=os.path.join(tempfile.gettempdir(), "diarium-bench-disposal"))
    parser.add_argument("--measure", choices=["count", "baseline", "report"])
    parser.add_argument("--traced", action="store_true")
    parser.add_argument("--on", type=dt.date.fromisoformat, default=None,
                        help="Report the documents due on this day (default today).")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.traced, args.on)))
        return
    on = args.on.isoformat() if args.on else "today"
    print(f"Disposal report, {args.engine}, due on {on}, chunk size {CHUNK}")
    for size in [int(s) for s in args.sizes.split(",")]:
        env = prepare(args.engine, Path(args.data_dir), size)
        count = phase(env, "count", False, args.on)
        print(f"\n{size:>9} documents   COUNT(*): {count['seconds'] * 1000:.0f} ms")
        for name in ("baseline", "report"):
            timed, traced = phase(env, name, False, args.on), phase(env, name, True, args.on)
            print(
                f"  {name:<8} {timed['rows']:>9} rows  {timed['seconds']:7.1f} s  "
                f"{timed['rows'] / max(timed['seconds'], 1e-9):>9.0f} rows/s  "
                f"tracemalloc peak {traced['tracemalloc_peak'] / 2**20:6.1f} MiB  "
                f"ru_maxrss {timed['maxrss_kb'] / 1024:6.1f} MiB"
            )


if __name__ == "__main__":
    main()
