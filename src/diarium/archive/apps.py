from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "diarium.archive"
    verbose_name = "E-archive"

    def ready(self) -> None:
        from diarium.archive import case_links, checkpoint_sinks, checks  # noqa: F401

        case_links.register()
        checkpoint_sinks.register()
