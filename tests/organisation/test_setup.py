"""`diarium setup`: the municipality and its first administrator, nothing else, once."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from diarium.audit.models import AuditEvent
from diarium.organisation.models import Authority, Municipality, RoleAssignment, User

pytestmark = pytest.mark.django_db

FLAGS = ["--no-input", "--municipality-name", "Ängby kommun", "--municipality-code", "9950",
         "--org-number", "212000-9950", "--admin-username", "it-admin",
         "--admin-email", "it@angby.example", "--admin-first-name", "Mona"]
PASSWORD = "en-lång-lösenordsfras-9"


def setup(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue()


def test_non_interactive_setup_creates_the_municipality_and_its_administrator(monkeypatch):
    monkeypatch.setenv("DIARIUM_ADMIN_PASSWORD", PASSWORD)
    text = setup(*FLAGS)
    assert "Ängby kommun" in text and "organisation import" in text
    muni = Municipality.objects.get()
    assert (muni.name, muni.code, muni.organisation_number) == ("Ängby kommun", "9950",
                                                                "212000-9950")
    admin = User.objects.get()
    assert admin.username == "it-admin" and admin.email == "it@angby.example"
    assert admin.first_name == "Mona" and admin.home_municipality == muni
    assert admin.is_superuser and admin.is_staff and admin.check_password(PASSWORD)
    # Nothing else: no boards, no roles; and both rows have their audit events.
    assert not Authority.objects.exists() and not RoleAssignment.objects.exists()
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "organisation.municipality_created", "organisation.user_created"]
    assert PASSWORD not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_setup_runs_once(monkeypatch):
    monkeypatch.setenv("DIARIUM_ADMIN_PASSWORD", PASSWORD)
    setup(*FLAGS)
    with pytest.raises(CommandError, match="already set up: the municipality Ängby kommun"):
        setup(*FLAGS[:-4], "--admin-username", "another")
    assert User.objects.count() == 1


def test_what_is_missing_or_wrong_is_named_and_nothing_is_written(monkeypatch):
    monkeypatch.delenv("DIARIUM_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--admin-email"):
        setup("--no-input", "--municipality-name", "Ängby kommun", "--municipality-code",
              "9950", "--org-number", "212000-9950", "--admin-username", "it-admin")
    with pytest.raises(CommandError, match="DIARIUM_ADMIN_PASSWORD"):
        setup(*FLAGS)
    with pytest.raises(CommandError, match="--municipality-code"):
        setup(*[("99500" if v == "9950" else v) for v in FLAGS])
    monkeypatch.setenv("DIARIUM_ADMIN_PASSWORD", "kort")  # the password rules apply
    with pytest.raises(CommandError):
        setup(*FLAGS)
    assert not Municipality.objects.exists() and not AuditEvent.objects.exists()
