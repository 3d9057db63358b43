from django.apps import AppConfig


class DiaryMigrationConfig(AppConfig):
    name = "diarium.diarymigration"
    verbose_name = "Bringing a former diarium in"
