"""Staging the files of a registration form that is shown again (registry/staging_model.py):
the content is stored once, and the form carries the staged uploads' ids until the
registration takes them (services/documents.py uses them up in its transaction)."""

from django.db import transaction
from django.utils import timezone

from diarium.core import actors
from diarium.organisation.models import User
from diarium.organisation.selectors import access_for
from diarium.registry.services._common import StoredUpload
from diarium.registry.staging_model import STAGED_UPLOAD_MAX_AGE, StagedUpload


def stage_files(actor: User, form: str, files: list[StoredUpload]) -> list[StoredUpload]:
    """Keep the stored files for the user's form: those not staged yet get a staged
    upload. Returns the files with their staged ids, in the same order; a file whose
    staged upload is gone meanwhile (used by a registration, expired) is left out. Every
    expired staged upload (of anyone) is cleared on the way."""
    actors.require(actor, "registry.store_files",
                   lambda user: access_for(user).is_staff_member)
    with transaction.atomic():
        clear_expired()
        alive = set(StagedUpload.objects.filter(
            user_id=actor.pk, form=form, pk__in=[f.staged for f in files if f.staged],
        ).values_list("pk", flat=True))
        files = [f for f in files if f.staged is None or f.staged in alive]
        new = [StagedUpload(user=actor, form=form, content=f.content, name=f.name,
                            mime_type=f.mime_type)
               for f in files if f.staged is None]
        StagedUpload.objects.bulk_create(new)
    made = iter(new)
    return [f if f.staged is not None else _staged(next(made)) for f in files]


def _staged(row: StagedUpload) -> StoredUpload:
    return StoredUpload(row.content, row.name, row.mime_type, staged=row.pk)


def clear_expired() -> int:
    """Delete the staged uploads older than STAGED_UPLOAD_MAX_AGE; returns how many. The
    content itself stays (it is write-once and may be held by records)."""
    cutoff = timezone.now() - STAGED_UPLOAD_MAX_AGE
    deleted, _kinds = StagedUpload.objects.filter(created_at__lt=cutoff).delete()
    return deleted
