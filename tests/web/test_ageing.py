"""Issue 9, ageing and FL 12 §: the report of open cases by age per authority and unit,
the mark on cases open more than six months, and the one visibility policy on both
(a secret case is a count for whoever sees it exist, a title only for its access group;
another authority's secret cases are not even counted)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diarium.organisation.models import Administration, Unit
from diarium.registry import ageing, services
from diarium.registry.models import Case
from tests import factories as f
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET = services.Secrecy(provision="OSL 26:1")


def opened(case: Case, day: dt.date) -> Case:
    """Backdate a case's opening (the registry opens cases today)."""
    Case.objects.filter(pk=case.pk).update(
        opened_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))
    case.refresh_from_db()
    return case


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert ageing.months_after(dt.date(2026, 1, 10), 6) == dt.date(2026, 7, 10)
    assert ageing.months_after(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert ageing.months_after(dt.date(2026, 9, 30), 6) == dt.date(2027, 3, 30)
    assert ageing.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


def test_the_six_month_mark_is_the_day_after_six_months(ks, registrator):
    case = opened(f.case(registrator, ks), dt.date(2026, 1, 10))
    assert ageing.six_month_mark(case) == dt.date(2026, 7, 11)
    assert not ageing.over_six_months(case, dt.date(2026, 7, 10))
    assert ageing.over_six_months(case, dt.date(2026, 7, 11))
    q = ageing.over_six_months_q(dt.date(2026, 7, 10))
    assert not Case.objects.filter(q, pk=case.pk).exists()
    assert Case.objects.filter(ageing.over_six_months_q(dt.date(2026, 7, 11)),
                               pk=case.pk).exists()
    services.close_case(registrator, case, "Klart")
    case.refresh_from_db()
    assert not ageing.over_six_months(case, dt.date(2026, 7, 11))


@pytest.fixture
def world(ks, registrator, officer):
    admin = Administration.objects.create(municipality=ks.authority.municipality, name="Förv")
    admin.authorities.add(ks.authority)
    plan_unit = Unit.objects.create(administration=admin, name="Planenheten")
    other = f.series(f.authority("BN", name="Byggnadsnämnden"), "BN")
    bn_reg = f.user("bnreg", roles={other.authority: "registrar"})
    made = {
        "new": f.case(registrator, ks, "Nytt ärende", responsible_unit=plan_unit),
        "old": opened(f.case(registrator, ks, "Gammalt ärende 19811218-9876",
                             responsible_officer=officer, responsible_unit=plan_unit,
                             follow_up_date=TODAY - dt.timedelta(days=3)),
                      TODAY - dt.timedelta(days=250)),
        "ancient": opened(f.case(registrator, ks, "Uråldrigt ärende"),
                          TODAY - dt.timedelta(days=800)),
        "secret": opened(f.case(registrator, ks, "Hemligt orosärende", secrecy=SECRET),
                         TODAY - dt.timedelta(days=400)),
        "closed": opened(f.case(registrator, ks, "Stängt ärende"), TODAY - dt.timedelta(days=300)),
        "other": opened(f.case(bn_reg, other, "Bygglov hemligt", secrecy=SECRET),
                        TODAY - dt.timedelta(days=500)),
    }
    services.close_case(registrator, made["closed"], "Klart")
    return made


def test_the_report_counts_open_cases_by_age_per_authority_and_unit(officer, world):
    report = ageing.ageing_report(officer)
    rows = {(r.authority.code, r.unit.name if r.unit else None): r for r in report.rows}
    # The officer holds a role in KS only: BN's cases are not in her report at all.
    assert set(rows) == {("KS", "Planenheten"), ("KS", None)}
    unit = rows[("KS", "Planenheten")]
    assert unit.counts == [1, 0, 0, 1, 0, 0] and unit.total == 2
    assert unit.over_six_months == 1 and unit.overdue_follow_up == 1
    none = rows[("KS", None)]
    # Ancient (over two years) and the secret one (a year and more): the secret case
    # is counted, since she sees that it exists.
    assert none.counts == [0, 0, 0, 0, 1, 1] and none.over_six_months == 2
    assert report.totals.total == 4 and report.totals.over_six_months == 3


def test_the_report_page_lists_only_what_the_viewer_may_read(officer, registrator, world):
    html = logged_in(officer).get(reverse("registry:ageing")).content.decode()
    assert "Planenheten" in html and "Uråldrigt ärende" in html
    assert world["old"].diary_number in html
    # The secret case is counted, never listed with its title, for an officer outside
    # its access group; BN's secret case is neither counted nor listed.
    assert "Hemligt orosärende" not in html and world["secret"].diary_number not in html
    assert "Bygglov hemligt" not in html and world["other"].diary_number not in html
    assert "Nytt ärende" not in html  # under six months: in the counts, not the list
    # The registrator is in every KS case's access group: she sees the secret title.
    html = logged_in(registrator).get(reverse("registry:ageing")).content.decode()
    assert "Hemligt orosärende" in html


def test_the_report_exports_counts_as_csv_and_xlsx(officer, world):
    client = logged_in(officer)
    csv = client.get(reverse("registry:ageing_export", args=["csv"])).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].split(";")[0] in ("Myndighet", "Authority")
    assert any(line.startswith("Kommunstyrelsen;Planenheten;1;0;0;1;0;0;2;1;1") for line in lines)
    assert "Hemligt" not in csv
    data = client.get(reverse("registry:ageing_export", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]] == ["Kommunstyrelsen", "Planenheten", 1, 0, 0, 1, 0, 0,
                                           2, 1, 1]
    assert client.get(reverse("registry:ageing_export", args=["pdf"])).status_code == 404


def test_a_case_open_over_six_months_is_marked_on_its_page_and_in_the_lists(
        officer, registrator, world):
    client = logged_in(officer)
    old = client.get(reverse("registry:case", args=[world["old"].pk])).content.decode()
    new = client.get(reverse("registry:case", args=[world["new"].pk])).content.decode()
    assert 'class="tag fl12"' in old and 'class="tag fl12"' not in new
    closed = logged_in(registrator).get(
        reverse("registry:case", args=[world["closed"].pk])).content.decode()
    assert 'class="tag fl12"' not in closed


def test_a_user_without_roles_sees_an_empty_report(world):
    nobody = f.user("ingen")
    html = logged_in(nobody).get(reverse("registry:ageing")).content.decode()
    assert "Gammalt ärende" not in html and ageing.ageing_report(nobody).rows == []


def test_the_mark_is_on_my_cases_the_work_lists_and_the_search(officer, world):
    client = logged_in(officer)
    for url, query in ((reverse("web:home"), {}),
                       (reverse("registry:worklist", args=["mina"]), {}),
                       (reverse("registry:search"), {"q": "Gammalt"})):
        html = client.get(url, query).content.decode()
        assert world["old"].diary_number in html and 'class="tag fl12"' in html, url
    html = client.get(reverse("registry:search"), {"q": "Nytt"}).content.decode()
    assert world["new"].diary_number in html and 'class="tag fl12"' not in html
