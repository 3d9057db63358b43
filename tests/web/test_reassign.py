"""Issue 9, finding 6: the responsible officer is a case officer, board secretary or
registrar of the case's authority (never a reader, archivist or administrator: a dead
end); reassigning is an audited service that notifies the new officer in the app."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.registry import services
from diarium.registry.models import CaseNotification
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(ks):
    a = ks.authority
    return {role: f.user(role, roles={a: role}, first_name=role.title(), last_name="Test")
            for role in ("reader", "archivist", "administrator", "secretary")}


def test_only_case_handlers_are_offered_and_accepted(ks, registrator, officer, people):
    case = f.case(registrator, ks)
    other_board = f.user(roles={f.authority("BUN"): "officer"})
    for user in (*[people[r] for r in ("reader", "archivist", "administrator")], other_board):
        with pytest.raises(ValidationError) as refused:
            services.reassign_case(registrator, case, user)
        assert "responsible_officer" in refused.value.message_dict
        with pytest.raises(ValidationError):
            f.case(registrator, ks, responsible_officer=user)
    for user in (officer, people["secretary"], registrator):
        services.reassign_case(registrator, case, user)
    client = logged_in(registrator)
    for url in (reverse("registry:register"), reverse("registry:case", args=[case.pk]),
                reverse("registry:case_edit", args=[case.pk])):
        html = client.get(url).content.decode()
        assert "Hans Hand" in html and "Secretary Test" in html, url
        for role in ("Reader", "Archivist", "Administrator"):
            assert f"{role} Test</option>" not in html, (url, role)
    response = client.post(reverse("registry:register"), {
        "target": "new", "series": ks.pk, "case_title": "X", "title": "Brev",
        "document_date": "2026-01-02", "responsible_officer": people["reader"].pk})
    assert response.status_code == 200 and "error-summary" in response.content.decode()


def test_reassignment_is_audited_and_notifies_the_new_officer(ks, registrator, officer):
    case = f.case(registrator, ks)
    logged_in(registrator).post(reverse("registry:case_reassign", args=[case.pk]),
                                {"responsible_officer": officer.pk})
    event = AuditEvent.objects.get(case_id=case.pk, action="case.reassigned")
    assert event.after == {"responsible_officer": officer.pk}
    notice = CaseNotification.objects.get(user=officer)
    assert notice.case == case and notice.kind == "assigned"
    client = logged_in(officer)
    home = client.get(reverse("web:home")).content.decode()
    assert f"Rut Reg har lämnat över ärendet {case.diary_number} till dig" in home
    client.post(reverse("registry:notifications_read"))
    assert not CaseNotification.objects.filter(user=officer, read_at=None).exists()
    # taking a case oneself notifies nobody
    services.reassign_case(registrator, case, registrator)
    assert not CaseNotification.objects.filter(user=registrator).exists()
