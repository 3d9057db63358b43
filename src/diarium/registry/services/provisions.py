"""The register of secrecy provisions (OSL): administrators add provisions and take them
out of use. A provision is never deleted: markings cite it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.organisation.models import Role
from diarium.organisation.selectors import access_for
from diarium.registry.models import SecrecyProvision


def may_manage_provisions(user) -> bool:
    """Administrators (of any authority) and superusers."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or bool(access_for(user).authorities_with({Role.ADMINISTRATOR})))


@atomic_with_retry
def create_provision(actor: Actor, *, chapter: int, section: int, paragraph: int = 0,
                     description: str, secrecy_years: int | None = None) -> SecrecyProvision:
    actors.require(actor, "registry.provisions", may_manage_provisions,
                   _("Only administrators may add secrecy provisions."))
    if not description.strip():
        raise ValidationError({"description": _("Describe the provision.")})
    if SecrecyProvision.objects.filter(chapter=chapter, section=section,
                                       paragraph=paragraph).exists():
        raise ValidationError({"section": _("The provision is already in the register.")})
    provision = SecrecyProvision.objects.create(
        chapter=chapter, section=section, paragraph=paragraph,
        description=description.strip(), secrecy_years=secrecy_years,
    )
    audit.record(actor=actor, action="secrecy_provision.created", obj=provision,
                 after={"citation": provision.citation, "description": provision.description,
                        "secrecy_years": secrecy_years})
    return provision


@atomic_with_retry
def set_provision_active(actor: Actor, provision: SecrecyProvision,
                         active: bool) -> SecrecyProvision:
    """Take a provision out of use (no new markings cite it) or back into use."""
    actors.require(actor, "registry.provisions", may_manage_provisions,
                   _("Only administrators may change secrecy provisions."))
    provision = SecrecyProvision.objects.select_for_update().get(pk=provision.pk)
    before = provision.active
    provision.active = active
    provision.save(update_fields=["active"])
    audit.record(actor=actor, action="secrecy_provision.changed", obj=provision,
                 before={"active": before}, after={"active": active})
    return provision
