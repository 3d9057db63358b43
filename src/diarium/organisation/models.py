"""The municipality, its authorities (boards), administrations, units, users and roles."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    # The municipality's organisationsnummer: its boards are not legal persons of their own
    # and share it (an authority without a number of its own is identified by this one).
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True,
        help_text=_("Organisationsnummer, e.g. 212000-1234."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """A board (nämnd): its own legal authority with its own diary series."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="authorities",
        help_text=_("The host municipality (värdkommun) for a joint board."),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=16, unique=True)
    # A joint board (gemensam nämnd) serves several municipalities; each case records
    # which member municipality it concerns.
    member_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="joint_authorities"
    )
    # The archive creator's identifier in archive packages (CITS ERMS, METS agents). A
    # board of a municipality shares the municipality's organisationsnummer (212000-…).
    organisation_number = models.CharField(
        _("organisation number"), max_length=11, blank=True,
        help_text=_("Organisationsnummer, e.g. 212000-1234; usually the municipality's."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name

    @property
    def is_joint(self) -> bool:
        return self.member_municipalities.exists()


class Administration(models.Model):
    """A förvaltning: the staff organisation that serves one or more boards."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="administrations"
    )
    name = models.CharField(_("name"), max_length=200)
    authorities = models.ManyToManyField(Authority, blank=True, related_name="administrations")

    class Meta:
        ordering = ["name"]
        unique_together = [("municipality", "name")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        unique_together = [("administration", "name")]

    def __str__(self) -> str:
        return self.name


class IdentitySource(models.TextChoices):
    """Where an account comes from. Accounts of the directory sync are the ones it
    deactivates when they leave the directory; local accounts are never touched by it."""

    LOCAL = "", _("Local")
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML")
    DIRECTORY = "directory", _("Directory (LDAP)")


class User(AbstractUser):
    home_municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    # Single sign-on and the directory sync (organisation/identity.py): the identifier the
    # municipality's directory or identity provider gives the person (an employee number,
    # Entra ID's object id, AD's objectGUID), when users are matched by it, and where the
    # account was created or is kept up to date from.
    external_id = models.CharField(_("external id"), max_length=255, blank=True)
    identity_source = models.CharField(_("identity source"), max_length=16, blank=True,
                                       choices=IdentitySource.choices)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="uniq_user_external_id",
                                    condition=~models.Q(external_id="")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    REGISTRATOR = "registrar", _("Registrar")
    OFFICER = "officer", _("Case officer")
    SECRETARY = "secretary", _("Board secretary")
    ARCHIVIST = "archivist", _("Archivist")
    ADMINISTRATOR = "administrator", _("Administrator")
    READER = "reader", _("Reader")


class RoleAssignment(models.Model):
    """A user's role in one authority. A user may hold roles in several authorities."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "authority", "role"], name="uniq_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.authority.code}"


# Signing in (API tokens, failed logins) lives in its own module; imported here so that
# Django registers the models with this app.
from diarium.organisation.auth_models import ApiToken, LoginFailure  # noqa: E402, F401
