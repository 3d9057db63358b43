"""API tokens: stored hashed, shown once, listed and revoked by their user and by
administrators, expiring; existing plain-text tokens are migrated (issue 8, finding 7)."""

import datetime as dt
import hashlib
import importlib

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from diarium.audit.models import AuditEvent
from diarium.core.actors import OPERATOR
from diarium.organisation.auth_models import ApiToken
from diarium.organisation.services import create_api_token
from tests import factories as f
from tests.security.conftest import api_client, assert_problem

pytestmark = pytest.mark.django_db


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def all_stored_text() -> str:
    return " ".join(str(v) for row in ApiToken.objects.values_list() for v in row)


def test_the_database_keeps_only_a_digest(registrator):
    key = create_api_token(OPERATOR, registrator).key
    assert key not in all_stored_text()
    token = ApiToken.objects.get(user=registrator)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) // 3


def test_made_through_the_api_the_key_is_shown_once(registrator):
    response = api_client(registrator).post("/api/v1/tokens/", {"name": "Ärendeimport"},
                                            format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["key"].startswith("dia_") and made["name"] == "Ärendeimport" and made["active"]
    listed = api_client(registrator).get("/api/v1/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [made["id"]] and "key" not in listed[0]
    assert "key" not in api_client(registrator).get(f"/api/v1/tokens/{made['id']}/").json()
    assert token_client(made["key"]).get("/api/v1/cases/").status_code == 200


def test_a_revoked_token_stops_working_at_once(registrator):
    key = create_api_token(OPERATOR, registrator).key
    client = token_client(key)
    assert client.get("/api/v1/cases/").status_code == 200
    token = ApiToken.objects.get(user=registrator)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert_problem(client.get("/api/v1/cases/"), 401)
    token.refresh_from_db()
    assert token.revoked_at and token.revoked_by == registrator
    assert AuditEvent.objects.filter(action="api.token_revoked").count() == 1


def test_an_expired_token_is_refused(registrator):
    made = create_api_token(OPERATOR, registrator, days=1)
    ApiToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_problem(token_client(made.key).get("/api/v1/cases/"), 401)


def test_tokens_expire_by_default_after_the_configured_days(registrator, settings):
    settings.API_TOKEN_DAYS = 30
    token = create_api_token(OPERATOR, registrator).token
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)


def test_an_inactive_users_token_is_refused(registrator):
    key = create_api_token(OPERATOR, registrator).key
    registrator.is_active = False
    registrator.save()
    assert_problem(token_client(key).get("/api/v1/cases/"), 401)


def test_a_user_cannot_see_or_revoke_someone_elses_token(registrator, ks):
    other = f.user("other", roles={ks.authority: "officer"})
    theirs = create_api_token(OPERATOR, other).token
    client = api_client(registrator)
    assert client.get("/api/v1/tokens/?all=true").json()["results"] == []
    assert_problem(client.delete(f"/api/v1/tokens/{theirs.pk}/"), 404)
    assert_problem(client.post("/api/v1/tokens/", {"user": "other"}, format="json"), 403)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_administrator_lists_and_revokes_tokens_of_their_authoritys_users(
        registrator, administrator):
    mine = create_api_token(OPERATOR, registrator)
    outsider = f.user("bunreg", roles={f.authority("BUN"): "registrar"})
    create_api_token(OPERATOR, outsider)
    client = api_client(administrator)
    listed = client.get("/api/v1/tokens/?all=true").json()["results"]
    assert {t["user"] for t in listed} == {"reg"}
    assert client.delete(f"/api/v1/tokens/{mine.token.pk}/").status_code == 204
    assert_problem(token_client(mine.key).get("/api/v1/cases/"), 401)


def test_the_staff_ui_shows_the_key_once_and_revokes(client, registrator):
    client.force_login(registrator)
    page = client.post("/konto/api-nycklar/", {"name": "Skanner", "days": "10"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=registrator)
    key = page.context["new_key"]
    assert key.startswith(token.prefix) and key in page.content.decode()
    again = client.get("/konto/api-nycklar/")
    assert key not in again.content.decode() and token.prefix in again.content.decode()
    response = client.post(f"/konto/api-nycklar/{token.pk}/aterkalla/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_staff_ui_refuses_to_revoke_another_users_token(client, registrator, ks):
    other = create_api_token(OPERATOR, f.user("other", roles={ks.authority: "reader"})).token
    client.force_login(registrator)
    assert client.post(f"/konto/api-nycklar/{other.pk}/aterkalla/").status_code == 404


@pytest.mark.django_db(transaction=True)  # SQLite alters tables only outside a transaction
def test_plain_text_tokens_of_the_old_table_are_hashed_and_keep_working(registrator):
    migration = importlib.import_module(
        "diarium.organisation.migrations.0005_hash_existing_api_tokens")
    old_key = "a" * 20 + "0123456789abcdef0123"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
                       if connection.vendor == "postgresql" else
                       "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "created datetime NOT NULL, user_id bigint NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [old_key, timezone.now(), registrator.pk])
    from django.apps import apps

    with connection.schema_editor() as editor:
        migration.hash_old_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert old_key not in all_stored_text()
    assert token_client(old_key).get("/api/v1/cases/").status_code == 200
