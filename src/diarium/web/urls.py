from django.contrib.auth import views as auth_views
from django.urls import path

from diarium.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
