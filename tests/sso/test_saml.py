"""SAML 2.0 sign-in end to end against a real IdP (pysaml2's IdP in a thread on a local
port, saml_idp.py): Diarium's AuthnRequest, the IdP's login, its signed assertion posted
to Diarium's ACS, checked by pysaml2 with xmlsec1, then the same matching, creation and
role mapping as OpenID Connect (organisation/identity.py)."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import requests
from saml2.metadata import entity_descriptor

from diarium.audit.models import AuditEvent
from diarium.organisation.models import RoleAssignment, User
from tests import factories as f
from tests.conftest import require
from tests.sso import saml_idp
from tests.sso.conftest import GROUP_ROLES, configure

pytestmark = pytest.mark.django_db
USERS = {
    "cecilia": {"password": "idp-pw-1", "name_id": "cecilia.holm@sjovik.se", "attributes": {
        "givenName": ["Cecilia"], "sn": ["Holm"], "mail": ["cecilia.holm@sjovik.se"],
        "groups": ["diarium-administratorer", "annan-grupp"]}},
    "david": {"password": "idp-pw-2", "name_id": "david.ros@sjovik.se", "attributes": {
        "givenName": ["David"], "sn": ["Ros"], "mail": ["david.ros@sjovik.se"]}},
}


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    require(shutil.which("xmlsec1") is not None, "xmlsec1 (Debian package xmlsec1)")
    folder = tmp_path_factory.mktemp("saml")
    server = saml_idp.IdP(folder, USERS)
    server.write_metadata()
    yield server
    server.stop()


def env(idp: saml_idp.IdP, **extra: str) -> dict[str, str]:
    return {"DIARIUM_SAML_IDP_METADATA": idp.metadata_file,
            "DIARIUM_SAML_BASE_URL": "http://testserver", **extra}


@pytest.fixture
def saml(settings, idp):
    """Switch SAML on with extra variables; the IdP learns Diarium's metadata once."""
    def switch_on(**extra: str) -> None:
        configure(settings, env(idp, **extra))
        if idp.server is None:
            from djangosaml2.conf import get_config

            sp_metadata = Path(idp.folder) / "sp-metadata.xml"
            sp_metadata.write_text(str(entity_descriptor(get_config())))
            idp.start(str(sp_metadata))
    return switch_on


def sign_in(client, idp: saml_idp.IdP, username: str, next_url: str = "/"):
    start = client.get(f"/sso/saml/logga-in/?next={next_url}")
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{idp.base}/sso/redirect?SAMLRequest=")
    browser = requests.Session()
    browser.get(start["Location"]).raise_for_status()
    query = dict(part.split("=", 1) for part in urlsplit(start["Location"]).query.split("&"))
    page = browser.post(f"{idp.base}/sso/login", data={
        "username": username, "password": USERS[username]["password"],
        "SAMLRequest": unquote(query["SAMLRequest"]),
        "RelayState": unquote(query.get("RelayState", ""))})
    fields = saml_idp.posted_fields(page.text)
    assert "SAMLResponse" in fields, page.text
    return client.post("/sso/saml/acs/", fields)


def test_saml_routes_are_404_until_switched_on(client):
    assert client.get("/sso/saml/logga-in/").status_code == 404
    assert client.get("/sso/saml/metadata/").status_code == 404


def test_the_service_providers_metadata_is_published(client, saml):
    saml()
    answer = client.get("/sso/saml/metadata/")
    assert answer.status_code == 200
    assert b"http://testserver/sso/saml/acs/" in answer.content


def test_first_login_creates_the_user_with_roles_from_the_groups(client, boards, saml, idp):
    saml(DIARIUM_SAML_CREATE_USERS="on", DIARIUM_SAML_MATCH_FIELD="email",
         DIARIUM_SAML_GROUPS_ATTRIBUTE="groups", DIARIUM_SSO_GROUP_ROLES=GROUP_ROLES)
    answer = sign_in(client, idp, "cecilia", next_url="/sok/")
    assert answer.status_code == 302 and answer["Location"] == "/sok/"
    user = User.objects.get(email="cecilia.holm@sjovik.se")
    assert user.username == "cecilia.holm@sjovik.se"  # no username attribute: the e-mail
    assert (user.first_name, user.last_name, user.identity_source) == ("Cecilia", "Holm",
                                                                       "saml")
    assert set(RoleAssignment.objects.filter(user=user).values_list(
        "authority__code", "role")) == {("KS", "administrator"), ("BUN", "administrator")}
    assert client.get("/").wsgi_request.user == user
    assert AuditEvent.objects.get(action="organisation.user_created").actor_name == \
        "system:signin"


def test_a_known_user_is_matched_by_the_name_id(client, boards, saml, idp):
    user = f.user("david.ros@sjovik.se", roles={boards["KS"]: "officer"})
    saml()
    assert sign_in(client, idp, "david")["Location"] == "/"
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("David", "david.ros@sjovik.se")
    assert client.get("/").wsgi_request.user == user


def test_unknown_people_are_refused_unless_creation_is_allowed(client, boards, saml, idp):
    saml()
    answer = sign_in(client, idp, "david")
    assert answer.status_code == 302 and answer["Location"] == "/logga-in/?sso=fel"
    assert not User.objects.filter(email="david.ros@sjovik.se").exists()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_tampered_assertion_is_refused(client, boards, saml, idp):
    f.user("david.ros@sjovik.se")
    saml()
    start = client.get("/sso/saml/logga-in/")
    assert start.status_code == 302
    # An assertion for cecilia, with its signed content changed to name david.
    query = dict(p.split("=", 1) for p in urlsplit(start["Location"]).query.split("&"))
    page = requests.post(f"{idp.base}/sso/login", data={
        "username": "cecilia", "password": "idp-pw-1",
        "SAMLRequest": unquote(query["SAMLRequest"]), "RelayState": ""}, timeout=30)
    fields = saml_idp.posted_fields(page.text)
    xml = base64.b64decode(fields["SAMLResponse"]).replace(b"cecilia.holm@", b"david.ros@@")
    fields["SAMLResponse"] = base64.b64encode(xml.replace(b"david.ros@@", b"david.ros@")).decode()
    answer = client.post("/sso/saml/acs/", fields)
    assert answer.status_code == 302 and answer["Location"] == "/logga-in/?sso=fel"
    assert not client.get("/").wsgi_request.user.is_authenticated
