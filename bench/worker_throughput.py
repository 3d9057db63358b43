"""Job throughput on PostgreSQL with 1, 2 and 4 `diarium worker` processes, against a bare
`SELECT … FOR UPDATE SKIP LOCKED` loop with as many processes, in the same run.

Each round queues TASKS no-op jobs (kind core.probe), then starts N workers in burst mode;
the rate counts from the first job started to the last one finished (process start-up is
not counted). The baseline: N processes that each take a row from a plain table with
SELECT … FOR UPDATE SKIP LOCKED LIMIT 1, mark it done and commit, until none is left: the
least any database queue can do per task. The ratio says what the job machinery costs
(the queue row and the job row, the lease, the outcome, the heartbeat thread).

    DIARIUM_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/diarium_bench \\
        .venv/bin/python bench/worker_throughput.py [--tasks 1000]
(the database is dropped and created afresh)."""

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import psycopg.sql

ROOT = Path(__file__).resolve().parent.parent
DIARIUM = [sys.executable, "-m", "diarium"]
QUEUE_SQL = "CREATE TABLE bench_queue (id serial PRIMARY KEY, done boolean DEFAULT false)"


def fresh_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        ident = psycopg.sql.Identifier(name)
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))


def bare_worker(url: str) -> None:
    with psycopg.connect(url) as conn:
        while True:
            with conn.transaction():
                row = conn.execute("SELECT id FROM bench_queue WHERE NOT done ORDER BY id "
                                   "FOR UPDATE SKIP LOCKED LIMIT 1").fetchone()
                if row is None:
                    return
                conn.execute("UPDATE bench_queue SET done = true WHERE id = %s", row)


def bare(url: str, tasks: int, processes: int) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_queue")
        conn.execute(QUEUE_SQL)
        conn.execute("INSERT INTO bench_queue (done) SELECT false FROM generate_series(1, %s)",
                     (tasks,))
    started = time.perf_counter()
    pool = [multiprocessing.Process(target=bare_worker, args=(url,)) for _ in range(processes)]
    for p in pool:
        p.start()
    for p in pool:
        p.join()
    return tasks / (time.perf_counter() - started)


def shell(env: dict, code: str) -> str:
    return subprocess.run([*DIARIUM, "shell", "-v0", "-c", code], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def jobs(env: dict, tasks: int, processes: int) -> float:
    shell(env, "from diarium.core.jobs.models import Job\n"
               "from django_tasks_db.models import DBTaskResult\n"
               "Job.objects.all().delete(); DBTaskResult.objects.all().delete()\n"
               "from diarium.core.jobs.services import start\n"
               f"for _ in range({int(tasks)}): start('core.probe', principal='system:bench')")
    workers = [subprocess.Popen([*DIARIUM, "worker", "--burst", "--no-schedule", "-v", "0"],
                                env=env) for _ in range(processes)]
    for worker in workers:
        if worker.wait() != 0:
            raise SystemExit("a worker failed")
    seconds = float(shell(env, "from django.db.models import Max, Min\n"
                               "from diarium.core.jobs.models import Job\n"
                               "assert not Job.objects.exclude(state='succeeded').exists()\n"
                               "r = Job.objects.aggregate(a=Min('started_at'), "
                               "b=Max('finished_at'))\n"
                               "print((r['b'] - r['a']).total_seconds())"))
    return tasks / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("DIARIUM_BENCH_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        raise SystemExit("set DIARIUM_BENCH_DATABASE_URL to a PostgreSQL database URL")
    fresh_database(url)
    data = tempfile.mkdtemp(prefix="diarium-worker-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    env.update(DIARIUM_DATA_DIR=data, DIARIUM_DATABASE_URL=url, DIARIUM_JOB_SCHEDULE="{}",
               DJANGO_SETTINGS_MODULE="diarium.settings", DIARIUM_WORKER_POLL_SECONDS="0.05")
    subprocess.run([*DIARIUM, "migrate", "-v0"], env=env, check=True)
    print(f"{args.tasks} tasks per round, {os.cpu_count()} cores")
    print(f"{'processes':>9} {'jobs/s':>9} {'bare/s':>9} {'ratio':>6}")
    for processes in (1, 2, 4):
        rate = jobs(env, args.tasks, processes)
        baseline = bare(url, args.tasks, processes)
        print(f"{processes:>9} {rate:9.1f} {baseline:9.1f} {rate / baseline:6.3f}")


if __name__ == "__main__":
    main()
