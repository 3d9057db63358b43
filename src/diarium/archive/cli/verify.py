"""diarium archive verify [--location NAME] [--package ID] [--max-mb-per-second N]
[--workers N] [--no-repair]

Reads every copy back and compares it with the inventory; damaged or missing copies are made
again from a good copy. Exit code 0 when all copies are good (after repairs), 1 otherwise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from diarium.archive.fixity import audit
from diarium.core.actors import FIXITY

from .common import actor
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


def run(command, location, package, max_mb_per_second, workers, no_repair, user, quiet,
        **_options) -> None:
    line = None if quiet else ProgressLine.for_command(command)
    rate = max_mb_per_second * 1e6 if max_mb_per_second else None
    try:
        result = audit(actor(user, FIXITY), location=location, package=package,
                       max_bytes_per_second=rate, workers=workers, repair=not no_repair,
                       progress=line)
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages), returncode=2) from exc
    finally:
        if line is not None:
            line.end()
    command.stdout.write(
        f"{result.copies} copies checked, {result.good} good, {len(result.damaged)} damaged "
        f"or missing, {len(result.repaired)} repaired; {result.bytes_read / 1e6:.1f} MB in "
        f"{result.seconds:.1f} s ({result.mb_per_second:.1f} MB/s)")
    for text in result.damaged:
        command.stdout.write(f"  damaged: {text}")
    for text in result.repaired:
        command.stdout.write(f"  repaired: {text}")
    for text in result.unrepaired:
        command.stdout.write(f"  NOT REPAIRED: {text}")
    if not result.ok:
        raise CommandError(f"{len(result.unrepaired)} copies could not be repaired",
                           returncode=1)
