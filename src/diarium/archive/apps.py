from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "diarium.archive"
    verbose_name = "E-archive"

    def ready(self) -> None:
        from diarium.archive import case_links, checks  # noqa: F401  (checks registers)

        case_links.register()
