"""`diarium worker [--once | --burst] [--processes N] [--queue NAME,...] [--no-schedule]`

Runs the jobs on the queue (ingest, fixity audits, disposal, exports, DIP builds) and the
periodic schedule; see docs/jobs.md. SIGTERM stops it after the job in hand."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diarium.core.jobs.worker import Worker


class Command(BaseCommand):
    help = "Run background jobs from the queue (and the periodic schedule)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Run one task, then stop.")
        mode.add_argument("--burst", action="store_true",
                          help="Run until nothing is queued or running, then stop.")
        parser.add_argument("--processes", type=int, default=1,
                            help="Start this many worker processes (default 1).")
        parser.add_argument("--queue", default="default",
                            help="Queues to take tasks from, comma-separated ('*': all).")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Do not start periodic jobs from this worker.")
        parser.add_argument("--poll", type=float, default=None,
                            help="Seconds between looks at an empty queue (JOB_POLL_SECONDS).")

    def handle(self, *args, **options) -> None:
        if options["processes"] < 1:
            raise CommandError("--processes must be 1 or more")
        if options["processes"] > 1:
            sys.exit(self._fan_out(options))
        level = logging.INFO if options["verbosity"] > 1 else logging.WARNING
        logging.getLogger("diarium.core.jobs").setLevel(level)
        worker = Worker(queues=tuple(q for q in options["queue"].split(",") if q),
                        once=options["once"], burst=options["burst"],
                        scheduler=not options["no_schedule"], poll=options["poll"])
        worker.install_signals()
        ran = worker.run()
        if options["verbosity"] > 0 and (options["once"] or options["burst"]):
            self.stdout.write(f"{ran} task(s) run")

    def _fan_out(self, options: dict) -> int:
        """Start single workers with the same options and pass signals on to them."""
        argv = ["worker", "--queue", options["queue"], "-v", str(options["verbosity"])]
        argv += ["--once"] if options["once"] else []
        argv += ["--burst"] if options["burst"] else []
        argv += ["--no-schedule"] if options["no_schedule"] else []
        argv += ["--poll", str(options["poll"])] if options["poll"] is not None else []
        count = options["processes"]
        children = [subprocess.Popen([sys.executable, "-m", "diarium", *argv])  # noqa: S603
                    for _ in range(count)]

        def forward(signum, _frame) -> None:
            for child in children:
                child.send_signal(signum)

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, forward)
        return max(child.wait() for child in children)
