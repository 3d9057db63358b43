"""What the archive sub-commands share."""

from __future__ import annotations

from django.core.management.base import CommandError

from diarium.core.actors import Actor, SystemPrincipal
from diarium.organisation.models import User


def actor(username: str | None, principal: SystemPrincipal) -> Actor:
    """--user USERNAME acts as that user (its permissions apply); without it the command
    acts as its system principal (e.g. system:ingest)."""
    if not username:
        return principal
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"no user {username!r}") from exc


def add_queue_option(parser) -> None:
    parser.add_argument("--queue", action="store_true",
                        help="Queue the work for `diarium worker` instead of running it here; "
                        "prints the job's id.")


def report_queued(command, job, label: str = "") -> None:
    """What --queue prints: the job to follow (diarium.core's job page and API)."""
    command.stdout.write(f"{label}queued job {job.pk} ({job.kind})")
