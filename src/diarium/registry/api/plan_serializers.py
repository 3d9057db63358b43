"""The document management plan in the registry's API: a document's record type, the
rule (plan version) it was registered under, its disposal, the plan's warnings, holds,
and the rows of the disposal report."""

from rest_framework import serializers

from diarium.core.serializers import Serializer
from diarium.plan.models import Registration
from diarium.plan.retention import Disposition, PeriodUnit, Trigger
from diarium.registry.models import CaseStatus, DisposalOutcome, Document, DocumentStatus, Hold


class DocumentRecordTypeSerializer(Serializer):
    """The record type (handlingstyp) as the document's rule names it."""

    id = serializers.UUIDField(source="record_type_id")
    name = serializers.CharField()
    process = serializers.CharField(source="process.code")
    process_name = serializers.CharField(source="process.name")


class DocumentRuleSerializer(Serializer):
    """The plan rule that applied when the document was registered, in the version of the
    authority's plan then in force. It never changes."""

    id = serializers.UUIDField()
    plan = serializers.CharField(source="version.plan.name")
    plan_version = serializers.IntegerField(source="version.number")
    decision_reference = serializers.CharField(source="version.decision_reference")
    valid_from = serializers.DateField(source="version.valid_from")
    registration = serializers.ChoiceField(choices=Registration.choices)
    registration_place = serializers.CharField()
    default_secrecy = serializers.CharField(source="secrecy_provision")
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    period_amount = serializers.IntegerField(allow_null=True)
    period_unit = serializers.ChoiceField(choices=PeriodUnit.choices, allow_blank=True)
    trigger = serializers.ChoiceField(choices=Trigger.choices, allow_blank=True)
    count_from_year_end = serializers.BooleanField()
    legal_basis = serializers.CharField()


class DocumentDisposalSerializer(Serializer):
    """outcome: keep (bevaras), date (may be disposed of from `date`), undetermined (the
    trigger, e.g. the case's closing, has not happened), unclassified (no record type).
    held: the case is open or dormant, or a hold is on the document or its case.
    no_longer_current_on: the day the document was found no longer current, the trigger
    of rules counted "vid inaktualitet".
    disposed_at, disposed_under: when and under which decision the document was disposed
    of (status `disposed`), else null and empty."""

    outcome = serializers.ChoiceField(choices=DisposalOutcome.choices,
                                      source="disposal_outcome")
    date = serializers.DateField(source="disposal_date", allow_null=True)
    no_longer_current_on = serializers.DateField(allow_null=True, read_only=True)
    held = serializers.SerializerMethodField()
    disposed_at = serializers.DateTimeField(allow_null=True, read_only=True)
    disposed_under = serializers.CharField(read_only=True)

    def get_held(self, doc: Document) -> bool:
        return doc.pk in self.context.get("held", set())


class PlanWarningSerializer(Serializer):
    code = serializers.ChoiceField(
        choices=["kept_in_order", "not_registered", "wrong_series", "other_system",
                 "direction"]
    )
    message = serializers.CharField()


def record_type(doc: Document) -> dict | None:
    return DocumentRecordTypeSerializer(doc.rule).data if doc.rule_id else None


def rule(doc: Document) -> dict | None:
    return DocumentRuleSerializer(doc.rule).data if doc.rule_id else None


class HoldSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True, allow_null=True)
    document = serializers.UUIDField(source="document_id", read_only=True, allow_null=True)
    placed_by = serializers.CharField(source="placed_by.username", read_only=True,
                                      allow_null=True)
    released_by = serializers.CharField(source="released_by.username", read_only=True,
                                        allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Hold
        fields = [
            "id", "kind", "authority", "case", "document", "reason", "reference",
            "placed_by", "placed_at", "released_by", "released_at", "release_note",
            "is_active",
        ]
        read_only_fields = fields


class HoldInput(Serializer):
    """A legal hold on a case or a document (by id), and why. (Holds of other kinds, such
    as an open request, are placed by the apps they come from.)"""

    case = serializers.UUIDField(required=False)
    document = serializers.UUIDField(required=False)
    reason = serializers.CharField(max_length=2000)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                      default="")

    def validate(self, attrs: dict) -> dict:
        if ("case" in attrs) == ("document" in attrs):
            raise serializers.ValidationError("Give either case or document.")
        return attrs


class ReleaseInput(Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RecordTypeInput(Serializer):
    record_type = serializers.CharField(
        max_length=200, allow_blank=True, allow_null=True,
        help_text="The record type's id or name in the authority's plan; empty or null "
        "removes it.",
    )


class DueGroupSerializer(Serializer):
    authority = serializers.CharField()
    authority_name = serializers.CharField()
    record_type_id = serializers.UUIDField()
    record_type = serializers.CharField()
    process = serializers.CharField()
    count = serializers.IntegerField()
    earliest = serializers.DateField()


class DueRowSerializer(Serializer):
    authority = serializers.CharField()
    process = serializers.CharField()
    record_type = serializers.CharField()
    plan_version = serializers.IntegerField()
    decision = serializers.CharField()
    document_id = serializers.UUIDField()
    document_number = serializers.CharField()
    description = serializers.CharField(
        help_text="The public description when the document or its case is secret."
    )
    is_secret = serializers.BooleanField()
    document_date = serializers.DateField()
    disposal_date = serializers.DateField()
    case_status = serializers.ChoiceField(choices=CaseStatus.choices)
    document_status = serializers.ChoiceField(choices=DocumentStatus.choices)


class DueFilter(Serializer):
    on = serializers.DateField(required=False, help_text="Due on this day (default today).")
    authority = serializers.CharField(required=False, help_text="Authority code.")
    record_type = serializers.UUIDField(required=False, help_text="Record type id.")

