from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "diarium.registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from diarium.core import visibility
        from diarium.registry.visibility import RegistryPolicy

        visibility.register(RegistryPolicy)
