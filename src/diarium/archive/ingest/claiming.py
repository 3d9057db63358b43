"""Who works on a package: a lease on the Package row, so that two workers never ingest the
same delivery at once, while a killed worker's package can be taken over at once (on the
same host its process is gone) or when its lease runs out (another host).

This lease is the package's, keyed on the producer's package id; the job that runs the
ingest has its own (diarium.core.jobs). The package lease is what makes two jobs, or a
job and a command line run, of the same delivery archive it once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.archive.aip.inventory import SipHead
from diarium.archive.models import Package, PackageState, SubmissionAgreement
from diarium.audit import services as audit
from diarium.core.jobs.lease import owner_alive, owner_id
from diarium.core.transactions import atomic_with_retry

LEASE = dt.timedelta(minutes=10)


class IngestBusy(Exception):
    """Another worker is ingesting this delivery right now."""


def chain(package: Package) -> str:
    return f"authority:{package.creator.authority_id}"


@dataclass
class Claim:
    package: Package
    fresh: bool  # False: the delivery is already archived, nothing to do


def claim(actor, agreement: SubmissionAgreement, head: SipHead, name: str) -> Claim:
    for _attempt in range(3):
        try:
            return _claim(actor, agreement, head, name)
        except IntegrityError:  # the same delivery was registered concurrently
            continue
    raise IngestBusy(head.objid)


@atomic_with_retry
def _claim(actor, agreement: SubmissionAgreement, head: SipHead, name: str) -> Claim:
    now = timezone.now()
    me = owner_id()
    package = None
    if head.objid:
        package = (Package.objects.select_for_update().select_related("creator")
                   .filter(producer=agreement.producer, objid=head.objid)
                   .exclude(state=PackageState.REJECTED).first())
    if package is not None and package.state == PackageState.ARCHIVED:
        return Claim(package, False)
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
    return Claim(package, True)


def renew(package: Package) -> None:
    Package.objects.filter(pk=package.pk, lease_owner=owner_id()).update(
        lease_until=timezone.now() + LEASE)


def release(package: Package) -> None:
    Package.objects.filter(pk=package.pk, lease_owner=owner_id()).update(
        lease_owner="", lease_until=None)
