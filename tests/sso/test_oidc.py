"""OpenID Connect sign-in end to end against a real provider (django-oauth-toolkit in its
own process, oidc_provider.py): the login page's button, the provider's login, the code
exchanged by Diarium, the ID token's signature, audience and issuer checked, the user
matched or created, and their roles set from the groups claim through the audited
services."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from diarium.audit.models import AuditEvent
from diarium.organisation.models import RoleAssignment, User
from tests import factories as f
from tests.sso import oidc_provider
from tests.sso.conftest import GROUP_ROLES, configure

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/sso/oidc/callback/"
PEOPLE = [
    {"username": "anna.berg", "password": "provider-pw-1", "first_name": "Anna",
     "last_name": "Berg", "email": "anna.berg@sjovik.se",
     "groups": ["diarium-ks-registratorer", "diarium-bun-handlaggare", "other-group"]},
    {"username": "bertil.ek", "password": "provider-pw-2", "first_name": "Bertil",
     "last_name": "Ek", "email": "bertil.ek@sjovik.se", "groups": []},
]


@pytest.fixture(scope="module")
def provider():
    process, base, _folder = oidc_provider.start({
        "users": PEOPLE,
        "client": {"id": "diarium-test", "secret": "client-secret-1",
                   "redirect_uris": [CALLBACK]}})
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def env(base: str, **extra: str) -> dict[str, str]:
    return {
        "DIARIUM_OIDC_CLIENT_ID": "diarium-test",
        "DIARIUM_OIDC_CLIENT_SECRET": "client-secret-1",
        "DIARIUM_OIDC_AUTHORIZATION_ENDPOINT": f"{base}/o/authorize/",
        "DIARIUM_OIDC_TOKEN_ENDPOINT": f"{base}/o/token/",
        "DIARIUM_OIDC_USERINFO_ENDPOINT": f"{base}/o/userinfo/",
        "DIARIUM_OIDC_JWKS_ENDPOINT": f"{base}/o/.well-known/jwks.json",
        "DIARIUM_OIDC_ISSUER": f"{base}/o",
        **extra,
    }


def provider_session(base: str, username: str) -> requests.Session:
    """A browser signed in at the provider."""
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    password = next(p["password"] for p in PEOPLE if p["username"] == username)
    answer = browser.post(f"{base}/accounts/login/", allow_redirects=False, data={
        "csrfmiddlewaretoken": token, "username": username, "password": password,
        "next": "/o/"}, headers={"Referer": f"{base}/accounts/login/"})
    assert answer.status_code == 302, answer.text
    return browser


def sign_in(client, base: str, username: str, next_url: str = ""):
    """The whole round: Diarium → provider → Diarium's callback. Returns the callback's
    answer."""
    start = client.get("/sso/oidc/logga-in/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{base}/o/authorize/")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"]
    back = provider_session(base, username).get(authorize, allow_redirects=False)
    assert back.status_code == 302, back.text
    location = back.headers["Location"]
    assert location.startswith(CALLBACK), location
    return client.get(location.removeprefix("http://testserver"))


def test_the_login_page_offers_the_municipalitys_account_only_when_switched_on(
        client, settings, provider):
    assert "kommunens konto" not in client.get("/logga-in/").content.decode()
    assert client.get("/sso/oidc/logga-in/").status_code == 404
    configure(settings, env(provider))
    page = client.get("/logga-in/").content.decode()
    assert "Logga in med kommunens konto" in page and "/sso/oidc/logga-in/" in page


def test_first_login_creates_the_user_with_roles_from_the_groups(client, settings, boards,
                                                                 provider):
    configure(settings, env(provider, DIARIUM_OIDC_CREATE_USERS="on",
                            DIARIUM_OIDC_GROUPS_CLAIM="groups",
                            DIARIUM_SSO_GROUP_ROLES=GROUP_ROLES))
    answer = sign_in(client, provider, "anna.berg", next_url="/sok/")
    assert answer.status_code == 302 and answer["Location"] == "/sok/"
    user = User.objects.get(username="anna.berg")
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Berg",
                                                             "anna.berg@sjovik.se")
    assert user.identity_source == "oidc" and user.home_municipality == boards["muni"]
    assert not user.has_usable_password()
    assert set(RoleAssignment.objects.filter(user=user).values_list(
        "authority__code", "role")) == {("KS", "registrar"), ("BUN", "officer")}
    assert client.get("/").wsgi_request.user == user
    created = AuditEvent.objects.get(action="organisation.user_created",
                                     object_id=str(user.pk))
    assert created.actor_name == "system:signin" and created.actor is None
    assert AuditEvent.objects.filter(action="organisation.role_assigned",
                                     actor_name="system:signin").count() == 2


def test_a_known_user_is_matched_updated_and_loses_roles_whose_group_is_gone(
        client, settings, boards, provider):
    user = f.user("anna.berg", roles={boards["KS"]: "administrator", boards["BUN"]: "reader"},
                  first_name="Anna", last_name="Lind", email="old@sjovik.se")
    configure(settings, env(provider, DIARIUM_OIDC_GROUPS_CLAIM="groups",
                            DIARIUM_SSO_GROUP_ROLES=GROUP_ROLES))
    assert sign_in(client, provider, "anna.berg").status_code == 302
    user.refresh_from_db()
    assert (user.last_name, user.email) == ("Berg", "anna.berg@sjovik.se")
    # KS:administrator is mapped (from another group) and the group is gone: removed.
    # BUN:reader is mapped by no group: given by hand, it stays.
    assert set(RoleAssignment.objects.filter(user=user).values_list(
        "authority__code", "role")) == {("KS", "registrar"), ("BUN", "officer"),
                                        ("BUN", "reader")}
    removed = AuditEvent.objects.get(action="organisation.role_removed")
    assert removed.actor_name == "system:signin"
    assert removed.before == {"user": "anna.berg", "role": "administrator"}
    changed = AuditEvent.objects.get(action="organisation.user_changed")
    assert changed.before == {"last_name": "Lind", "email": "old@sjovik.se"}


def test_unknown_people_are_refused_unless_creation_is_allowed(client, settings, boards,
                                                               provider):
    configure(settings, env(provider))
    answer = sign_in(client, provider, "bertil.ek")
    assert answer.status_code == 302 and answer["Location"] == "/logga-in/?sso=fel"
    assert not User.objects.filter(username="bertil.ek").exists()
    page = client.get(answer["Location"]).content.decode()
    assert "Inloggningen med kommunens konto lyckades inte" in page


def test_a_deactivated_user_cannot_sign_in(client, settings, boards, provider):
    f.user("bertil.ek", is_active=False)
    configure(settings, env(provider, DIARIUM_OIDC_CREATE_USERS="on"))
    assert sign_in(client, provider, "bertil.ek")["Location"] == "/logga-in/?sso=fel"
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_users_can_be_matched_by_email_or_an_employee_id(client, settings, boards, provider):
    by_mail = f.user("bertil", email="Bertil.Ek@sjovik.se")
    configure(settings, env(provider, DIARIUM_OIDC_MATCH_FIELD="email"))
    assert sign_in(client, provider, "bertil.ek")["Location"] == "/"
    assert client.get("/").wsgi_request.user == by_mail
    client.logout()
    by_number = f.user("anna", external_id="E00001")
    configure(settings, env(provider, DIARIUM_OIDC_MATCH_FIELD="external_id",
                            DIARIUM_OIDC_CLAIMS='{"external_id": "employee_id"}'))
    assert sign_in(client, provider, "anna.berg")["Location"] == "/"
    assert client.get("/").wsgi_request.user == by_number


def test_a_token_from_another_issuer_is_refused(client, settings, boards, provider):
    f.user("anna.berg")
    configure(settings, env(provider, DIARIUM_OIDC_ISSUER="https://login.example.org/o"))
    assert sign_in(client, provider, "anna.berg")["Location"] == "/logga-in/?sso=fel"
