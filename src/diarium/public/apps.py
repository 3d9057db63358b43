from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "diarium.public"
    label = "public"
    verbose_name = "Public portal"

    def ready(self) -> None:
        # The projection follows the registry and the plan through their signals: the
        # registry never imports this app.
        from diarium.public import receivers

        receivers.connect()
