from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "diarium.audit"
    verbose_name = "Audit"
