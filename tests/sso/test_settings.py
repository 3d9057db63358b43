"""The sign-in variables (organisation/signin_conf.py): everything off by default, each
protocol switched on by its first variable, and a half-made configuration refused at start
instead of at the first login."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from diarium.organisation.signin_conf import LOCAL_BACKEND, signin_settings

OIDC = {"DIARIUM_OIDC_CLIENT_ID": "diarium",
        "DIARIUM_OIDC_AUTHORIZATION_ENDPOINT": "https://idp/authorize",
        "DIARIUM_OIDC_TOKEN_ENDPOINT": "https://idp/token",
        "DIARIUM_OIDC_USERINFO_ENDPOINT": "https://idp/userinfo",
        "DIARIUM_OIDC_JWKS_ENDPOINT": "https://idp/keys"}


def test_nothing_is_on_by_default():
    found = signin_settings({})
    assert found["AUTHENTICATION_BACKENDS"] == [LOCAL_BACKEND]
    assert not found["OIDC_ENABLED"] and not found["SAML_ENABLED"]
    assert found["LDAP_SYNC"] is None and not found["REQUIRE_2FA_FOR_ADMINS"]


def test_oidc_switched_on_adds_its_backend_after_the_password_one():
    found = signin_settings(OIDC)
    assert found["AUTHENTICATION_BACKENDS"] == [
        LOCAL_BACKEND, "diarium.organisation.oidc.OidcBackend"]
    assert found["OIDC_USE_PKCE"] is True
    assert found["OIDC_PROFILE"]["match_claim"] == "preferred_username"
    assert not found["OIDC_PROFILE"]["create_users"]


@pytest.mark.parametrize("env, message", [
    ({"DIARIUM_OIDC_CLIENT_ID": "x"}, "needs DIARIUM_OIDC_AUTHORIZATION_ENDPOINT"),
    ({**OIDC, "DIARIUM_OIDC_JWKS_ENDPOINT": ""}, "needs DIARIUM_OIDC_JWKS_ENDPOINT"),
    ({**OIDC, "DIARIUM_OIDC_MATCH_FIELD": "phone"}, "one of username, email, external_id"),
    ({**OIDC, "DIARIUM_OIDC_CLAIMS": '{"shoe_size": "x"}'}, "unknown fields"),
    ({"DIARIUM_SAML_IDP_METADATA": "/etc/idp.xml"}, "needs DIARIUM_SAML_BASE_URL"),
    ({"DIARIUM_LDAP_URL": "ldap://dc"}, "needs DIARIUM_LDAP_USER_BASE"),
    ({"DIARIUM_SSO_GROUP_ROLES": '{"g": ["KS:boss"]}'}, "is not AUTHORITY:role"),
    ({"DIARIUM_SSO_GROUP_ROLES": "{not json"}, "not JSON"),
])
def test_a_half_made_configuration_stops_the_start(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        signin_settings(env)


def test_group_roles_from_a_yaml_file_and_secrets_from_files(tmp_path):
    roles = tmp_path / "roles.yaml"
    roles.write_text('"CN=Diarium-Reg,OU=G,DC=x": ["KS:registrar", "BUN:registrar"]\n'
                     'admins: KS:administrator\n')
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    found = signin_settings({**OIDC, "DIARIUM_SSO_GROUP_ROLES": str(roles),
                             "DIARIUM_OIDC_CLIENT_SECRET_FILE": str(secret)})
    assert found["OIDC_RP_CLIENT_SECRET"] == "s3cret"
    assert found["OIDC_PROFILE"]["group_roles"] == {
        "CN=Diarium-Reg,OU=G,DC=x": [("KS", "registrar"), ("BUN", "registrar")],
        "admins": [("KS", "administrator")]}


@pytest.mark.parametrize("env, error", [
    ({**OIDC, "DIARIUM_OIDC_TOKEN_ENDPOINT": "http://idp/token"}, "diarium.organisation.E001"),
    ({"DIARIUM_SAML_IDP_METADATA": "/etc/idp.xml", "DIARIUM_SAML_BASE_URL": "https://d"},
     "diarium.organisation.E002"),
    ({"DIARIUM_LDAP_URL": "ldap://dc", "DIARIUM_LDAP_USER_BASE": "dc=x",
      "DIARIUM_LDAP_BIND_PASSWORD": "pw"}, "diarium.organisation.E003"),
])
def test_the_deploy_check_refuses_sign_in_in_the_clear(settings, env, error):
    from diarium.organisation.checks import signin_checks
    from tests.sso.conftest import configure

    settings.SESSION_COOKIE_SECURE = False
    configure(settings, env)
    assert [e.id for e in signin_checks()] == [error]
    configure(settings, {})
    assert signin_checks() == []
