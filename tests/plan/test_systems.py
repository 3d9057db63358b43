"""The systems register and its checklists: copies, progress, who ticked what and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diarium.audit.models import AuditEvent
from diarium.plan import selectors, services
from diarium.plan.services import ItemData, SystemData
from tests import factories as f
from tests.plan import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.authority("KS")


@pytest.fixture
def archivist(ks):
    return pf.archivist(ks)


@pytest.fixture
def base(ks):
    return pf.adopted_base(ks)


def test_a_system_holds_record_types(ks, archivist, base):
    types = list(base.rules.values_list("record_type_id", flat=True))
    admin_user = f.user(roles={ks: "officer"})
    system = services.create_system(archivist, ks.municipality, SystemData(
        name="HR-systemet", owner=ks, administrator=admin_user, archive_delivery="continuous",
        extraction_spec="US 2025:3", record_type_ids=types))
    assert set(system.record_types.values_list("id", flat=True)) == set(types)
    assert system.administrator_label == str(admin_user)
    assert list(selectors.systems_holding(archivist, types[0])) == [system]
    with pytest.raises(ValidationError):
        services.create_system(archivist, ks.municipality, SystemData("hr-systemet", ks))
    with pytest.raises(ValidationError):
        services.update_system(archivist, system, SystemData("HR-systemet", ks, status="lost"))
    other = pf.adopted_base(f.authority("X", muni=f.municipality()))
    foreign = list(other.rules.values_list("record_type_id", flat=True))
    with pytest.raises(ValidationError):
        services.update_system(archivist, system, SystemData("HR", ks, record_type_ids=foreign))
    services.update_system(archivist, system, SystemData(
        "HR-systemet", ks, administrator_name="Extern konsult", status="retiring"))
    system.refresh_from_db()
    assert system.status == "retiring" and not system.record_types.exists()
    event = AuditEvent.objects.filter(action="system.updated").get()
    assert event.chain == f"authority:{ks.pk}" and event.after["status"] == "retiring"


def test_checklists_copy_the_template_and_track_progress(ks, archivist):
    items = ["Inventera", ItemData("Gallra", "Enligt plan"), "Leverera"]
    template = services.create_template(archivist, ks.municipality, "decommissioning",
                                        "Avveckling", items)
    system = services.create_system(archivist, ks.municipality, SystemData("Gamla", ks))
    checklist = services.start_checklist(archivist, system, template)
    services.set_template_items(archivist, template, ["Bara en punkt"])
    items = list(checklist.items.order_by("position"))
    assert [i.text for i in items] == ["Inventera", "Gallra", "Leverera"]
    assert items[1].guidance == "Enligt plan"
    assert selectors.checklist_progress(checklist) == selectors.Progress(0, 3)

    ticked = services.tick_item(archivist, items[0], note="Klart i maj")
    assert ticked.done and ticked.done_by == archivist and ticked.done_at is not None
    progress = selectors.checklist_progress(checklist)
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)
    annotated = selectors.checklists(archivist, system).get()
    assert (annotated.done, annotated.total) == (1, 3)
    untick = services.tick_item(archivist, items[0], done=False)
    assert not untick.done and untick.done_by is None and untick.note == "Klart i maj"
    actions = list(AuditEvent.objects.filter(chain=f"authority:{ks.pk}")
                   .values_list("action", "actor_name"))
    assert actions[-3:] == [("checklist.started", archivist.username),
                            ("checklist.item_ticked", archivist.username),
                            ("checklist.item_unticked", archivist.username)]


def test_who_may_tick(ks, archivist):
    administrator = f.user(roles={ks: "officer"})
    template = services.create_template(archivist, ks.municipality, "procurement", "Upphandling",
                                        ["Krav på export"])
    system = services.create_system(archivist, ks.municipality,
                                    SystemData("Nytt", ks, administrator=administrator))
    item = services.start_checklist(archivist, system, template).items.get()
    with pytest.raises(PermissionDenied):
        services.tick_item(f.user(roles={ks: "officer"}), item)
    assert services.tick_item(administrator, item).done_by == administrator
    with pytest.raises(PermissionDenied):
        services.create_template(f.user(roles={ks: "registrar"}), ks.municipality,
                                 "procurement", "X", ["a"])
    with pytest.raises(ValidationError):
        services.create_template(archivist, ks.municipality, "procurement", "Tom", [])
