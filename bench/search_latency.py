"""Search latency with a large registry: median and 95th percentile.

    python bench/search_latency.py [--engine sqlite|postgres] [--cases N] [--documents N]
                                   [--file-text] [--read-only]

Loads N cases and documents with `diarium benchdata` (reused when already loaded into the
same data dir), then times, as a registrator of one board would see them, one results page
(the capped count the search page shows, core/pagination.py, read from the matching
entries when the words are the only criterion, + the first 25 rows) for text
queries and for diarienummer lookups. Baselines in the same run: a primary-key fetch of a
case, and the raw text match of the same queries (the matching entries' case ids, with
no permission filter, no count and no order), to which the text query is compared
query by query (docs/performance.md). With --file-text every document also has its file's
text indexed (`benchdata --file-text`), and words that occur only inside files are timed
too.

--read-only reads a database that someone else loaded (its data dir's marker must be
there) without writing to it: the connection is made read-only (SQLite's query_only,
PostgreSQL's default_transaction_read_only), and the registrator is a user object that is
not saved, holding the registrator role in KS (the same searches as a saved user with
that one role who is nobody's responsible officer). Peak RSS is given for this process
and, on PostgreSQL, for the server process that ran the queries."""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database, run, summary, timed

QUERIES = [
    "bygglovet",
    "detaljplanen",
    "tillsyn Storgatan",
    "upphandlingar",
    "skolskjutsen",
    "medborgarförslag",
    "beslut om bygglov",
    "remissen",
    "Ekbacken",
    "avtalet",
]


FILE_ONLY = ["fuktskadan", "radonmätningen"]  # in benchdata's FILE_ONLY: in files only


def prepare(args) -> None:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env(args.engine, data_dir, args.db_name)
    text = "-file-text" if args.file_text else ""
    marker = data_dir / f"loaded-{args.engine}-{args.cases}-{args.documents}{text}"
    if not marker.exists():
        if args.read_only:
            sys.exit(f"--read-only: {marker} is missing (the data is not loaded)")
        fresh_database(args.engine, env, args.db_name)
        run(["benchdata", "--cases", str(args.cases), "--documents", str(args.documents),
             *(["--file-text"] if args.file_text else [])], env)
        marker.touch()
    os.environ.update(env)


def _buffers(connection) -> str:
    """PostgreSQL's shared_buffers, which decides whether the entries are read from its
    cache or the operating system's (docs/operations.md)."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        return f", shared_buffers {cursor.fetchone()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--db-name", default="diarium_bench_search",
                        help="The PostgreSQL database to (re)create and load.")
    parser.add_argument("--cpu", action="store_true",
                        help="Time this process's CPU (SQLite on a loaded machine).")
    parser.add_argument("--file-text", action="store_true",
                        help="Index a letter's text per document; time words only in files.")
    parser.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "diarium-bench"))
    parser.add_argument("--read-only", action="store_true",
                        help="Do not load nor write: read data loaded by someone else.")
    args = parser.parse_args()
    prepare(args)

    clock = time.process_time if args.cpu else time.perf_counter
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    from django.db import connection

    import diarium.wsgi  # noqa: F401 (set up as a web process is: core/collector.py)
    from diarium.core.pagination import CappedPaginator
    from diarium.organisation.models import Authority, RoleAssignment, User
    from diarium.registry import selectors
    from diarium.registry.models import Case
    from diarium.registry.selectors import CaseSearch, search_cases
    from diarium.search import backends as search

    if args.read_only:
        from diarium.organisation.selectors import access_for

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON" if connection.vendor == "sqlite"
                           else "SET default_transaction_read_only = on")
        user = User(pk=(User.objects.order_by("-pk").values_list("pk", flat=True).first()
                        or 0) + 1_000_000, username="bench-registrator")
        access_for(user).roles = {Authority.objects.get(code="KS").pk: {"registrar"}}
    else:
        user, _ = User.objects.get_or_create(username="bench-registrator")
        RoleAssignment.objects.get_or_create(
            user=user, authority=Authority.objects.get(code="KS"), role="registrar"
        )
    rng = random.Random(1)
    numbers = list(
        Case.objects.values_list("diary_number", flat=True)[:: max(1, args.cases // 500)]
    )
    ids = list(Case.objects.values_list("id", flat=True)[:: max(1, args.cases // 500)])

    # The search page's path: the cases read a page at a time from the numbered entries
    # when the words are the only criterion (a checkout from before has no fast_search).
    fast_search = getattr(selectors, "fast_search", lambda user, criteria: None)

    def page(criteria: CaseSearch):
        def go():
            qs, counted = fast_search(user, criteria), None  # counts itself
            if qs is None:
                qs = search_cases(user, criteria)
                counted = getattr(selectors, "search_count_source", lambda *a: None)(
                    user, criteria)
            len(CappedPaginator(qs, 25, counted=counted).page(1).object_list)

        return go

    def raw_match(query: str):
        def go():
            raw = search.matching_case_ids(query, secret=False)
            with connection.cursor() as cursor:
                cursor.execute(raw.sql, raw.params)
                cursor.fetchall()

        return go

    def text():
        page(CaseSearch(text=rng.choice(QUERIES)))()

    def file_only():
        page(CaseSearch(text=rng.choice(FILE_ONLY)))()

    def number():
        page(CaseSearch(diary_number=rng.choice(numbers)))()

    def baseline():
        Case.objects.get(pk=rng.choice(ids))

    for fn in (text, number, baseline):  # warm caches
        timed(fn, 5)
    base_med, base_p95 = summary(timed(baseline, args.repeat, clock))
    print(
        f"search latency, {args.engine}, {args.cases} cases, {args.documents} documents, "
        f"{args.repeat} queries each, {'CPU' if args.cpu else 'wall'} time{_buffers(connection)}"
    )
    print(f"  baseline (case by primary key): median {base_med:.2f} ms, p95 {base_p95:.2f} ms")
    timings = [("text query (page of 25 + capped count)", text),
               ("diarienummer lookup", number)]
    if args.file_text:
        timings.append(("word only inside files (page of 25 + capped count)", file_only))
    for name, fn in timings:
        med, p95 = summary(timed(fn, args.repeat, clock))
        print(
            f"  {name}: median {med:.1f} ms, p95 {p95:.1f} ms "
            f"({med / base_med:.0f}x baseline median)"
        )
    per_query = max(5, args.repeat // len(QUERIES))
    print(f"  per query, {per_query} runs each: median of the page vs the raw text match")
    for query in QUERIES + (FILE_ONLY if args.file_text else []):
        timed(raw_match(query), 2)
        raw = summary(timed(raw_match(query), per_query, clock))[0]
        full = summary(timed(page(CaseSearch(text=query)), per_query, clock))[0]
        print(f"    {query!r}: page {full:.1f} ms, raw match {raw:.1f} ms, "
              f"ratio {full / raw:.1f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"  peak RSS: this process {rss:.0f} MiB"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            peak = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM"))
            line += f"; the PostgreSQL server process {int(peak.split()[1]) / 1024:.0f} MiB"
    print(line + f"; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
