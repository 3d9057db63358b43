from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "diarium.board"
    label = "board"
    verbose_name = _("Board process")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from diarium.board import justering
        from diarium.documents.signing.signals import signatures_completed

        signatures_completed.connect(justering.on_signatures_completed,
                                     dispatch_uid="board.justering")
