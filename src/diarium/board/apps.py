from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_signatures_completed(sender, **kwargs) -> None:
    # justering is imported when minutes are signed, not at every start: it pulls in the
    # board's and the registry's services and through them pyhanko, pikepdf, docxtpl and
    # holidays (0.25 s of every command's start-up, docs/performance.md section 7).
    from diarium.board import justering

    justering.on_signatures_completed(sender, **kwargs)


class BoardConfig(AppConfig):
    name = "diarium.board"
    label = "board"
    verbose_name = _("Board process")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from diarium.documents.signing.signals import signatures_completed

        signatures_completed.connect(_on_signatures_completed, dispatch_uid="board.justering")
