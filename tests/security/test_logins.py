"""Logins: lockout per username and per client address with an administrator's unlock,
password rules (similarity, common Swedish words), Argon2 with the upgrade of older hashes
at login, and the API's rate limits (issue 8 finding 7; issue 11, login)."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from diarium.audit.models import AuditEvent
from diarium.organisation.auth_models import LoginFailure
from tests import factories as f
from tests.security.conftest import PASSWORD, api_client, assert_problem

pytestmark = pytest.mark.django_db
LOGIN = "/logga-in/"


def login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def logged_in(response) -> bool:
    return response.status_code == 302


def test_five_failures_lock_the_username_even_with_the_right_password(client, registrator):
    for _ in range(5):
        assert not logged_in(login(client, "reg", "fel-lösenord"))
    response = login(client, "reg", PASSWORD)
    assert not logged_in(response)
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert logged_in(login(client, "reg", PASSWORD, address="10.9.9.9")) is False


def test_fewer_failures_do_not_lock_and_a_success_clears_the_count(client, registrator):
    for _ in range(4):
        login(client, "reg", "fel")
    assert logged_in(login(client, "reg", PASSWORD))
    assert not LoginFailure.objects.filter(username="reg").exists()


def test_a_locked_username_is_refused_by_the_django_admin_login_too(client, ks):
    f.user("super", is_superuser=True, is_staff=True).set_password(PASSWORD)
    for _ in range(5):
        login(client, "super", "fel")
    response = client.post("/admin/login/", {"username": "super", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200  # the form again, not a redirect into the admin


def test_an_address_is_locked_after_many_failures_across_usernames(client, registrator,
                                                                   settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        login(client, f"gissning{n}", "fel", address="192.0.2.7")
    assert not logged_in(login(client, "reg", PASSWORD, address="192.0.2.7"))
    assert logged_in(login(client, "reg", PASSWORD, address="192.0.2.8"))


def test_the_address_comes_from_the_trusted_proxy_not_from_the_client(client, registrator,
                                                                      settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.PROXY_COUNT = 1
    for n in range(3):  # the attacker varies the header it sends; the proxy appends the truth
        client.post(LOGIN, {"username": f"x{n}", "password": "fel"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.9")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.9"}


def test_an_administrator_unlocks_in_the_staff_ui(client, registrator, administrator):
    for _ in range(5):
        login(client, "reg", "fel")
    client.force_login(administrator)
    page = client.get("/konto/inloggningssparrar/")
    assert page.status_code == 200 and "reg" in page.content.decode()
    client.post("/konto/inloggningssparrar/", {"kind": "username", "value": "reg"})
    client.logout()
    assert logged_in(login(client, "reg", PASSWORD))
    event = AuditEvent.objects.get(action="login.unlocked")
    assert event.actor == administrator and event.after["username"] == "reg"


def test_only_administrators_see_and_lift_lockouts(client, registrator):
    for _ in range(5):
        login(client, "kollega", "fel")
    client.force_login(registrator)
    assert client.get("/konto/inloggningssparrar/").status_code == 403
    client.post("/konto/inloggningssparrar/", {"kind": "username", "value": "kollega"})
    assert LoginFailure.objects.filter(username="kollega").count() == 5


def test_the_unlock_command(client, registrator, capsys):
    for _ in range(5):
        login(client, "reg", "fel")
    call_command("unlock")
    assert "username\treg\t5" in capsys.readouterr().out
    call_command("unlock", "--username", "reg")
    assert logged_in(login(client, "reg", PASSWORD))


@pytest.mark.parametrize("password", ["reg-registrator", "Sommar2026!", "lösenord123",
                                      "Losenord!!", "välkommen1", "Hammarby1897",
                                      "password1", "kort"])
def test_weak_passwords_are_refused(registrator, password):
    registrator.first_name = "Registrator"
    with pytest.raises(ValidationError):
        validate_password(password, registrator)


def test_a_password_equal_to_the_username_is_refused(ks):
    user = f.user("karin.lindqvist")
    with pytest.raises(ValidationError, match="likt"):
        validate_password("karin.lindqvist", user)


def test_a_strong_password_passes(registrator):
    validate_password(PASSWORD, registrator)


@pytest.fixture
def real_hashers(settings):
    """Production's hasher list, with small Argon2 costs so the test stays fast."""
    settings.PASSWORD_HASHERS = [
        "diarium.core.passwords.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.ARGON2_TIME_COST, settings.ARGON2_MEMORY_KIB = 1, 8192


def test_new_passwords_are_hashed_with_argon2id(real_hashers, registrator, settings):
    registrator.set_password(PASSWORD)
    assert registrator.password.startswith("argon2$argon2id$")
    assert "m=8192,t=1,p=1" in registrator.password


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_the_next_login(real_hashers, client,
                                                               registrator):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    registrator.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    registrator.save()
    assert logged_in(login(client, "reg", PASSWORD))
    registrator.refresh_from_db()
    assert identify_hasher(registrator.password).algorithm == "argon2"


def test_changed_argon2_parameters_rehash_at_login(real_hashers, client, registrator,
                                                   settings):
    registrator.set_password(PASSWORD)
    registrator.save()
    settings.ARGON2_MEMORY_KIB = 16384
    assert logged_in(login(client, "reg", PASSWORD))
    registrator.refresh_from_db()
    assert "m=16384" in registrator.password


def test_the_api_rate_limit_answers_429_problem(registrator, settings):
    settings.API_RATE_USER = "3/minute"
    client = api_client(registrator)
    for _ in range(3):
        assert client.get("/api/v1/authorities/").status_code == 200
    response = client.get("/api/v1/authorities/")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    other = api_client(f.user("annan", roles={registrator.roles.first().authority: "reader"}))
    assert other.get("/api/v1/authorities/").status_code == 200  # counted per user


def test_the_rate_limit_can_be_switched_off(registrator, settings):
    settings.API_RATE_USER = "off"
    client = api_client(registrator)
    assert all(client.get("/api/v1/authorities/").status_code == 200 for _ in range(20))


def test_anonymous_requests_have_their_own_limit(settings):
    settings.API_RATE_ANON = "2/minute"
    client = api_client()
    for _ in range(2):
        client.get("/api/v1/schema/?format=json")
    assert_problem(client.get("/api/v1/schema/?format=json"), 429)
