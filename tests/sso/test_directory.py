"""The directory sync against a real OpenLDAP server (slapd.py): users created with name,
e-mail, employee number and unit, updated when the directory changes, deactivated when
they leave or are disabled and reactivated when they come back, roles from groups; a dry
run changes nothing; local accounts are left alone; a run that would deactivate too many
stops; the command and the scheduled job."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from diarium.audit.models import AuditEvent
from diarium.core.jobs import services as jobs
from diarium.organisation import directory
from diarium.organisation.models import Administration, RoleAssignment, Unit, User
from tests import factories as f
from tests.conftest import require
from tests.sso import slapd
from tests.sso.conftest import configure

pytestmark = pytest.mark.django_db
GROUPS = ('{"diarium-ks-registratorer": ["KS:registrar"], '
          '"diarium-bun-handlaggare": ["BUN:officer"]}')


@pytest.fixture(scope="module")
def ldap_server(tmp_path_factory):
    require(slapd.available(), "slapd and ldap-utils (Debian packages slapd, ldap-utils)")
    server = slapd.Slapd(tmp_path_factory.mktemp("slapd"))
    server.start()
    server.add(slapd.BASE_LDIF)
    yield server
    server.stop()


@pytest.fixture
def ldap(ldap_server, settings, boards):
    """An empty ou=people, and Diarium configured for it as an operator would."""
    ldap_server.clear_people()
    configure(settings, {
        "DIARIUM_LDAP_URL": ldap_server.url,
        "DIARIUM_LDAP_BIND_DN": f"cn=diarium-reader,{slapd.SUFFIX}",
        "DIARIUM_LDAP_BIND_PASSWORD": "reader-pw-1",
        "DIARIUM_LDAP_USER_BASE": slapd.PEOPLE,
        "DIARIUM_LDAP_USER_FILTER": "(objectClass=inetOrgPerson)",
        "DIARIUM_LDAP_DISABLED_FILTER": "(employeeType=inaktiv)",
        "DIARIUM_LDAP_ATTRIBUTES": '{"username": "uid", "unit": "departmentNumber", '
                                   '"external_id": "employeeNumber", '
                                   '"groups": "businessCategory"}',
        "DIARIUM_SSO_GROUP_ROLES": GROUPS,
        "DIARIUM_LDAP_MAX_DEACTIVATE_SHARE": "0.7",
    })
    admin = Administration.objects.create(municipality=boards["muni"],
                                          name="Samhällsbyggnadsförvaltningen")
    Unit.objects.create(administration=admin, name="Bygglov")
    Unit.objects.create(administration=admin, name="Miljö")
    return ldap_server


def people(server: slapd.Slapd) -> None:
    server.add("\n".join([
        slapd.person("anna", "Anna", "Berg", mail="anna.berg@sjovik.se", unit="Bygglov",
                     number="1001", groups=["diarium-ks-registratorer"]),
        slapd.person("bertil", "Bertil", "Ek", mail="bertil.ek@sjovik.se", unit="Miljö",
                     number="1002"),
        slapd.person("cecilia", "Cecilia", "Holm", number="1003"),
        slapd.person("gamla", "Gamla", "Kontot", number="1004", disabled=True),
    ]))


def roles(user) -> set:
    return set(RoleAssignment.objects.filter(user=user).values_list("authority__code", "role"))


def test_a_dry_run_reports_and_changes_nothing(ldap):
    people(ldap)
    report = directory.sync(dry_run=True)
    assert report.entries == 4 and report.counts()["create"] == 3
    assert not User.objects.filter(username__in=["anna", "bertil", "cecilia"]).exists()
    assert not AuditEvent.objects.filter(action="organisation.user_created").exists()


def test_the_sync_creates_users_with_names_mail_number_unit_and_roles(ldap):
    people(ldap)
    report = directory.sync()
    assert report.counts()["create"] == 3 and report.problems == []
    anna = User.objects.get(username="anna")
    assert (anna.first_name, anna.last_name, anna.email, anna.external_id) == (
        "Anna", "Berg", "anna.berg@sjovik.se", "1001")
    assert anna.unit.name == "Bygglov" and anna.identity_source == "directory"
    assert roles(anna) == {("KS", "registrar")}
    assert not anna.has_usable_password()
    assert not User.objects.filter(username="gamla").exists()  # disabled: not created
    event = AuditEvent.objects.get(action="organisation.user_created", object_id=str(anna.pk))
    assert event.actor_name == "system:directory"


def test_changes_in_the_directory_update_deactivate_and_reactivate(ldap):
    people(ldap)
    directory.sync()
    local = f.user("lokal.admin")  # not in the directory, not the directory's: left alone
    ldap.modify(f"dn: uid=anna,{slapd.PEOPLE}\nchangetype: modify\nreplace: sn\nsn: Lind\n-\n"
                "replace: departmentNumber\ndepartmentNumber: Miljö\n-\n"
                "replace: businessCategory\nbusinessCategory: diarium-bun-handlaggare\n")
    ldap.modify(f"dn: uid=bertil,{slapd.PEOPLE}\nchangetype: modify\nadd: employeeType\n"
                "employeeType: inaktiv\n")
    ldap.delete(f"uid=cecilia,{slapd.PEOPLE}")
    report = directory.sync()
    assert report.counts()["update"] == 1 and report.counts()["deactivate"] == 2
    anna = User.objects.get(username="anna")
    assert (anna.last_name, anna.unit.name) == ("Lind", "Miljö")
    assert roles(anna) == {("BUN", "officer")}
    assert not User.objects.get(username="bertil").is_active
    assert not User.objects.get(username="cecilia").is_active
    local.refresh_from_db()
    assert local.is_active
    # Bertil is enabled again: the sync deactivated him, so it brings him back.
    ldap.modify(f"dn: uid=bertil,{slapd.PEOPLE}\nchangetype: modify\ndelete: employeeType\n")
    report = directory.sync()
    assert report.counts()["reactivate"] == 1
    assert User.objects.get(username="bertil").is_active
    changed = AuditEvent.objects.filter(action="organisation.user_changed",
                                        actor_name="system:directory")
    assert changed.filter(after__is_active=False).count() == 2


def test_a_user_deactivated_by_an_administrator_stays_deactivated(ldap, boards):
    people(ldap)
    directory.sync()
    admin = f.user("admin", roles={boards["KS"]: "administrator"})
    from diarium.organisation import services

    services.update_user(admin, User.objects.get(username="bertil"), is_active=False)
    report = directory.sync()
    assert report.counts()["reactivate"] == 0
    assert not User.objects.get(username="bertil").is_active


def test_an_existing_account_is_matched_and_taken_over(ldap):
    people(ldap)
    before = f.user("Anna", email="gammal@sjovik.se")
    directory.sync()
    before.refresh_from_db()
    assert before.email == "anna.berg@sjovik.se" and before.identity_source == "directory"
    assert User.objects.filter(username__iexact="anna").count() == 1


def test_a_run_that_would_deactivate_too_many_stops(ldap):
    people(ldap)
    directory.sync()
    ldap.clear_people()  # a wrong base or filter looks like this
    with pytest.raises(directory.DirectoryError, match="MAX_DEACTIVATE_SHARE"):
        directory.sync()
    assert User.objects.filter(identity_source="directory", is_active=True).count() == 3
    directory.sync(force=True)
    assert User.objects.filter(identity_source="directory", is_active=True).count() == 0


def test_the_command_prints_a_report(ldap, capsys):
    people(ldap)
    call_command("directory", "sync", "--dry-run")
    out = capsys.readouterr().out
    assert "create\tanna\tfirst_name: '' -> 'Anna'" in out and "+KS:registrar" in out
    assert "dry run: nothing was changed" in out
    call_command("directory", "sync")
    assert "4 in the directory: 3 create" in capsys.readouterr().out


def test_the_sync_runs_as_a_scheduled_job(ldap, settings):
    people(ldap)
    job = jobs.run_here("organisation.directory_sync", principal="system:directory")
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    assert job.result["create"] == 3
    assert User.objects.filter(identity_source="directory").count() == 3


def test_the_schedule_entry_comes_with_the_directory(monkeypatch):
    import importlib

    import diarium.settings as production

    monkeypatch.setenv("DIARIUM_LDAP_URL", "ldap://dc1.sjovik.se")
    monkeypatch.setenv("DIARIUM_LDAP_USER_BASE", "dc=sjovik,dc=se")
    monkeypatch.setenv("DIARIUM_LDAP_SYNC_EVERY", "1h")
    monkeypatch.delenv("DIARIUM_JOB_SCHEDULE", raising=False)
    reloaded = importlib.reload(production)
    try:
        assert reloaded.JOB_SCHEDULE["directory-sync"] == {
            "kind": "organisation.directory_sync", "every": "1h",
            "principal": "system:directory"}
        assert reloaded.LDAP_SYNC["url"] == "ldap://dc1.sjovik.se"
    finally:
        monkeypatch.undo()
        importlib.reload(production)
