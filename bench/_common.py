"""Helpers shared by the benchmarks: a prepared data dir and database, percentiles."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A municipality's dozen boards (nämnder): what the API benches' baseline read lists.
BOARDS = ["KS", "BN", "MN", "SN", "UN", "KN", "TN", "VN", "FN", "ON", "RN", "HN"]
DIARIUM = [sys.executable, "-m", "diarium"]


def engine_env(engine: str, data_dir: Path, db_name: str) -> dict:
    """Environment for running Diarium on 'sqlite' or 'postgres' with its own data."""
    # Rate limits off: the benchmarks measure throughput, not the throttle.
    env = dict(os.environ, DIARIUM_DATA_DIR=str(data_dir), DIARIUM_API_RATE_USER="off")
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without it
    if engine == "postgres":
        env["DIARIUM_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db_name}"
    else:
        env.pop("DIARIUM_DATABASE_URL", None)
    return env


def fresh_database(engine: str, env: dict, db_name: str) -> None:
    if engine == "postgres":
        for sql in (
            f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)",
            f"CREATE DATABASE {db_name}",
        ):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    else:
        sqlite = Path(env["DIARIUM_DATA_DIR"]) / "diarium.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
    run(["migrate", "-v0"], env)


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*DIARIUM, *args], env=env, check=True, text=True, **kwargs)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 95)


def timed(fn, repeat: int, clock=time.perf_counter) -> list[float]:
    """Milliseconds of each of repeat calls of fn. clock=time.process_time measures this
    process's CPU time instead: on a loaded machine, the figure of work done in-process
    (SQLite) that other processes' load does not inflate."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return times
