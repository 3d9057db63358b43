"""The organisation's services: who may create and change authorities, administrations,
units, users, role assignments and diary series, and the audit events they leave."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.audit.models import AuditEvent
from diarium.core.actors import DEMO, INGEST, OPERATOR
from diarium.organisation import services
from diarium.organisation.models import Role, RoleAssignment
from diarium.registry import services as registry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.authority("KS", muni=f.municipality("Sjöviks kommun", "9901"))


@pytest.fixture
def admin(ks):
    return f.user("admin-ks", roles={ks: Role.ADMINISTRATOR})


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_an_administrator_builds_the_organisation_of_their_municipality(ks, admin):
    muni = ks.municipality
    bun = services.create_authority(admin, muni, code="BUN", name="Barn- och utbildningsnämnden",
                                    organisation_number="212000-1234")
    klf = services.create_administration(admin, muni, name="Kommunledningsförvaltningen",
                                         authorities=[ks, bun])
    unit = services.create_unit(admin, klf, name="Kansliavdelningen")
    user = services.create_user(admin, username="karin", municipality=muni,
                                password="en-lång-lösenordsfras-7", first_name="Karin",
                                unit=unit)
    services.assign_role(admin, user, ks, Role.REGISTRATOR)
    assert user.check_password("en-lång-lösenordsfras-7") and user.unit == unit
    assert set(klf.authorities.all()) == {ks, bun}
    created = events("organisation.user_created").get()
    assert created.actor_name == "admin-ks" and created.after["unit"] == str(unit.pk)
    assert "lösenord" not in str(created.after) and "password" not in str(created.after)
    role = events("organisation.role_assigned").get()
    assert role.chain == f"authority:{ks.pk}" and role.after == {"user": "karin",
                                                                 "role": "registrar"}
    assert events("organisation.authority_created").get().after["organisation_number"] == \
        "212000-1234"


def test_others_are_refused_and_a_principal_needs_to_declare_it(ks, admin):
    officer = f.user(roles={ks: Role.OFFICER})
    other_muni_admin = f.user(roles={f.authority("X", muni=f.municipality()): "administrator"})
    for actor in (officer, other_muni_admin, INGEST):
        with pytest.raises(PermissionDenied):
            services.create_authority(actor, ks.municipality, code="SN", name="Socialnämnden")
    assert services.create_authority(DEMO, ks.municipality, code="SN", name="Socialnämnden")
    with pytest.raises(PermissionDenied):  # a municipality is the superuser's or a principal's
        services.create_municipality(admin, name="Björkfors kommun", code="9902")
    with pytest.raises(PermissionDenied):  # only a superuser makes superusers
        services.create_user(admin, username="root2", municipality=ks.municipality,
                             is_superuser=True)
    assert services.create_user(OPERATOR, username="root2", municipality=ks.municipality,
                                is_superuser=True).is_superuser


def test_bad_input_is_refused_before_anything_is_written(ks, admin):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        services.create_authority(admin, ks.municipality, code="KS", name="Dubblett")
    assert "code" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # ":" would pass for a principal's name
        services.create_user(admin, username="system:fixity", municipality=ks.municipality)
    assert "username" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.create_user(admin, username="anna", municipality=ks.municipality,
                             password="123")
    with pytest.raises(ValidationError):
        services.create_user(admin, username="anna", municipality=ks.municipality,
                             password_hash="x")
    with pytest.raises(ValidationError):
        services.assign_role(admin, f.user(), ks, "kung")
    assert AuditEvent.objects.count() == before


def test_changes_are_audited_with_before_and_after(ks, admin):
    ofn = services.create_authority(admin, ks.municipality, code="ÖFN", name="ÖFN")
    neighbour = f.municipality("Björkfors kommun", "9902")
    ofn_admin = f.user(roles={ofn: Role.ADMINISTRATOR})
    with pytest.raises(PermissionDenied):  # another board's administrator
        services.update_authority(admin, ofn, name="Överförmyndarnämnden")
    services.update_authority(ofn_admin, ofn, name="Gemensamma överförmyndarnämnden",
                              members=[ks.municipality, neighbour])
    change = events("organisation.authority_changed").get()
    assert change.before == {"name": "ÖFN", "members": []}
    assert change.after == {"name": "Gemensamma överförmyndarnämnden",
                            "members": ["9901", "9902"]}
    user = f.user(home_municipality=ks.municipality)
    services.update_user(admin, user, is_active=False, last_name="Ek")
    assert events("organisation.user_changed").get().after == {"last_name": "Ek",
                                                               "is_active": False}


def test_roles_are_given_once_and_removed_with_an_event(ks, admin):
    user = f.user()
    first = services.assign_role(admin, user, ks, Role.ARCHIVIST)
    assert services.assign_role(admin, user, ks, Role.ARCHIVIST) == first
    assert events("organisation.role_assigned").count() == 1
    services.remove_role(admin, user, ks, Role.ARCHIVIST)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert events("organisation.role_removed").get().before["role"] == "archivist"
    with pytest.raises(ValidationError):
        services.remove_role(admin, user, ks, Role.ARCHIVIST)


def test_the_registry_creates_and_closes_its_diary_series(ks):
    registrator = f.user(roles={ks: Role.REGISTRATOR})
    with pytest.raises(PermissionDenied):
        registry.create_series(f.user(roles={ks: Role.OFFICER}), ks, code="KS", name="KS")
    for code in ("", "ks", "KS 2026", "KS/1", "A" * 17):
        with pytest.raises(ValidationError):
            registry.create_series(registrator, ks, code=code, name="Diarium")
    series = registry.create_series(registrator, ks, code="KS", name="Kommunstyrelsens diarium")
    with pytest.raises(ValidationError):
        registry.create_series(registrator, ks, code="KS", name="Igen")
    series = registry.update_series(registrator, series, name="KS diarium", active=False)
    with pytest.raises(ValidationError):
        f.case(registrator, series)
    assert [e.action for e in AuditEvent.objects.filter(chain=f"authority:{ks.pk}")
            .order_by("seq")] == ["series.created", "series.changed"]
