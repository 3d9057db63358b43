import io

import pytest
from django.core.management import call_command

from diarium.audit.models import AuditEvent
from diarium.organisation.models import (
    Administration,
    Authority,
    Municipality,
    Role,
    RoleAssignment,
    User,
)
from diarium.registry import selectors
from diarium.registry.identity import normalise_organisationsnummer, normalise_personnummer
from diarium.registry.models import Case, CaseStatus, Document, InboxItem, Party, PartyKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Case, Document, AuditEvent, Party, User, InboxItem, Municipality)
    }


def test_demo_builds_a_municipality_with_cases():
    assert "demo data loaded" in demo()

    assert Authority.objects.count() == 11
    assert Administration.objects.count() == 9
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert Case.objects.count() >= 200
    assert Case.objects.exclude(secrecy_provision="").count() >= 20
    assert Case.objects.filter(status=CaseStatus.VOID).exclude(void_reason="").exists()
    assert Case.objects.filter(status=CaseStatus.CLOSED).exclude(closing_note="").exists()
    assert Case.objects.filter(status=CaseStatus.DORMANT).exists()
    assert InboxItem.objects.filter(authority__code__in=["KS", "BUN"]).count() >= 4
    assert all(1 <= c.document_count <= 5 for c in Case.objects.all())
    for party in Party.objects.all():
        normalise = (
            normalise_personnummer if party.kind == PartyKind.PERSON
            else normalise_organisationsnummer
        )
        assert normalise(party.identity_number) == party.identity_number

    registrator = User.objects.get(username="registrator")
    assert registrator.check_password("demo-registrator")
    assert User.objects.get(username="admin").is_superuser

    # The joint board: its cases name a member municipality, and a neighbour's officer
    # works in it without seeing the host's secret social services cases.
    ofn = Authority.objects.get(code="ÖFN")
    assert ofn.member_municipalities.count() == 3
    ofn_cases = Case.objects.filter(authority=ofn)
    assert not ofn_cases.filter(municipality=None).exists()
    neighbour = User.objects.get(username="handlaggare-bjorkfors")
    assert neighbour.home_municipality.name == "Björkfors kommun"
    visible = selectors.visible_cases(neighbour)
    assert visible.filter(authority=ofn).count() == ofn_cases.count()
    assert not visible.filter(authority__code="SN").exclude(secrecy_provision="").exists()


def test_second_run_changes_nothing_and_the_audit_log_verifies():
    demo()
    before = counts()
    assert demo().strip() == "demo data already loaded"
    assert counts() == before

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "audit log intact" in out.getvalue()


def test_demo_leaves_a_database_with_another_municipality_alone():
    f.municipality("Annans kommun", "0001")
    out = demo()
    assert "not loaded" in out
    assert Authority.objects.count() == 0 and Case.objects.count() == 0
