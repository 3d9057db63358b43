from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "diarium.archive"
    verbose_name = "E-archive"
