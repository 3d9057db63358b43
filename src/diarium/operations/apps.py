from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "diarium.operations"
    verbose_name = "Operations"
