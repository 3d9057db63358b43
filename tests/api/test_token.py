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
