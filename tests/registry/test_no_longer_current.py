"""Rules counted "vid inaktualitet": the disposal date waits for the day the registry or an
archivist finds the document no longer current, through the service, the API and the UI."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from diarium.audit.models import AuditEvent
from diarium.registry import disposal_services
from diarium.registry.models import DisposalOutcome
from tests import factories as f
from tests.plan import factories as pf
from tests.registry.plan_world import RULES, register, world

pytestmark = pytest.mark.django_db

FOUND_ON = dt.date(2025, 3, 1)


@pytest.fixture
def w():
    return world([*RULES, pf.disposed("Kontaktlista", 1, "years", "obsolete")])


@pytest.fixture
def doc(w):
    case = f.case(w.registrator, w.ks)
    return register(w.registrator, case, "Kontaktlista", document_date=dt.date(2025, 1, 10))


def test_undetermined_until_found_no_longer_current(w, doc):
    assert doc.disposal_outcome == DisposalOutcome.UNDETERMINED
    doc = disposal_services.mark_no_longer_current(w.archivist, doc, FOUND_ON)
    assert (doc.disposal_outcome, doc.disposal_date) == (DisposalOutcome.DATE, dt.date(2026, 3, 1))
    event = AuditEvent.objects.filter(action="document.no_longer_current").get()
    assert event.actor == w.archivist and event.after["no_longer_current_on"] == "2025-03-01"
    doc = disposal_services.mark_no_longer_current(w.registrator, doc, None)
    assert (doc.disposal_outcome, doc.disposal_date) == (DisposalOutcome.UNDETERMINED, None)


def test_a_future_day_and_other_roles_are_refused(w, doc):
    with pytest.raises(ValidationError):
        disposal_services.mark_no_longer_current(
            w.archivist, doc, timezone.localdate() + dt.timedelta(days=1))
    officer = f.user(roles={w.ks.authority: "officer"})
    with pytest.raises(PermissionDenied):
        disposal_services.mark_no_longer_current(officer, doc, FOUND_ON)
    doc.refresh_from_db()
    assert doc.no_longer_current_on is None


def test_through_the_api(w, doc):
    api = APIClient()
    api.force_authenticate(w.archivist)
    url = f"/api/v1/documents/{doc.pk}/no-longer-current/"
    response = api.post(url, {"date": "2025-03-01"}, format="json")
    assert response.status_code == 200
    disposal = response.json()["disposal"]
    assert disposal == disposal | {"outcome": "date", "date": "2026-03-01",
                                   "no_longer_current_on": "2025-03-01"}
    outsider = APIClient()
    outsider.force_authenticate(f.user(roles={w.bun.authority: "archivist"}))
    # An open document is readable by other authorities' staff, but theirs is no say in it.
    assert outsider.post(url, {"date": "2024-01-01"}, format="json").status_code == 403
    assert api.post(url, {"date": "not a date"}, format="json").status_code == 400
    doc.refresh_from_db()
    assert doc.no_longer_current_on == FOUND_ON


def test_through_the_document_page(w, doc):
    client = Client()
    client.force_login(w.archivist)
    page = client.get(reverse("registry:document", args=[doc.pk]))
    action = reverse("registry:document_no_longer_current", args=[doc.pk])
    assert action in page.content.decode()
    response = client.post(action, {"date": "2025-03-01"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.disposal_date == dt.date(2026, 3, 1)
