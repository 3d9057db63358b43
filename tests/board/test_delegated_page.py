"""The delegated decisions page of an authority: registration from the UI (refused
input answers 400 and writes nothing), the list with its filters, the CSV export, and
the flag on a decision whose decision maker did not hold the delegation in the scheme in
force on its date."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from diarium.board import delegation_rules
from diarium.board.models import DelegatedDecision
from diarium.board.services import delegation
from tests import factories as f
from tests.board.test_delegation import ADOPTED, GOOD, _world

pytestmark = pytest.mark.django_db
# A later version, adopted with the same date, that gives 3.2 to a named person only.
LATER = GOOD.replace(b"3.2;Beslut om bygglov f\xc3\xb6r en- och tv\xc3\xa5bostadshus;roll;officer",
                     b"3.2;Beslut om bygglov f\xc3\xb6r en- och tv\xc3\xa5bostadshus;person;"
                     b"bygglovschef")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _register(client, world, case, number, user, **extra):
    return client.post(reverse("board:register_delegated", args=[world.authority.pk]), {
        "case": case if isinstance(case, str) else case.diary_number.lower(),
        "matter": number, "decided_by": str(user.pk),
        "decided_on": "2026-03-02", "summary": f"Beslut enligt {number}",
        "appealable": "1", **extra})


def test_register_filter_export_and_flag():
    world = _world()
    delegation.import_scheme(world.secretary, world.authority, GOOD, "csv", **ADOPTED)
    case = f.case(world.officer, world.series, "Bygglov Storgatan 1")
    other = f.case(world.officer, world.series, "Bygglov Lillgatan 2")
    officer = _client(world.officer)
    url = reverse("board:delegated_decisions", args=[world.authority.pk])
    page = officer.get(url)
    assert page.status_code == 200 and "3.5 Beslut om sanktionsavgift" in page.content.decode()

    assert _register(officer, world, case, "3.2", world.officer).status_code == 303
    assert _register(officer, world, other, "3.5", world.chief,
                     amount="1 000").status_code == 303
    assert _register(officer, world, case, "4.1", world.officer).status_code == 303
    # Refused: not delegable, not the delegate, over the limit, no such case, bad date.
    for number, user, extra in [("1.1", world.officer, {}), ("3.5", world.officer, {}),
                                ("3.5", world.chief, {"amount": "60000"}),
                                ("3.2", world.officer, {"case": "BMN 1999/9"}),
                                ("3.2", world.officer, {"decided_on": "2026-02-31"})]:
        refused = _register(officer, world, extra.pop("case", case), number, user, **extra)
        assert refused.status_code == 400, (number, extra)
    assert DelegatedDecision.objects.count() == 3

    def rows(**params) -> list[str]:
        html = officer.get(url, params).content.decode()
        body = html.split('<table id="delegated-decisions">')[1].split("</table>")[0]
        return [m for m in ("Beslut enligt 3.2", "Beslut enligt 3.5", "Beslut enligt 4.1")
                if m in body]

    assert rows() == ["Beslut enligt 3.2", "Beslut enligt 3.5", "Beslut enligt 4.1"]
    assert rows(matter="3.5") == ["Beslut enligt 3.5"]
    assert rows(matter="3") == ["Beslut enligt 3.2", "Beslut enligt 3.5"]
    assert rows(posted="yes") == ["Beslut enligt 3.5"]
    assert rows(reported="waiting") == ["Beslut enligt 3.2", "Beslut enligt 4.1"]
    assert rows(reported="no") == ["Beslut enligt 3.5"]
    assert rows(delegate="bygglovschef") == ["Beslut enligt 3.5"]
    assert rows(case=other.diary_number) == ["Beslut enligt 3.5"]
    assert rows(**{"from": "2026-03-03"}) == []
    assert rows(**{"from": "2026-03-01", "to": "2026-03-02"}) == rows()

    # A later version of the scheme, in force from the same day, takes 3.2 from the
    # officers: the officer's decision is flagged as outside the delegation.
    delegation.import_scheme(world.secretary, world.authority, LATER, "csv", **ADOPTED)
    decision = DelegatedDecision.objects.get(matter__number="3.2")
    errors, _warnings = delegation_rules.problems_of(decision)
    assert errors and world.officer.username in errors[0]
    html = officer.get(url).content.decode()
    assert html.count('class="flagged"') == 1

    export = officer.get(url, {"format": "csv", "matter": "3"})
    assert export["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["beslutsdatum", "diarienummer", "punkt"]
    by_matter = {line[2]: line for line in lines[1:]}
    assert set(by_matter) == {"3.2", "3.5"}
    assert by_matter["3.2"][10] and not by_matter["3.5"][10]  # the flag
    assert by_matter["3.5"][9] == "ja" and by_matter["3.5"][8] == "anmäls ej"


def test_the_page_is_for_the_authoritys_staff_only():
    world = _world()
    outsider = f.user("utomstaende")
    url = reverse("board:delegated_decisions", args=[world.authority.pk])
    assert _client(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    case = f.case(world.officer, world.series, "Bygglov")
    assert _register(_client(outsider), world, case, "3.2", world.officer
                     ).status_code == 404
