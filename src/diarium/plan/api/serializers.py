"""How the plan and the systems register look in the API (responses)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diarium.core.problems import ProblemSerializer
from diarium.core.serializers import Serializer
from diarium.plan import lookup, selectors
from diarium.plan.models import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    ITSystem,
    Plan,
    PlanVersion,
    Process,
    RecordTypeRule,
)


class PlanSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", allow_null=True,
                                      help_text="The authority's code; null for the base plan.")
    municipality = serializers.CharField(source="municipality.code")
    in_force = serializers.SerializerMethodField(
        help_text="The number of the version in force today (the base plan: the latest "
        "adopted), or null.")
    draft = serializers.SerializerMethodField(help_text="The draft version's number, or null.")

    class Meta:
        model = Plan
        fields = ["id", "name", "authority", "municipality", "is_base", "in_force", "draft"]
        read_only_fields = fields

    def get_in_force(self, plan: Plan) -> int | None:
        if plan.authority_id:
            version = selectors.version_in_force(plan.authority_id, timezone.localdate())
        else:
            version = selectors.latest_adopted(plan)
        return version.number if version else None

    def get_draft(self, plan: Plan) -> int | None:
        draft = selectors.draft_of(plan)
        return draft.number if draft else None


class VersionSummarySerializer(serializers.ModelSerializer):
    adopted_by = serializers.CharField(source="adopted_by.username", allow_null=True)
    base = serializers.UUIDField(source="base_id", allow_null=True,
                                 help_text="For an authority's version: the base version.")

    class Meta:
        model = PlanVersion
        fields = ["id", "plan", "number", "status", "base", "decision_date",
                  "decision_reference", "valid_from", "adopted_at", "adopted_by", "note",
                  "created_at"]
        read_only_fields = fields


class ProcessSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField()

    class Meta:
        model = Process
        fields = ["code", "name", "level", "is_local"]
        read_only_fields = fields


class RuleSerializer(serializers.ModelSerializer):
    """A record type rule: what one plan version says about one record type."""

    record_type = serializers.UUIDField(source="record_type_id")
    process_code = serializers.CharField(source="process.code")
    process_name = serializers.CharField(source="process.name")
    version = serializers.UUIDField(source="version_id")
    # Empty when the rule keeps the record (no disposal period): "" is part of the enum.
    period_unit = serializers.ChoiceField(
        choices=RecordTypeRule._meta.get_field("period_unit").choices, allow_blank=True,
        read_only=True)
    trigger = serializers.ChoiceField(
        choices=RecordTypeRule._meta.get_field("trigger").choices, allow_blank=True,
        read_only=True)
    summary = serializers.SerializerMethodField(
        help_text='What to do with the record type in words, e.g. "Registreras i HR-systemet. '
        'Gallras 2 år efter handlingens datum (Gallringsbeslut KS 2024:1)."')

    class Meta:
        model = RecordTypeRule
        fields = [
            "id", "record_type", "version", "process_code", "process_name", "name",
            "description", "registration", "registration_place", "secrecy_provision",
            "disposition", "period_amount", "period_unit", "trigger", "count_from_year_end",
            "legal_basis", "medium", "file_format", "storage", "archive_delivery",
            "personal_data", "remarks", "naming_rule", "direction", "is_local", "summary",
        ]
        read_only_fields = fields

    def get_summary(self, rule: RecordTypeRule) -> str:
        return lookup.answer(rule)


class VersionSerializer(VersionSummarySerializer):
    """A plan version with its classification and record type rules."""

    processes = serializers.SerializerMethodField()
    rules = serializers.SerializerMethodField()

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "processes", "rules"]
        read_only_fields = fields

    @extend_schema_field(ProcessSerializer(many=True))
    def get_processes(self, version: PlanVersion) -> list[dict]:
        return ProcessSerializer(selectors.processes(version), many=True).data

    @extend_schema_field(RuleSerializer(many=True))
    def get_rules(self, version: PlanVersion) -> list[dict]:
        return RuleSerializer(selectors.rules(version), many=True).data


class LookupHitSerializer(Serializer):
    answer = serializers.CharField(help_text="What to do, in sentences.")
    matched = serializers.IntegerField(help_text="How many of the query's words matched.")
    score = serializers.FloatField()
    rule = RuleSerializer()


class ImportResultSerializer(Serializer):
    version = VersionSummarySerializer()
    processes = serializers.IntegerField(help_text="Processes the file defined.")
    record_types = serializers.IntegerField(help_text="Record types the file defined.")


class IssueSerializer(Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The header is row 1.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class PlanFileProblemSerializer(ProblemSerializer):
    """The file cannot be imported: every problem with its row and column. Nothing was
    imported."""

    # Absent when the request itself is wrong (no file, an unknown format) and the file was
    # never read; then `errors` names the field.
    issues = IssueSerializer(many=True, required=False)


class SystemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code", help_text="The owner authority's code.")
    administrator = serializers.CharField(source="administrator.username", allow_null=True,
                                          help_text="The system administrator's username.")
    record_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ITSystem
        fields = ["id", "name", "description", "owner", "administrator", "administrator_name",
                  "record_types", "archive_delivery", "delivery_method", "extraction_spec",
                  "status", "remarks", "created_at"]
        read_only_fields = fields


class TemplateItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistTemplateItem
        fields = ["position", "text", "guidance"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "kind", "name", "active", "items"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by = serializers.CharField(source="done_by.username", allow_null=True,
                                    help_text="Who ticked the item (username).")

    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "guidance", "done", "done_at", "done_by", "note"]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    items = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField(help_text="Items done.")
    total = serializers.SerializerMethodField(help_text="Items in all.")

    class Meta:
        model = Checklist
        fields = ["id", "system", "template", "kind", "name", "created_at", "created_by",
                  "done", "total", "items"]
        read_only_fields = fields

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_items(self, checklist: Checklist) -> list[dict]:
        items = checklist.items.select_related("done_by").order_by("position")
        return ChecklistItemSerializer(items, many=True).data

    def get_done(self, checklist: Checklist) -> int:
        return _progress(checklist).done

    def get_total(self, checklist: Checklist) -> int:
        return _progress(checklist).total


def _progress(checklist: Checklist) -> selectors.Progress:
    if not hasattr(checklist, "_progress"):
        checklist._progress = selectors.checklist_progress(checklist)
    return checklist._progress
