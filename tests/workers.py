"""Running jobs in tests: in this process (`run_jobs`, the worker's own loop in burst
mode) or as real `diarium worker` processes against the test database (`worker_env`,
`start_worker`), which tests kill with SIGKILL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from django.db import connection

from diarium.core.jobs.worker import Worker


def run_jobs(*, once: bool = False) -> int:
    """Run every queued job (and what it queues) here, as a worker would, until nothing is
    queued or running (once: one task only); returns the tasks run."""
    return Worker(burst=not once, once=once, scheduler=False, poll=0).run()


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker_env(settings, locations=None, **extra: str) -> dict[str, str]:
    """The environment of a `diarium` process that works on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "diarium.settings",
        "DIARIUM_DATA_DIR": str(settings.DATA_DIR),
        "DIARIUM_DATABASE_URL": database_url(),
        "DIARIUM_JOB_SCHEDULE": "{}",
        "DIARIUM_JOB_RETRY_DELAY_SECONDS": "0",
        "DIARIUM_WORKER_POLL_SECONDS": "0.1",
    })
    if locations is not None:
        env["DIARIUM_ARCHIVE_LOCATIONS"] = json.dumps([str(p) for p in locations])
    env.update(extra)
    return env


def start_worker(env: dict[str, str], *args: str, **popen) -> subprocess.Popen:
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen([sys.executable, "-m", "diarium", "worker", *args], env=env,
                            **popen)


def wait_for(check, timeout: float = 120.0, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"gave up waiting after {timeout} s")


def finish(*workers, timeout: float = 300.0) -> None:
    for worker in workers:
        try:
            worker.wait(timeout)
        finally:
            if worker.poll() is None:
                worker.kill()
        assert worker.returncode == 0, worker.stderr.read().decode()[-3000:]
