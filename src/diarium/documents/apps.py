from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "diarium.documents"
    verbose_name = "Documents"
