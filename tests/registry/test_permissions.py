"""The permission layer at selector level; the UI and API matrices build on it."""

import pytest

from diarium.registry import selectors, services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sn():
    return f.series(f.authority("SN"), "SN")


@pytest.fixture
def secret_case(sn):
    reg = f.user(roles={sn.authority: "registrar"})
    return f.case(reg, sn, title="Hemligt", secrecy=services.Secrecy("OSL 26:1"))


@pytest.mark.parametrize(
    ("role", "content"),
    [("registrar", True), ("archivist", True), ("administrator", True),
     ("officer", False), ("secretary", False), ("reader", False)],
)
def test_own_authority_sees_existence_content_by_role(sn, secret_case, role, content):
    user = f.user(roles={sn.authority: role})
    assert selectors.get_case(user, secret_case.id) == secret_case
    assert selectors.can_read_case_content(user, secret_case) is content


def test_access_group_and_responsible_officer_read_content(sn, secret_case):
    reg = f.user(roles={sn.authority: "registrar"})
    member = f.user(roles={sn.authority: "officer"})
    services.grant_case_access(reg, secret_case, member)
    assert selectors.can_read_case_content(member, secret_case)
    officer = f.user(roles={sn.authority: "officer"})
    mine = f.case(reg, sn, secrecy=services.Secrecy("OSL 26:1"), responsible_officer=officer)
    assert selectors.can_read_case_content(officer, mine)


def test_other_authority_never_sees_secret_records(sn, secret_case):
    outsider = f.user(roles={f.authority("KS"): "registrar"})
    assert not selectors.visible_cases(outsider).filter(id=secret_case.id).exists()
    open_case = f.case(f.user(roles={sn.authority: "registrar"}), sn, title="Öppet")
    assert selectors.visible_cases(outsider).filter(id=open_case.id).exists()


def test_users_without_roles_see_nothing(secret_case):
    nobody = f.user()
    assert not selectors.visible_cases(nobody).exists()
    assert not selectors.parties(nobody).exists()


def test_secret_read_is_audited(sn, secret_case):
    reg = f.user(roles={sn.authority: "registrar"})
    services.note_secret_read(reg, secret_case)
    events = selectors.Case.objects.none()  # keep the selector import honest
    assert not events.exists()
    from diarium.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="secret.read")
    assert event.actor == reg and event.case_id == secret_case.id
