"""Who works on a package: a lease on the Package row, so that two workers never ingest the
same delivery at once, while a killed worker's package can be taken over at once (on the
same host its process is gone) or when its lease runs out (another host)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.aip.inventory import SipHead
from diarium.archive.models import (
    IngestJob,
    JobStatus,
    Package,
    PackageState,
    SubmissionAgreement,
)
from diarium.audit import services as audit
from diarium.core.transactions import atomic_with_retry

LEASE = dt.timedelta(minutes=10)


class IngestBusy(Exception):
    """Another worker is ingesting this delivery right now."""


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def owner_alive(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # cannot tell from here: the lease's expiry decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def chain(package: Package) -> str:
    return f"authority:{package.creator.authority_id}"


@dataclass
class Claim:
    package: Package
    job: IngestJob | None  # None: the delivery is already archived, nothing to do


def claim(actor, agreement: SubmissionAgreement, head: SipHead, name: str,
          source: str) -> Claim:
    for _attempt in range(3):
        try:
            return _claim(actor, agreement, head, name, source)
        except IntegrityError:  # the same delivery was registered concurrently
            continue
    raise IngestBusy(head.objid)


@atomic_with_retry
def _claim(actor, agreement: SubmissionAgreement, head: SipHead, name: str,
           source: str) -> Claim:
    now = timezone.now()
    me = owner_id()
    package = None
    if head.objid:
        package = (Package.objects.select_for_update().select_related("creator")
                   .filter(producer=agreement.producer, objid=head.objid)
                   .exclude(state=PackageState.REJECTED).first())
    if package is not None and package.state == PackageState.ARCHIVED:
        return Claim(package, None)
    if package is not None and package.state == PackageState.DISPOSED:
        # Disposed of under a disposal decision: the same delivery is not archived again.
        raise ValidationError({"package": _(
            "Package %(objid)s was disposed of; a new delivery needs a new package id.") % {
            "objid": head.objid}})
    if package is not None:
        held = (package.lease_owner and package.lease_until and package.lease_until > now
                and owner_alive(package.lease_owner))
        if held:
            raise IngestBusy(_("Package %(objid)s is being ingested by %(owner)s.") % {
                "objid": head.objid, "owner": package.lease_owner})
        package.jobs.filter(status=JobStatus.RUNNING).update(
            status=JobStatus.INTERRUPTED, finished_at=now,
            error="The worker stopped before it finished.")
    else:
        package = Package.objects.create(
            objid=head.objid, producer=agreement.producer, name=name[:255],
            label=head.label, creator=agreement.creator, agreement=agreement,
            submitted_by=actor if actor is not None and actor.is_authenticated else None)
        audit.record(actor=actor, action="archive.package_received", obj=package,
                     chain=chain(package), after={"objid": package.objid, "name": package.name,
                                                  "agreement": agreement.reference})
    package.lease_owner, package.lease_until = me, now + LEASE
    package.save(update_fields=["lease_owner", "lease_until", "updated_at"])
    job = IngestJob.objects.create(
        package=package, source=source[:1000], phase="claimed",
        started_by=actor if actor is not None and actor.is_authenticated else None)
    return Claim(package, job)


def renew(package: Package) -> None:
    Package.objects.filter(pk=package.pk, lease_owner=owner_id()).update(
        lease_until=timezone.now() + LEASE)


def release(package: Package) -> None:
    Package.objects.filter(pk=package.pk, lease_owner=owner_id()).update(
        lease_owner="", lease_until=None)
