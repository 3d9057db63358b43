"""Mail in an authority's inbox, until the registry places it in a case."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Authority
from diarium.organisation.selectors import REGISTERING_ROLES
from diarium.registry.models import (
    Case,
    DiarySeries,
    Document,
    InboxFile,
    InboxItem,
    InboxStatus,
)
from diarium.registry.services._common import (
    CaseData,
    StoredUpload,
    Upload,
    _require,
    _require_visible_party,
    require_may_add,
)
from diarium.registry.services.cases import open_case
from diarium.registry.services.documents import (
    DocumentData,
    _register_stored,
    _validate_document,
    _validate_new_case,
    store_uploads,
)


def receive_mail(
    actor: Actor,
    authority: Authority,
    *,
    sender: str,
    subject: str,
    body: str = "",
    uploads: Iterable[Upload] = (),
    received_at: dt.datetime | None = None,
) -> InboxItem:
    """Put incoming mail in the authority's inbox (from an e-mail gateway or e-service:
    the principal system:mail, or the authority's registry)."""
    _require(actor, authority.pk, REGISTERING_ROLES, "registry.receive_mail")
    if not subject.strip():
        raise ValidationError({"subject": _("Mail needs a subject.")})
    files = store_uploads(actor, uploads)
    return _store_mail(actor, authority, sender, subject, body, files, received_at)


@atomic_with_retry
def _store_mail(actor, authority, sender, subject, body, files, received_at) -> InboxItem:
    item = InboxItem.objects.create(
        authority=authority,
        sender=sender.strip(),
        subject=subject.strip(),
        body=body,
        received_at=received_at or timezone.now(),
    )
    InboxFile.objects.bulk_create(
        [
            InboxFile(
                item=item,
                content=f.content,
                original_name=f.name,
                mime_type=f.mime_type,
                size=f.content.size,
            )
            for f in files
        ]
    )
    audit.record(
        actor=actor,
        action="inbox.received",
        obj=item,
        chain=f"authority:{authority.pk}",
        after={"sender": item.sender, "subject": item.subject},
    )
    return item


@atomic_with_retry
def place_inbox_item(actor: Actor, item: InboxItem, case: Case, data: DocumentData) -> Document:
    """Register inbox mail as an incoming document in an existing case."""
    if case.authority_id != item.authority_id:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    require_may_add(actor, case)
    _require_visible_party(actor, data.party)
    return _place(actor, item, case, data)


def _place(actor: Actor, item: InboxItem, case: Case, data: DocumentData) -> Document:
    item = InboxItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, item.authority_id, REGISTERING_ROLES)
    if item.status != InboxStatus.NEW:
        raise ValidationError({"item": _("The mail has already been placed.")})
    if case.authority_id != item.authority_id:
        raise ValidationError({"case": _("The case belongs to another authority.")})
    _validate_document(data, case.authority_id)
    files = [
        StoredUpload(f.content, f.original_name, f.mime_type)
        for f in InboxFile.objects.filter(item=item).select_related("content")
    ]
    doc = _register_stored(actor, case, data, files)
    item.status, item.document = InboxStatus.PLACED, doc
    item.save(update_fields=["status", "document"])
    return doc


@atomic_with_retry
def place_inbox_item_in_new_case(
    actor: Actor, item: InboxItem, series: DiarySeries, case_data: CaseData, data: DocumentData
) -> Document:
    """Open a case in series and register the inbox mail as its first document."""
    if series.authority_id != item.authority_id:
        raise ValidationError({"series": _("The diary series belongs to another authority.")})
    _require_visible_party(actor, data.party)
    _validate_new_case(series, case_data, data)
    case = open_case(actor, series, case_data)
    return _place(actor, item, case, data)
