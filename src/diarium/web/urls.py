from django.contrib.auth import views as auth_views
from django.urls import path

from diarium.web import account, organisation_file, signin, users, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("hjalp/kortkommandon/", views.shortcuts, name="shortcuts"),
    path("logga-in/", signin.LoginView.as_view(), name="login"),
    path("logga-in/kod/", signin.login_code, name="login_code"),
    path("logga-in/tvastegsverifiering/", signin.login_enrol, name="login_enrol"),
    path("konto/tvastegsverifiering/", signin.two_factor, name="two_factor"),
    path("konto/tvastegsverifiering/ta-bort/", signin.two_factor_remove,
         name="two_factor_remove"),
    # Single sign-on: 404 unless switched on (DIARIUM_OIDC_*, DIARIUM_SAML_*).
    path("sso/oidc/logga-in/", signin.oidc_login, name="oidc_login"),
    path("sso/oidc/callback/", signin.oidc_callback, name="oidc_callback"),
    path("sso/saml/logga-in/", signin.saml_login, name="saml_login"),
    path("sso/saml/acs/", signin.saml_acs, name="saml_acs"),
    path("sso/saml/metadata/", signin.saml_metadata, name="saml_metadata"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/api-nycklar/", account.api_tokens, name="api_tokens"),
    path("konto/api-nycklar/<uuid:token_id>/aterkalla/", account.revoke_api_token,
         name="revoke_api_token"),
    path("konto/inloggningssparrar/", account.login_locks, name="login_locks"),
    # Administrators: users, roles and the organisation file.
    path("administration/anvandare/", users.users, name="users"),
    path("administration/anvandare/ny/", users.user_new, name="user_new"),
    path("administration/anvandare/<int:user_id>/", users.user_detail, name="user"),
    path("administration/anvandare/<int:user_id>/uppgifter/", users.user_update,
         name="user_update"),
    path("administration/anvandare/<int:user_id>/roller/", users.user_role, name="user_role"),
    path("administration/anvandare/<int:user_id>/aktiv/", users.user_active,
         name="user_active"),
    path("administration/anvandare/<int:user_id>/losenord/", users.user_password,
         name="user_password"),
    path("administration/anvandare/<int:user_id>/tvastegsverifiering/", users.user_two_factor,
         name="user_two_factor"),
    path("administration/organisation/", organisation_file.organisation_file,
         name="organisation_file"),
    path("administration/organisation/verkstall/", organisation_file.organisation_apply,
         name="organisation_apply"),
    path("administration/organisation/export/", organisation_file.organisation_export,
         name="organisation_export"),
]
