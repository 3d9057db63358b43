from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "diarium.api"
    verbose_name = "API"
