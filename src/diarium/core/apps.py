from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diarium.core"
    verbose_name = "Core"
