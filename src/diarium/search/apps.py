from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "diarium.search"
    verbose_name = "Search"
