from django.contrib.auth import views as auth_views
from django.urls import path

from diarium.web import account, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True,
            authentication_form=account.LoginForm,
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/api-nycklar/", account.api_tokens, name="api_tokens"),
    path("konto/api-nycklar/<uuid:token_id>/aterkalla/", account.revoke_api_token,
         name="revoke_api_token"),
    path("konto/inloggningssparrar/", account.login_locks, name="login_locks"),
]
