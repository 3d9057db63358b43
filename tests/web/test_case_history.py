"""Issue 9, finding 4 (and finding 8's history part): every read of secret content stays
audited, but the case's history shows the changes by default and the reads in a tab of
their own, with counts; people by name, units and plan warnings in words."""

import pytest
from django.urls import reverse

from diarium.audit.models import AuditEvent
from diarium.organisation.models import Administration, Unit
from diarium.registry import history, services
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_reads_are_behind_their_own_tab_with_counts(ks, registrator, reg_client):
    case = f.case(registrator, ks, "Orosanmälan", secrecy=services.Secrecy("OSL 26:1"))
    url = reverse("registry:case", args=[case.pk])
    for _ in range(3):
        reg_client.get(url)
    assert AuditEvent.objects.filter(action="secret.read", case_id=case.pk).count() == 3
    html = reg_client.get(url).content.decode()
    assert "Ärendet öppnat" in html and "Sekretessbelagt innehåll läst" not in html
    assert "Ändringar (1)" in html and "Läsningar av sekretessbelagt innehåll (3)" in html
    reads = reg_client.get(url, {"historik": "lasningar"}).content.decode()
    assert reads.count("Sekretessbelagt innehåll läst (ärendesidan)") == 4
    assert "Ärendet öppnat" not in reads.split('id="history-heading"')[1]


def test_history_names_people_units_and_warnings_in_words(ks, registrator, reg_client):
    administration = Administration.objects.create(
        municipality=ks.authority.municipality, name="Kommunledningsförvaltningen")
    administration.authorities.add(ks.authority)
    unit = Unit.objects.create(administration=administration, name="Kansliet")
    case = f.case(registrator, ks)
    services.update_case(registrator, case, services.CaseData(
        title=case.title, responsible_unit=unit))
    html = reg_client.get(reverse("registry:case", args=[case.pk])).content.decode()
    table = html.split('id="history-heading"')[1]
    assert "<td>Rut Reg</td>" in table and "<td>reg</td>" not in table
    assert "Kansliet" in table and str(unit.pk) not in table
    assert history._show("plan_warnings", ["other_system", "wrong_series"], {}, {}) == (
        "ett annat IT-system, en annan diarieserie")


def test_a_reader_sees_the_history_without_identity_numbers(ks, registrator):
    case = f.case(registrator, ks, "Ansökan")
    f.document(registrator, case, "Brev", sender_recipient="Anna 811218-9876")
    reader = logged_in(f.user(roles={ks.authority: "reader"}))
    html = reader.get(reverse("registry:case", args=[case.pk])).content.decode()
    assert "19811218-9876" not in html and "811218-9876" not in html


def test_a_long_history_is_paged_newest_first(ks, registrator, reg_client):
    """A case with 250 changes shows its last 100 (oldest of them first), the count of
    all of them, and the earlier ones on the following pages; a document the reader may
    not see has no events in the count either."""
    from django.db import transaction

    from diarium.audit import services as audit

    case = f.case(registrator, ks, "Långt ärende")
    with transaction.atomic():
        audit.record_many(actor=registrator, events=[audit.Pending(
            action="case.updated", obj=case, chain=f"authority:{case.authority_id}",
            case_id=case.pk, before={"title": f"Titel {n}"}, after={"title": f"Titel {n + 1}"})
            for n in range(1, 250)])
    url = reverse("registry:case", args=[case.pk])
    newest = reg_client.get(url).content.decode().split('id="history-heading"')[1]
    assert "Ändringar (250)" in newest and "Sida 1 av 3 (nyaste först)" in newest
    assert "Titel 250" in newest and "Titel 149<" not in newest
    assert newest.index("Titel 200") < newest.index("Titel 249")  # oldest first on the page
    assert "Tidigare händelser" in newest and "Senare händelser" not in newest
    oldest = reg_client.get(url, {"historik": "andringar", "historik_sida": "3"}).content.decode()
    oldest = oldest.split('id="history-heading"')[1]
    assert "Ärendet öppnat" in oldest and "Titel 250" not in oldest
    assert "Senare händelser" in oldest and "Tidigare händelser" not in oldest
