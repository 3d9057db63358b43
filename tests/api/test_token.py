import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from diarium.audit.models import AuditEvent
from diarium.organisation.auth_models import ApiToken
from tests import factories as f

pytestmark = pytest.mark.django_db


def token_for(username: str) -> str:
    out = io.StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_token_command_prints_a_new_token_each_time_and_it_authenticates(ks):
    user = f.user("anna", roles={ks.authority: "registrar"})
    token = token_for("anna")
    second = token_for("anna")
    assert token.startswith("dia_") and len(token) == 47 and second != token
    created = AuditEvent.objects.filter(action="api.token_created", object_id=str(user.pk))
    assert created.count() == 2
    assert ApiToken.objects.filter(user=user).count() == 2
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post("/api/v1/cases/", {"series": "KS", "title": "Via token"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["diarienummer"].startswith("KS ")


def test_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "nobody")


def test_wrong_token_is_401_problem():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_reads_the_users_roles_with_itself_and_anew_on_every_request(ks, bun):
    """The token and its user's roles are one query (a LEFT JOIN: a user without roles
    still authenticates), and the roles are never kept from one request to the next: a
    role withdrawn between two requests with the same token no longer counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from diarium.organisation.models import RoleAssignment

    user = f.user("bertil", roles={ks.authority: "registrar"})
    RoleAssignment.objects.create(user=user, authority=ks.authority, role="archivist")
    RoleAssignment.objects.create(user=user, authority=bun.authority, role="reader")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for('bertil')}")

    def my_roles() -> dict:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/authorities/")
        assert response.status_code == 200
        roles_read = [q["sql"] for q in queries.captured_queries if "roleassignment" in q["sql"]]
        assert len(roles_read) == 1 and "apitoken" in roles_read[0], roles_read
        return {a["code"]: a["my_roles"] for a in response.json()["results"]}

    assert my_roles() == {"BUN": ["reader"], "KS": ["archivist", "registrar"]}
    assert client.post("/api/v1/cases/", {"series": "KS", "title": "Får"},
                       format="json").status_code == 201
    RoleAssignment.objects.filter(user=user, authority=ks.authority).delete()
    assert my_roles() == {"BUN": ["reader"], "KS": []}
    refused = client.post("/api/v1/cases/", {"series": "KS", "title": "Får inte"},
                          format="json")
    assert refused.status_code == 403
    RoleAssignment.objects.filter(user=user).delete()
    assert my_roles() == {"BUN": [], "KS": []}


def test_a_revoked_token_of_a_user_with_roles_is_refused():
    from django.utils import timezone

    user = f.user("cecilia", roles={f.authority("MN"): "registrar"})
    key = token_for("cecilia")
    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/authorities/").status_code == 401


def test_the_token_and_its_user_are_the_rows_the_orm_reads(ks, bun):
    """token_with_roles reads in plain SQL: every field of the token and of its user is
    what the ORM reads, and the roles are the user's (on SQLite the ids come back as
    text and are converted as the ORM converts them)."""
    from diarium.organisation.models import RoleAssignment
    from diarium.organisation.selectors import access_for
    from diarium.organisation.tokens import token_with_roles

    user = f.user("dagny", roles={ks.authority: ["registrar", "archivist"]},
                  email="dagny@example.se")
    RoleAssignment.objects.create(user=user, authority=bun.authority, role="reader")
    key = token_for("dagny")
    token = token_with_roles(key)
    expected = ApiToken.objects.select_related("user").get(user=user)

    def values(obj) -> dict:
        return {fl.attname: getattr(obj, fl.attname) for fl in obj._meta.concrete_fields}

    assert values(token) == values(expected)
    assert values(token.user) == values(expected.user)
    assert not token._state.adding and not token.user._state.adding
    assert access_for(token.user).roles == {ks.authority.pk: {"registrar", "archivist"},
                                            bun.authority.pk: {"reader"}}
    assert token_with_roles(key + "x") is None
    assert token_with_roles("' OR '1'='1") is None
    f.user("erik")
    lone = token_with_roles(token_for("erik"))  # no roles: the LEFT JOIN's one row
    assert lone.user.username == "erik" and access_for(lone.user).roles == {}
