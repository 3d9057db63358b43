"""The permission layer at selector level; the UI and API matrices build on it."""

import pytest

from diarium.audit.models import AuditEvent
from diarium.registry import selectors, services
from diarium.registry.visibility import policy_for
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
    assert policy_for(user).case(secret_case).content is content


def test_access_group_and_responsible_officer_read_content(sn, secret_case):
    reg = f.user(roles={sn.authority: "registrar"})
    member = f.user(roles={sn.authority: "officer"})
    services.grant_case_access(reg, secret_case, member)
    assert policy_for(member).case(secret_case).content
    officer = f.user(roles={sn.authority: "officer"})
    mine = f.case(reg, sn, secrecy=services.Secrecy("OSL 26:1"), responsible_officer=officer)
    assert policy_for(officer).case(mine).content


def test_other_authority_never_sees_secret_records(sn, secret_case):
    outsider = f.user(roles={f.authority("KS"): "registrar"})
    assert not selectors.visible_cases(outsider).filter(id=secret_case.id).exists()
    open_case = f.case(f.user(roles={sn.authority: "registrar"}), sn, title="Öppet")
    assert selectors.visible_cases(outsider).filter(id=open_case.id).exists()


def test_users_without_roles_see_nothing(secret_case):
    nobody = f.user()
    assert not selectors.visible_cases(nobody).exists()
    assert not selectors.parties(nobody).exists()


def test_secret_read_is_audited_by_the_policy(sn, secret_case):
    reg = f.user(roles={sn.authority: "registrar"})
    with policy_for(reg).page("test") as shown:
        assert shown.show_case(secret_case)
    event = AuditEvent.objects.get(action="secret.read")
    assert event.actor == reg and event.case_id == secret_case.id
    assert event.after == {"view": "test", "shown": [["registry.case", str(secret_case.id)]]}


def test_a_page_that_fails_audits_nothing(sn, secret_case):
    reg = f.user(roles={sn.authority: "registrar"})
    with pytest.raises(LookupError), policy_for(reg).page("test") as shown:
        assert shown.show_case(secret_case)
        raise LookupError
    assert not AuditEvent.objects.filter(action="secret.read").exists()
