from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "diarium.organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from diarium.organisation import checks, lockout  # noqa: F401  (signals, checks)
