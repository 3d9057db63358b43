from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "diarium.organisation"
    verbose_name = "Organisation"
