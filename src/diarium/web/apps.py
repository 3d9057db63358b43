from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "diarium.web"
    verbose_name = "Web"
