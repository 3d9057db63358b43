"""Writes of the e-archive's reference data: archive creators and submission agreements.
Ingest lives in diarium.archive.ingest, the fixity audit in diarium.archive.fixity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.archive.models import ArchiveCreator, SubmissionAgreement
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority, Role
from diarium.organisation.selectors import holds

MANAGING_ROLES = frozenset({Role.ARCHIVIST, Role.ADMINISTRATOR})


def _require(actor: Actor, authority_id) -> None:
    actors.require(actor, "archive.manage", holds(authority_id, MANAGING_ROLES),
                   _("Only an archivist or administrator of the authority may do this."))


@atomic_with_retry
def ensure_archive_creator(actor: Actor, authority: Authority,
                           identifier: str = "") -> ArchiveCreator:
    """The authority's archive creator, created on first use."""
    _require(actor, authority.pk)
    creator, created = ArchiveCreator.objects.get_or_create(
        authority=authority, defaults={"name": authority.name, "identifier": identifier})
    if created:
        audit.record(actor=actor, action="archive.creator_created", obj=creator,
                     chain=f"authority:{authority.pk}",
                     after={"name": creator.name, "identifier": creator.identifier})
    return creator


@atomic_with_retry
def create_agreement(actor: Actor, creator: ArchiveCreator, *, reference: str, name: str,
                     producer: str, profile: str = "auto",
                     allowed_formats: Iterable[str] = (), record_types: Iterable = (),
                     valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                     it_system=None, notes: str = "",
                     strict_representations: bool = False) -> SubmissionAgreement:
    _require(actor, creator.authority_id)
    errors = {}
    if not reference.strip():
        errors["reference"] = _("An agreement needs a reference.")
    elif SubmissionAgreement.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = _("An agreement with this reference exists.")
    if not producer.strip():
        errors["producer"] = _("Name the producing system.")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = _("The agreement ends before it starts.")
    if errors:
        raise ValidationError(errors)
    agreement = SubmissionAgreement(
        reference=reference.strip(), name=name.strip() or reference.strip(), creator=creator,
        producer=producer.strip(), profile=profile,
        strict_representations=strict_representations,
        allowed_formats=[f.strip() for f in allowed_formats if f.strip()],
        valid_to=valid_to, it_system=it_system, notes=notes)
    if valid_from:
        agreement.valid_from = valid_from
    agreement.save()
    agreement.record_types.set(list(record_types))
    audit.record(actor=actor, action="archive.agreement_created", obj=agreement,
                 chain=f"authority:{creator.authority_id}",
                 after={"reference": agreement.reference, "producer": agreement.producer,
                        "formats": agreement.allowed_formats,
                        "strict_representations": strict_representations})
    return agreement
