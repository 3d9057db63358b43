from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "diarium.registry"
    verbose_name = "Registry"
