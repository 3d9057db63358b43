"""URLs and claims of the test OpenID Connect provider (provider_settings.py): Django's
login page for the provider's own users, django-oauth-toolkit's endpoints under /o/, and
claims with the user's names, e-mail, employee number and groups."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below in the ID token and userinfo

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email,
            "employee_id": f"E{user.pk:05d}",
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
