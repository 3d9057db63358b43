from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "diarium.operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from diarium.operations import checks  # noqa: F401  (registers itself)
