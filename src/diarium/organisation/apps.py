from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "diarium.organisation"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from diarium.organisation import lockout  # noqa: F401  (connects the login signals)
