"""What the plan's API accepts: query parameters and request bodies. Each turns into what a
service or selector takes; none of them saves anything."""

import datetime as dt
from pathlib import PurePath

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from diarium.core.serializers import Serializer
from diarium.organisation.models import Authority, User
from diarium.plan.io.reading import FORMATS
from diarium.plan.models import (
    ArchiveDelivery,
    ChecklistKind,
    ChecklistTemplate,
    ITSystem,
    RecordType,
    SystemStatus,
)
from diarium.plan.services import ItemData, SystemData

UNKNOWN_AUTHORITY = _("There is no authority with the code “{value}”.")
UNKNOWN_USER = _("There is no active user named “{value}”.")


def _authority(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Authority.objects.all(), help_text="An authority's code.",
        error_messages={"does_not_exist": UNKNOWN_AUTHORITY}, **kwargs)


class InForceQuery(Serializer):
    authority = _authority()
    date = serializers.DateField(required=False, help_text="Default: today.")

    def on_date(self) -> dt.date:
        return self.validated_data.get("date") or timezone.localdate()


class LookupQuery(InForceQuery):
    q = serializers.CharField(max_length=200, help_text="A kind of document, in words.")
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=50)


class ExportQuery(Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1,
        help_text="The version's number. Default: the version in force (the base plan: the "
        "latest adopted), else the draft.")


class ImportInput(Serializer):
    file = serializers.FileField(help_text="The plan file: CSV (UTF-8), XLSX or JSON.")
    file_format = serializers.ChoiceField(
        choices=FORMATS, required=False,
        help_text="csv, xlsx or json. Default: from the file name's extension.")

    def validate(self, attrs: dict) -> dict:
        if "file_format" not in attrs:
            suffix = PurePath(attrs["file"].name).suffix.lower().lstrip(".")
            if suffix not in FORMATS:
                raise serializers.ValidationError({"file_format": _(
                    "Say whether the file is csv, xlsx or json.")})
            attrs["file_format"] = suffix
        return attrs


class AdoptInput(Serializer):
    decision_date = serializers.DateField()
    decision_reference = serializers.CharField(max_length=200,
                                               help_text='e.g. "KS 2026-03-14 § 45".')
    valid_from = serializers.DateField(required=False, allow_null=True,
                                       help_text="Default: the decision date.")


class SystemInput(Serializer):
    name = serializers.CharField(max_length=200)
    owner = _authority()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    administrator = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), required=False,
        allow_null=True, default=None, error_messages={"does_not_exist": UNKNOWN_USER},
        help_text="The system administrator's username.")
    administrator_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                               default="")
    archive_delivery = serializers.ChoiceField(choices=ArchiveDelivery.choices,
                                               default=ArchiveDelivery.UNDECIDED)
    delivery_method = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                            default="")
    extraction_spec = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                            default="")
    status = serializers.ChoiceField(choices=SystemStatus.choices, default=SystemStatus.IN_USE)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")
    record_types = serializers.PrimaryKeyRelatedField(
        many=True, queryset=RecordType.objects.all(), required=False, default=list)

    @staticmethod
    def current(system: ITSystem) -> dict:
        """A system's values in this input's terms, for a partial update."""
        return {
            "name": system.name, "owner": system.owner, "description": system.description,
            "administrator": system.administrator,
            "administrator_name": system.administrator_name,
            "archive_delivery": system.archive_delivery,
            "delivery_method": system.delivery_method,
            "extraction_spec": system.extraction_spec, "status": system.status,
            "remarks": system.remarks, "record_types": list(system.record_types.all()),
        }

    def system_data(self, current: dict | None = None) -> SystemData:
        values = {**(current or {}), **self.validated_data}
        types = values.pop("record_types")
        return SystemData(**values, record_type_ids=[t.pk for t in types])


class ItemInput(Serializer):
    text = serializers.CharField(max_length=500)
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


class TemplateItemsInput(Serializer):
    items = ItemInput(many=True, allow_empty=False)

    def item_data(self) -> list[ItemData]:
        return [ItemData(**item) for item in self.validated_data["items"]]


class TemplateInput(TemplateItemsInput):
    kind = serializers.ChoiceField(choices=ChecklistKind.choices)
    name = serializers.CharField(max_length=200)


class StartChecklistInput(Serializer):
    system = serializers.PrimaryKeyRelatedField(queryset=ITSystem.objects.all())
    template = serializers.PrimaryKeyRelatedField(queryset=ChecklistTemplate.objects.all())


class ChecklistQuery(Serializer):
    system = serializers.UUIDField(required=False, help_text="Only the system's checklists.")


class TickInput(Serializer):
    item = serializers.IntegerField(help_text="The item's id (see the checklist's items).")
    done = serializers.BooleanField(default=True, help_text="False: not done again.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
