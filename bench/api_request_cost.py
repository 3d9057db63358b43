"""CPU time and queries of one API request, in process (Django's test client, SQLite or
PostgreSQL), for the three requests of bench/api_throughput.py: a bare Django view
(/health/live), the authenticated GET /api/v1/authorities/ (twelve boards) and
POST /api/v1/cases/.

    python bench/api_request_cost.py [--requests 200] [--sql] [--lock]

Prints, per request, the queries it made and the median CPU time of this process (on a
shared machine the work one request costs, which other jobs do not inflate much). With
--lock, for the create also how long the series' number is locked: wall and CPU time
from the number's UPDATE to the end of the commit, and the statements made meanwhile. The
database is made fresh in a temporary data dir (DIARIUM_DATABASE_URL, when set, is used
as it is: point it at a database of your own). Asserts nothing."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BOARDS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sql", action="store_true", help="print each request's queries")
    parser.add_argument("--lock", action="store_true",
                        help="time the create's hold of the number's lock")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="diarium-bench-request-"))
    (data_dir / "static").mkdir()
    # Connections kept open between requests, as bench/api_throughput.py runs gunicorn.
    os.environ.update(DIARIUM_DATA_DIR=str(data_dir), DIARIUM_API_RATE_USER="off",
                      DIARIUM_DB_CONN_AGE="600", DJANGO_SETTINGS_MODULE="diarium.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from diarium.organisation.models import Authority, Municipality, RoleAssignment, User
    from diarium.registry.models import DiarySeries

    call_command("migrate", verbosity=0)
    m, _ = Municipality.objects.get_or_create(code="9998", defaults={"name": "Benchkommun"})
    for code in BOARDS:
        Authority.objects.get_or_create(code=code, defaults={"municipality": m, "name": code})
    ks = Authority.objects.get(code="KS")
    DiarySeries.objects.get_or_create(code="KS", defaults={"authority": ks, "name": "KS"})
    user, _ = User.objects.get_or_create(username="bench")
    RoleAssignment.objects.get_or_create(user=user, authority=ks, role="registrar")
    out = StringIO()
    call_command("token", "bench", stdout=out)
    client = Client(HTTP_HOST="localhost",
                    HTTP_AUTHORIZATION=f"Token {out.getvalue().split()[-1]}")
    made = [0]

    def bare() -> None:
        assert client.get("/health/live").status_code == 200

    def read() -> None:
        assert client.get("/api/v1/authorities/").status_code == 200

    def create() -> None:
        made[0] += 1
        response = client.post("/api/v1/cases/", {"series": "KS", "title": f"Ä {made[0]}"},
                               content_type="application/json")
        assert response.status_code == 201, response.content

    print(f"API request cost, {connection.vendor}, in process, {args.requests} requests "
          f"each, load average {os.getloadavg()[0]:.1f}")
    for label, fn in (("bare Django view /health/live", bare),
                      ("GET /api/v1/authorities/", read), ("POST /api/v1/cases/", create)):
        for _ in range(20):
            fn()
        # Counted by a wrapper: CaptureQueriesContext loses them, since every request
        # starts by clearing the connection's query log.
        queries: list[str] = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            fn()
        times = []
        for _ in range(args.requests):
            started = time.process_time()
            fn()
            times.append((time.process_time() - started) * 1000)
        print(f"  {label:32s} {len(queries):3d} queries  median CPU "
              f"{statistics.median(times):6.2f} ms")
        if args.sql:
            for sql in queries:
                print(f"      {sql[:150]}")
        if args.lock and fn is create:
            lock_hold(create, args.requests, connection, transaction)


def lock_hold(create, requests: int, connection, transaction) -> None:
    """Wall and CPU milliseconds from the counter's UPDATE (which locks the series'
    number) to the end of the commit (on_commit runs after it), and what ran meanwhile."""
    holds: list[tuple[float, float]] = []
    held: list[str] = []
    state: dict = {}

    def watch(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "registry_diarycounter" in sql:
            state.update(wall=time.perf_counter(), cpu=time.process_time(), sqls=[])
            transaction.on_commit(lambda: holds.append(
                ((time.perf_counter() - state["wall"]) * 1000,
                 (time.process_time() - state["cpu"]) * 1000)))
        if "sqls" in state:
            state["sqls"].append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        for _ in range(requests):
            create()
            held[:] = state.pop("sqls", [])
    walls = sorted(wall for wall, _ in holds)
    print(f"      number's lock held: median {statistics.median(walls):.2f} ms wall "
          f"(p90 {walls[int(len(walls) * 0.9)]:.2f}), "
          f"{statistics.median(cpu for _, cpu in holds):.2f} ms CPU, "
          f"{len(held)} statements and the commit:")
    for sql in held:
        print(f"        {sql[:110]}")


if __name__ == "__main__":
    main()
