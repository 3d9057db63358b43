"""A member's personal link (ledamotslänk): read-only access to their meetings without a
login.

Rule kept: the link's token is never stored, only its SHA-256; the token in the address
is signed (a forged or altered one is refused before the database is asked). A link
belongs to one seat (Membership), expires, and is revoked when the secretary renews or
withdraws it. Each use is counted here and written to the audit log."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diarium.board.models.bodies import Membership


class MemberLink(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=models.F(
            "created_at")), name="member_link_expires_after_creation")]

    def __str__(self) -> str:
        return str(self.pk)
