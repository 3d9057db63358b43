"""diarium archive verify [--location NAME] [--package ID] [--max-mb-per-second N]
[--workers N] [--no-repair]

Reads every copy back and compares it with the inventory; damaged or missing copies are made
again from a good copy. Exit code 0 when all copies are good (after repairs), 1 otherwise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from diarium.archive.tasks import FIXITY
from diarium.core import actors
from diarium.core.jobs.services import run_here, start

from .common import actor, add_queue_option, report_queued
from .progress import ProgressLine


def add_parser(actions) -> None:
    parser = actions.add_parser(
        "verify", help="Fixity audit: verify the stored copies and repair damaged ones.")
    parser.add_argument("--location", help="Only this storage location.")
    parser.add_argument("--package", help="Only this package (its id).")
    parser.add_argument("--max-mb-per-second", type=float, default=None,
                        help="Read at most this many MB per second (all workers together).")
    parser.add_argument("--workers", type=int, default=1, help="Copies verified at once.")
    parser.add_argument("--no-repair", action="store_true", help="Only report damage.")
    parser.add_argument("--user", help="Act as this user (default: the principal "
                        "system:fixity).")
    parser.add_argument("--quiet", action="store_true", help="No progress line.")
    add_queue_option(parser)


def run(command, location, package, max_mb_per_second, workers, no_repair, user, quiet,
        queue=False, **_options) -> None:
    params = {"location": location, "package": package, "max_mb_per_second": max_mb_per_second,
              "workers": workers, "repair": not no_repair}
    who = actor(user, actors.FIXITY)
    if queue:
        report_queued(command, start(FIXITY, actor=who, principal="system:fixity",
                                     params=params))
        return
    line = None if quiet else ProgressLine.for_command(command)
    try:
        job = run_here(FIXITY, actor=who, principal="system:fixity", params=params,
                       callback=line)
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages), returncode=2) from exc
    finally:
        if line is not None:
            line.end()
    result = job.result
    rate = result["bytes_read"] / 1e6 / result["seconds"] if result["seconds"] else 0.0
    command.stdout.write(
        f"{result['copies']} copies checked, {result['good']} good, "
        f"{len(result['damaged'])} damaged or missing, {len(result['repaired'])} repaired; "
        f"{result['bytes_read'] / 1e6:.1f} MB in {result['seconds']:.1f} s ({rate:.1f} MB/s)")
    for text in result["damaged"]:
        command.stdout.write(f"  damaged: {text}")
    for text in result["repaired"]:
        command.stdout.write(f"  repaired: {text}")
    for text in result["unrepaired"]:
        command.stdout.write(f"  NOT REPAIRED: {text}")
    if result["unrepaired"]:
        raise CommandError(f"{len(result['unrepaired'])} copies could not be repaired",
                           returncode=1)
