"""The delegation scheme as data: import with every error by row and column (nothing
imported), export and import back, and delegated decisions checked against it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from diarium.board import delegation_rules
from diarium.board.models import DelegatedDecision, DelegationScheme, ItemKind, Notice
from diarium.board.services import agenda, delegation, notices
from diarium.plan.io.errors import PlanFileError
from tests import factories as f
from tests.board.world import make_world

pytestmark = pytest.mark.django_db
ADOPTED = {"adopted_by": "BMN 2026-01-20 § 4", "adopted_on": dt.date(2026, 1, 20),
           "valid_from": dt.date(2026, 2, 1)}

GOOD = """nummer;ärende;delegat_typ;delegat;ersättare;beloppsgräns;anmäls;får_ej_delegeras;\
anmärkning
3.2;Beslut om bygglov för en- och tvåbostadshus;roll;officer;;;ja;nej;
3.5;Beslut om sanktionsavgift;person;bygglovschef;stf_chef;50 000;nej;nej;
4.1;Föreläggande enligt miljöbalken;befattning;miljöchef;;;ja;nej;
1.1;Mål och budget;;;;;ja;ja;KL 6:38
""".encode()


def _world():
    world = make_world("BMN")
    world.chief = f.user("bygglovschef")
    world.deputy = f.user("stf_chef")
    return world


def test_import_errors_name_row_and_column_and_nothing_is_imported():
    world = _world()
    bad = ("nummer;ärende;delegat_typ;delegat;beloppsgräns;anmäls\n"
           "3.2;Bygglov;roll;officer;;ja\n"
           ";Utan nummer;roll;officer;;ja\n"
           "3.3;Fel typ;chef;x;;ja\n"
           "3.4;Fel belopp;roll;officer;mycket;kanske\n"
           "3.2;Dubblett;roll;officer;;ja\n").encode()
    with pytest.raises(PlanFileError) as caught:
        delegation.import_scheme(world.secretary, world.authority, bad, "csv", **ADOPTED)
    found = {(i.row, i.column) for i in caught.value.issues}
    assert {(3, "nummer"), (4, "delegat_typ"), (5, "beloppsgräns"), (5, "anmäls"),
            (6, "nummer")} <= found
    assert "Rad 3, kolumn nummer" in str(caught.value) or "Row 3" in str(caught.value)
    assert DelegationScheme.objects.count() == 0
    with pytest.raises(PlanFileError, match="vem"):
        delegation.import_scheme(world.secretary, world.authority,
                                 b"nummer;vem\n1;x\n", "csv", **ADOPTED)
    assert DelegationScheme.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_import_back_give_the_same_scheme(fmt):
    world = _world()
    first = delegation.import_scheme(world.secretary, world.authority, GOOD, "csv", **ADOPTED)
    again = delegation.import_scheme(world.secretary, world.authority,
                                     delegation_rules.export_scheme(first, fmt), fmt, **ADOPTED)
    assert again.version == first.version + 1
    keys = ["number", "title", "delegate_kind", "delegate", "substitutes", "limit",
            "must_report", "not_delegable", "remarks"]
    assert list(first.matters.values(*keys)) == list(again.matters.values(*keys))


def _decide(world, case, user, number, amount=None):
    return delegation.register_decision(world.officer, case, delegation_rules.DecisionData(
        matter_number=number, decided_by=user, decided_on=dt.date(2026, 3, 2),
        summary="Beviljat", amount=amount))


def test_a_delegated_decision_outside_the_delegates_scope_is_flagged():
    world = _world()
    delegation.import_scheme(world.secretary, world.authority, GOOD, "csv", **ADOPTED)
    case = f.case(world.officer, world.series, "Bygglov Storgatan 1")
    with pytest.raises(ValidationError, match=r"handlBMN.*3\.5"):
        _decide(world, case, world.officer, "3.5")  # not the named delegate
    with pytest.raises(ValidationError, match="50000"):
        _decide(world, case, world.chief, "3.5", Decimal("60000"))  # above the limit
    with pytest.raises(ValidationError, match="6:38"):
        _decide(world, case, world.officer, "1.1")
    with pytest.raises(ValidationError, match=r"9\.9"):
        _decide(world, case, world.officer, "9.9")
    with pytest.raises(ValidationError, match="2026-01-15"):
        delegation.register_decision(world.officer, case, delegation_rules.DecisionData(
            "3.2", world.officer, dt.date(2026, 1, 15), "Före ordningen"))
    assert DelegatedDecision.objects.count() == 0
    assert _decide(world, case, world.deputy, "3.5", Decimal("40000")).warnings == []
    flagged = _decide(world, case, world.officer, "4.1")
    assert "miljöchef" in flagged.warnings[0]


def test_reported_decisions_go_to_the_next_meeting_and_others_on_the_notice_board():
    world = _world()
    delegation.import_scheme(world.secretary, world.authority, GOOD, "csv", **ADOPTED)
    case = f.case(world.officer, world.series, "Bygglov Storgatan 1")
    reported = _decide(world, case, world.officer, "3.2")
    posted = _decide(world, case, world.chief, "3.5", Decimal("1000"))
    assert not Notice.objects.filter(source_id=reported.pk).exists()
    notice = Notice.objects.get(source_id=posted.pk)
    assert notice.kind == "delegation"
    assert (notice.appeal_last_day - notice.posted_on).days >= 21
    meeting = agenda.create_meeting(world.secretary, world.body, dt.date(2026, 3, 17),
                                    dt.time(9), "Salen")
    item = agenda.add_fixed_item(world.secretary, meeting, ItemKind.DELEGATION)
    notices.send_notice(world.secretary, meeting)
    reported.refresh_from_db()
    posted.refresh_from_db()
    assert reported.reported_in == item and posted.reported_in is None


def test_the_command_imports_and_exports_and_refuses_a_bad_file(tmp_path):
    from django.core.management import CommandError, call_command

    world = _world()
    good, bad, out = tmp_path / "ordning.csv", tmp_path / "fel.csv", tmp_path / "ut.xlsx"
    good.write_bytes(GOOD)
    bad.write_bytes(b"nummer;\xc3\xa4rende;anm\xc3\xa4ls\n;Utan nummer;kanske\n")
    common = ["--authority", "BMN", "--user", world.secretary.username, "--adopted-by",
              "BMN § 4", "--adopted-on", "2026-01-20", "--valid-from", "2026-02-01"]
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("delegation", "import", str(bad), *common)
    assert DelegationScheme.objects.count() == 0
    call_command("delegation", "import", str(good), *common)
    call_command("delegation", "export", "--authority", "BMN", "--format", "xlsx",
                 "--out", str(out))
    assert out.stat().st_size > 0
