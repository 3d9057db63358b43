"""Reads for all staff; writes for archivists and administrators of the right authority."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from diarium.plan import selectors, services
from diarium.plan.services import SystemData
from tests import factories as f
from tests.plan import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.authority("KS")


@pytest.fixture
def bun(ks):
    return f.authority("BUN", muni=ks.municipality)


def test_base_plan_is_edited_by_any_archivist_or_administrator(ks, bun):
    plan = pf.base_plan(ks)
    bun_archivist = pf.archivist(bun)
    admin = f.user(roles={ks: "administrator"})
    draft = services.create_draft(bun_archivist, plan)
    services.save_process(admin, draft, "1", "Ledning och styrning")
    for role in ("registrar", "officer", "reader", "secretary"):
        with pytest.raises(PermissionDenied):
            services.save_process(f.user(roles={ks: role}), draft, "2", "Stöd")
    foreign = pf.archivist(f.authority("X", muni=f.municipality()))
    with pytest.raises(PermissionDenied):
        services.discard_draft(foreign, draft)


def test_authority_plan_is_edited_by_its_own_archivists(ks, bun):
    base = pf.adopted_base(ks)
    with pytest.raises(PermissionDenied):
        services.create_plan(pf.archivist(bun), ks.municipality, ks)
    plan = services.create_plan(pf.archivist(ks), ks.municipality, ks)
    with pytest.raises(PermissionDenied):
        services.create_draft(pf.archivist(bun), plan, base=base)
    draft = services.create_draft(f.user(roles={ks: "administrator"}), plan, base=base)
    with pytest.raises(PermissionDenied):
        services.import_plan(pf.archivist(bun), plan, b"", "csv")
    with pytest.raises(PermissionDenied):
        pf.adopt(draft, actor=f.user(roles={ks: "registrar"}))
    pf.adopt(draft, actor=pf.archivist(ks))


def test_all_staff_read_and_others_do_not(ks):
    plan = pf.base_plan(ks)
    reader = f.user(roles={ks: "reader"})
    assert list(selectors.visible_plans(reader)) == [plan]
    assert selectors.get_plan(reader, plan.pk) == plan
    assert not selectors.visible_plans(f.user()).exists()
    assert not selectors.visible_plans(AnonymousUser()).exists()
    assert selectors.can_edit_plan(pf.archivist(ks), plan)
    assert not selectors.can_edit_plan(reader, plan)
    assert not selectors.can_edit_plan(AnonymousUser(), plan)


def test_systems_are_edited_by_the_owner_authority(ks, bun):
    data = SystemData(name="Skolsystemet", owner=bun)
    with pytest.raises(PermissionDenied):
        services.create_system(pf.archivist(ks), ks.municipality, data)
    bun_archivist = pf.archivist(bun)
    system = services.create_system(bun_archivist, ks.municipality, data)
    with pytest.raises(PermissionDenied):  # giving it away needs rights in both
        services.update_system(bun_archivist, system, SystemData(name="Skolsystemet", owner=ks))
    both = f.user(roles={ks: "archivist", bun: "administrator"})
    assert services.update_system(both, system, SystemData("Skolsystemet", ks)).owner == ks
    assert list(selectors.visible_systems(f.user(roles={bun: "reader"}))) == [system]
    assert not selectors.visible_systems(f.user()).exists()
