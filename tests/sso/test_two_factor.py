"""Two-factor login (TOTP) for password logins: administrators must enrol when
DIARIUM_REQUIRE_2FA_FOR_ADMINS is on, the secret is shown once, a code is asked at every
password login of a user with an authenticator, wrong codes count towards the lockout, the
Django admin's login is the same login, and old sessions of administrators without a second
factor end."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from diarium.audit.models import AuditEvent
from diarium.organisation import services
from tests import factories as f
from tests.sso.conftest import configure

pytestmark = pytest.mark.django_db
PASSWORD = "Grusväg-Tallkotte-91"


@pytest.fixture
def admin(boards):
    user = f.user("admin1", roles={boards["KS"]: "administrator"})
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def officer(boards):
    user = f.user("hand1", roles={boards["KS"]: "officer"})
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def required(settings):
    configure(settings, {"DIARIUM_REQUIRE_2FA_FOR_ADMINS": "on"})


def password_login(client, username: str, path: str = "/logga-in/"):
    return client.post(path, {"username": username, "password": PASSWORD, "next": "/sok/"},
                       REMOTE_ADDR="10.0.0.1")


def signed_in(client) -> bool:
    return client.get("/").wsgi_request.user.is_authenticated


def code(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, drift=drift):06d}"


def secret_on(page: str) -> bytes:
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def enrol(client, admin) -> bytes:
    """The forced enrolment at login: the QR code and the secret, then a code."""
    assert password_login(client, admin.username)["Location"] == "/logga-in/tvastegsverifiering/"
    assert not signed_in(client)
    page = client.get("/logga-in/tvastegsverifiering/").content.decode()
    assert 'src="data:image/svg+xml' in page and "Hemligheten visas bara nu" in page
    key = secret_on(page)
    answer = client.post("/logga-in/tvastegsverifiering/", {"code": code(key)})
    assert answer.status_code == 302 and answer["Location"] == "/sok/"
    return key


def test_an_administrator_must_enrol_before_the_login_completes(client, admin, required):
    key = enrol(client, admin)
    assert client.get("/").wsgi_request.user == admin
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.bin_key == key
    event = AuditEvent.objects.get(action="login.two_factor_enrolled")
    assert event.actor == admin and "key" not in str(event.after)
    # The secret is not shown again: the account page shows only that it is on.
    page = client.get("/konto/tvastegsverifiering/").content.decode()
    assert "Tvåstegsverifiering är på" in page and 'class="secret"' not in page


def test_the_next_login_asks_for_the_code(client, admin, required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp makes one wait after a wrong code
    key = enrol(client, admin)
    client.logout()
    assert password_login(client, admin.username)["Location"] == "/logga-in/kod/"
    assert not signed_in(client)
    wrong = client.post("/logga-in/kod/", {"code": "000000"})
    assert wrong.status_code == 200 and "Koden är fel" in wrong.content.decode()
    assert not signed_in(client)
    answer = client.post("/logga-in/kod/", {"code": code(key, drift=1)})
    assert answer["Location"] == "/sok/"
    assert client.get("/").wsgi_request.user == admin


def test_a_wrong_enrolment_code_shows_a_new_secret(client, admin, required):
    password_login(client, admin.username)
    first = secret_on(client.get("/logga-in/tvastegsverifiering/").content.decode())
    page = client.post("/logga-in/tvastegsverifiering/", {"code": "123456"}).content.decode()
    assert "Koden är fel" in page and secret_on(page) != first
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_others_log_in_with_the_password_alone(client, officer, admin, required, settings):
    assert password_login(client, officer.username)["Location"] == "/sok/"
    client.logout()
    configure(settings, {})  # not required: administrators without a device too
    assert password_login(client, admin.username)["Location"] == "/sok/"


def test_wrong_codes_count_towards_the_lockout(client, admin, required):
    enrol(client, admin)
    client.logout()
    password_login(client, admin.username)
    for _ in range(5):
        client.post("/logga-in/kod/", {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
    page = client.post("/logga-in/kod/", {"code": "111111"}, REMOTE_ADDR="10.0.0.1")
    assert "För många misslyckade inloggningar" in page.content.decode()
    assert not signed_in(client)


def test_the_django_admin_login_is_the_same_two_step_login(client, boards, required):
    superuser = f.user("super", is_superuser=True, is_staff=True)
    superuser.set_password(PASSWORD)
    superuser.save()
    answer = client.post("/admin/login/", {"username": "super", "password": PASSWORD,
                                           "next": "/admin/"}, REMOTE_ADDR="10.0.0.1")
    assert answer["Location"] == "/logga-in/tvastegsverifiering/"
    assert client.get("/admin/").status_code == 302  # not in the admin yet


def test_an_administrators_old_session_without_a_second_factor_ends(client, admin, settings):
    client.force_login(admin)
    assert signed_in(client)
    configure(settings, {"DIARIUM_REQUIRE_2FA_FOR_ADMINS": "on"})
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/logga-in/")


def test_any_user_may_turn_it_on_and_then_gives_codes(client, officer):
    client.force_login(officer)
    page = client.get("/konto/tvastegsverifiering/?ny=1").content.decode()
    key = secret_on(page)
    client.post("/konto/tvastegsverifiering/?ny=1", {"code": code(key)})
    assert TOTPDevice.objects.get(user=officer).confirmed
    client.logout()
    assert password_login(client, officer.username)["Location"] == "/logga-in/kod/"
    client.post("/logga-in/kod/", {"code": code(key, drift=1)})
    assert client.get("/").wsgi_request.user == officer
    client.post("/konto/tvastegsverifiering/ta-bort/")
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_an_administrator_removes_a_lost_authenticator(client, admin, officer, boards,
                                                        settings):
    officer.home_municipality = boards["muni"]
    officer.save()
    device = TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    client.force_login(admin)
    page = client.get(f"/administration/anvandare/{officer.pk}/").content.decode()
    assert "Använder tvåstegsverifiering" in page
    client.post(f"/administration/anvandare/{officer.pk}/tvastegsverifiering/")
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.get(action="login.two_factor_reset").actor == admin
    # An administrator who must use two factors cannot remove their own.
    configure(settings, {"DIARIUM_REQUIRE_2FA_FOR_ADMINS": "on"})
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    with pytest.raises(PermissionDenied):
        services.reset_two_factor(admin, admin)
