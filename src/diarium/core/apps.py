from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "diarium.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from diarium.core import checks, strict  # noqa: F401  (checks registers itself)

        strict.install()
