from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "diarium.disclosure"
    verbose_name = "Requests for official documents"
