"""diarium archive agreement add|list: submission agreements from the command line.

    diarium archive agreement add --authority KS --reference LÖ-2024-1 --producer Diarium
        [--name TEXT] [--profile auto|csip|sip] [--strict] [--formats fmt/95,application/pdf]
        [--valid-from DATE] [--valid-to DATE] [--identifier ORGNR] [--user NAME]
    diarium archive agreement list"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from diarium.archive import services
from diarium.archive.models import SubmissionAgreement
from diarium.core.actors import OPERATOR
from diarium.organisation.models import Authority

from .common import actor


def add_parser(actions) -> None:
    parser = actions.add_parser("agreement", help="Submission agreements: add, list.")
    sub = parser.add_subparsers(dest="agreement_action", required=True)
    add = sub.add_parser("add", help="Add a submission agreement.")
    add.add_argument("--authority", required=True, help="Authority code (the archive creator).")
    add.add_argument("--reference", required=True,
                     help="The id SIPs name in altRecordID SUBMISSIONAGREEMENT.")
    add.add_argument("--producer", required=True, help="The producing system.")
    add.add_argument("--name", default="")
    add.add_argument("--profile", choices=["auto", "csip", "sip"], default="auto")
    add.add_argument("--strict", action="store_true",
                     help="Package-level METS rules are errors in representation METS too "
                     "(default: warnings).")
    add.add_argument("--formats", default="", help="Allowed PUIDs or MIME types, comma-separated "
                     "(default: any).")
    add.add_argument("--valid-from", type=dt.date.fromisoformat)
    add.add_argument("--valid-to", type=dt.date.fromisoformat)
    add.add_argument("--identifier", default="", help="The archive creator's identification "
                     "code (e.g. organisation number), when it is created now.")
    add.add_argument("--user", help="Act as this user (default: the principal "
                     "system:operator).")
    sub.add_parser("list", help="List the submission agreements.")


def run(command, agreement_action: str, **options) -> None:
    if agreement_action == "list":
        for item in SubmissionAgreement.objects.select_related("creator"):
            until = item.valid_to.isoformat() if item.valid_to else "…"
            command.stdout.write(
                f"{item.reference}\t{item.creator.name}\t{item.producer}\t{item.profile}"
                f"{' strict' if item.strict_representations else ''}\t"
                f"{item.valid_from.isoformat()}–{until}\t{','.join(item.allowed_formats) or '*'}")
        return
    try:
        authority = Authority.objects.get(code=options["authority"])
    except Authority.DoesNotExist as exc:
        raise CommandError(f"no authority {options['authority']!r}") from exc
    who = actor(options["user"], OPERATOR)
    try:
        creator = services.ensure_archive_creator(who, authority, options["identifier"])
        created = services.create_agreement(
            who, creator, reference=options["reference"], name=options["name"],
            producer=options["producer"], profile=options["profile"],
            strict_representations=options["strict"],
            allowed_formats=options["formats"].split(","),
            valid_from=options["valid_from"], valid_to=options["valid_to"])
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise CommandError("; ".join(messages)) from exc
    command.stdout.write(f"agreement {created.reference} ({created.pk}) for {creator.name}")
