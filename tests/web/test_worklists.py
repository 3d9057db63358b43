"""Issue 9, finding 5: work lists in an explicit order — overdue follow-ups first, then
coming ones, then cases without one — the same on SQLite and PostgreSQL; my cases, my
unit's, my authorities' and the inbox filtered by status, follow-up date, record type
and age, sorted, and exported to CSV and XLSX."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diarium.organisation.models import Administration, Unit
from diarium.registry import selectors, services
from diarium.registry.models import Case
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def mine(ks, registrator, officer):
    """Four cases of the officer: no follow-up, later, overdue, long overdue."""
    made = {}
    for name, when in (("utan", None), ("senare", days(10)), ("forsenat", days(-1)),
                       ("mycket", days(-30))):
        made[name] = f.case(registrator, ks, f"Ärende {name}", responsible_officer=officer,
                            follow_up_date=when)
    return made


def test_my_cases_put_overdue_first_and_cases_without_a_date_last(officer, mine):
    order = [c.title for c in selectors.my_cases(officer)]
    assert order == ["Ärende mycket", "Ärende forsenat", "Ärende senare", "Ärende utan"]
    html = logged_in(officer).get(reverse("web:home")).content.decode()
    positions = [html.index(f"Ärende {n}") for n in ("mycket", "forsenat", "senare", "utan")]
    assert positions == sorted(positions)


def test_work_lists_filter_and_sort(ks, registrator, officer, mine):
    client = logged_in(officer)
    url = reverse("registry:worklist", args=["mina"])

    def titles(**query) -> list[str]:
        html = client.get(url, query).content.decode()
        return [t for t in ("mycket", "forsenat", "senare", "utan") if f"Ärende {t}" in html]

    assert titles() == ["mycket", "forsenat", "senare", "utan"]
    assert titles(follow_up="overdue") == ["mycket", "forsenat"]
    assert titles(follow_up="none") == ["utan"]
    Case.objects.filter(pk=mine["senare"].pk).update(
        opened_at=timezone.now() - dt.timedelta(days=200))
    assert titles(older_than=180) == ["senare"]
    services.close_case(registrator, mine["utan"])
    assert titles(status="closed") == ["utan"]
    assert "utan" not in titles()
    html = client.get(url, {"sort": "title"}).content.decode()
    assert html.index("Ärende forsenat") < html.index("Ärende mycket") < html.index(
        "Ärende senare")
    assert "över 6 månader" in client.get(url).content.decode()


def test_unit_and_authority_lists(ks, registrator, officer, mine):
    administration = Administration.objects.create(
        municipality=ks.authority.municipality, name="KLF")
    administration.authorities.add(ks.authority)
    unit = Unit.objects.create(administration=administration, name="Kansliet")
    officer.unit = unit
    officer.save()
    services.update_case(registrator, mine["senare"], services.CaseData(
        title="Ärende senare", responsible_unit=unit, responsible_officer=officer,
        follow_up_date=days(10)))
    colleague = f.case(registrator, ks, "Kollegans ärende")
    secret = f.case(registrator, ks, "Hemligt ärende", secrecy=services.Secrecy("OSL 26:1"))
    client = logged_in(officer)
    unit_html = client.get(reverse("registry:worklist", args=["enhetens"])).content.decode()
    assert "Ärende senare" in unit_html and "Ärende utan" not in unit_html
    all_html = client.get(reverse("registry:worklist", args=["myndighetens"])).content.decode()
    assert colleague.title in all_html and "Ärende utan" in all_html
    # a secret case outside the officer's access group is not listed, not even as a stub
    assert secret.diary_number not in all_html


def test_export_csv_and_xlsx(officer, mine):
    client = logged_in(officer)
    csv_text = client.get(reverse("registry:worklist_export", args=["mina", "csv"]),
                          {"follow_up": "overdue"}).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Diarienummer;Titel;Status")
    assert len(lines) == 3 and "Ärende mycket" in lines[1] and lines[1].endswith(";ja")
    response = client.get(reverse("registry:worklist_export", args=["mina", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Diarienummer" and len(rows) == 5
    assert [r[1] for r in rows[1:]] == ["Ärende mycket", "Ärende forsenat", "Ärende senare",
                                        "Ärende utan"]


def test_the_inbox_list(ks, registrator, reg_client):
    from diarium.core.actors import principal

    mail = principal("system:demo")
    services.receive_mail(mail, ks.authority, sender="anna@example.org", subject="Ny ansökan")
    html = reg_client.get(reverse("registry:worklist", args=["inkorgen"])).content.decode()
    assert "Ny ansökan" in html
    assert "Ny ansökan" not in reg_client.get(
        reverse("registry:worklist", args=["inkorgen"]), {"older_than": 30}).content.decode()
    csv_text = reg_client.get(reverse("registry:worklist_export",
                                      args=["inkorgen", "csv"])).content.decode("utf-8-sig")
    assert "Ny ansökan" in csv_text
