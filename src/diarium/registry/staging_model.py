"""Files chosen on a registration form that is shown again (a field to correct, the plan's
confirmation step, a party search): a browser cannot fill a file input in again, so the
content is stored at once and the form carries the staged upload's id instead.

A staged upload belongs to one user and one form (`form`: "register" or "case:<id>"); it
is used up by the registration that takes its file (in the same transaction, so a failed
registration leaves it for the next try) and expires after STAGED_UPLOAD_MAX_AGE. The
foreign key keeps the content from being removed by disposal while it is staged
(documents/removal.py counts every reference). Imported by registry.models (which
registers the model with the app)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from diarium.documents.models import StoredFile

STAGED_UPLOAD_MAX_AGE = dt.timedelta(hours=2)


class StagedUpload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    form = models.CharField(max_length=64)
    content = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=127)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "form"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.form}: {self.name}"

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + STAGED_UPLOAD_MAX_AGE
