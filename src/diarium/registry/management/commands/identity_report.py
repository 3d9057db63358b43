"""`diarium identity_report`: find personnummer and samordningsnummer written in the free
text of cases, documents and inbox mail (registered before the registration form caught
them), so that the registry can make the persons parties. Read-only; the numbers are
printed masked (19811218-XXXX) with the record's number and field."""

from django.core.management.base import BaseCommand

from diarium.registry.identity import find_identity_numbers, mask
from diarium.registry.models import Case, Document, InboxItem

FIELDS = {
    Case: ("title", "public_title", "closing_note"),
    Document: ("title", "public_title", "sender_recipient"),
    InboxItem: ("sender", "subject"),
}


def _label(obj) -> str:
    if isinstance(obj, Case):
        return obj.diary_number
    if isinstance(obj, Document):
        return obj.document_number
    return f"inkorg {obj.received_at:%Y-%m-%d} {obj.pk}"


class Command(BaseCommand):
    help = "Report personnummer written in free text (masked), record by record."

    def handle(self, *args, **options) -> None:
        total = 0
        for model, fields in FIELDS.items():
            qs = model.objects.only("pk", *fields, *self._extra(model))
            if model is Document:
                qs = qs.select_related("case")
            for obj in qs.iterator(chunk_size=1000):
                for field in fields:
                    numbers = find_identity_numbers(getattr(obj, field))
                    if numbers:
                        total += len(numbers)
                        masked = ", ".join(mask(n) for n in numbers)
                        self.stdout.write(f"{_label(obj)}\t{field}\t{masked}")
        self.stdout.write(f"{total} personnummer found in free text.")

    @staticmethod
    def _extra(model) -> tuple[str, ...]:
        return {Case: ("diary_number",), Document: ("number", "case__diary_number"),
                InboxItem: ("received_at",)}[model]
