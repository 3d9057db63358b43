"""gunicorn settings for production: `gunicorn -c python:diarium.operations.gunicorn
diarium.wsgi`. With PROMETHEUS_MULTIPROC_DIR set, a web process that exits has its live
figures (gauges) removed from the shared metrics folder, as prometheus-client's
multiprocess mode requires; its counters stay in the sums. Other gunicorn settings come
from the command line or GUNICORN_CMD_ARGS as usual (docs/operations.md)."""

import os


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
