from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diarium.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from diarium.core import checks  # noqa: F401  (registers the deployment checks)
