"""Decision bodies (the board, its committees, the council) and their members.

Members are not staff: a member may have a login (`user`) that holds no role in any
authority, and sees only the meetings of the bodies they sit in (board/selectors.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diarium.organisation.models import Authority


class BodyKind(models.TextChoices):
    BOARD = "board", _("Board (nämnd)")
    COMMITTEE = "committee", _("Working committee (utskott)")
    COUNCIL = "council", _("Municipal council (kommunfullmäktige)")


class Body(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=BodyKind.choices,
                            default=BodyKind.BOARD)
    # Where the justerade minutes are kept, as the notice board states it.
    minutes_kept_at = models.CharField(_("minutes kept at"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"],
                                               name="uniq_body_name")]
        verbose_name = _("decision body")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member (ledamot)")
    SUBSTITUTE = "substitute", _("Substitute (ersättare)")


class Office(models.TextChoices):
    NONE = "", _("—")
    CHAIR = "chair", _("Chair (ordförande)")
    FIRST_VICE = "vice1", _("First vice chair")
    SECOND_VICE = "vice2", _("Second vice chair")


class Membership(models.Model):
    """A seat for a term of office. A person re-elected gets a new row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("party"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    office = models.CharField(_("office"), max_length=8, choices=Office.choices, blank=True)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="memberships",
                             verbose_name=_("login"))

    class Meta:
        ordering = ["role", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(term_end__gte=models.F(
            "term_start")), name="membership_term_order")]
        verbose_name = _("member")

    def __str__(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name

    def serves_on(self, day) -> bool:
        return self.term_start <= day <= self.term_end
