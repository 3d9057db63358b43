"""What the API shows of disposal lists, their items and records, and archive holds, and
what it takes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diarium.archive.disposal import access
from diarium.archive.models import ArchiveHold, DisposalItem, DisposalRecord, DisposalRun
from diarium.core.serializers import Serializer


def _name(user) -> str | None:
    return user.get_username() if user is not None else None


class DisposalCountsSerializer(Serializer):
    total = serializers.IntegerField()
    pending = serializers.IntegerField()
    disposed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    held = serializers.IntegerField(help_text="Skipped because of a hold.")
    failed = serializers.IntegerField()


class DisposalRunSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    authority = serializers.CharField(source="authority.code", read_only=True)
    record_type = serializers.UUIDField(source="record_type_id", read_only=True,
                                        allow_null=True)
    record_type_name = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    executed_by = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    certificate_pdf_sha256 = serializers.CharField(source="certificate_pdf_id", read_only=True,
                                                   allow_null=True)
    certificate_json_sha256 = serializers.CharField(source="certificate_json_id",
                                                    read_only=True, allow_null=True)

    class Meta:
        model = DisposalRun
        fields = ["id", "label", "authority", "year", "number", "due_on", "record_type",
                  "record_type_name", "state", "item_count", "counts", "created_by", "created_at",
                  "decision_reference", "decided_by", "decided_at", "decision_note",
                  "executed_by", "execution_started_at", "executed_at", "error",
                  "certificate_pdf_sha256", "certificate_json_sha256"]
        read_only_fields = fields

    def get_record_type_name(self, run: DisposalRun) -> str:
        return access.record_type_name(run)

    def get_created_by(self, run: DisposalRun) -> str | None:
        return _name(run.created_by)

    def get_decided_by(self, run: DisposalRun) -> str | None:
        return _name(run.decided_by)

    def get_executed_by(self, run: DisposalRun) -> str | None:
        return _name(run.executed_by)

    @extend_schema_field(DisposalCountsSerializer)
    def get_counts(self, run: DisposalRun) -> dict:
        return DisposalCountsSerializer(access.counts(run)).data


class DisposalRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisposalRecord
        fields = ["id", "identifier", "decision_reference", "created_by_name",
                  "approved_by_name", "executed_by_name", "approved_at", "disposed_at",
                  "files"]
        read_only_fields = fields


class DisposalItemSerializer(serializers.ModelSerializer):
    record = DisposalRecordSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DisposalItem
        fields = ["position", "kind", "identifier", "document", "package",
                  "case_diary_number", "title", "is_secret", "record_type", "rule",
                  "decision", "plan_version", "disposal_date", "file_count", "size", "files",
                  "state", "held", "reason", "processed_at", "record"]
        read_only_fields = fields


class DisposalRunInput(Serializer):
    authority = serializers.CharField(help_text="The authority's code, e.g. KS.")
    due_on = serializers.DateField(required=False, allow_null=True,
                                   help_text="Default today; not a future day.")
    record_type = serializers.UUIDField(required=False, allow_null=True,
                                        help_text="Only this record type of the plan.")


class DisposalApproveInput(Serializer):
    decision_reference = serializers.CharField(
        max_length=300, help_text='E.g. "Gallringsbeslut KS 2024:1" or "KS 2026-03-14 § 45".')
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                 default="")


class DisposalRejectInput(Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                 default="")


class DisposalItemFilter(Serializer):
    state = serializers.ChoiceField(choices=["pending", "disposed", "skipped", "failed"],
                                    required=False)


class CertificateFilter(Serializer):
    format = serializers.ChoiceField(choices=["pdf", "json"], required=False, default="pdf")


class ArchiveHoldSerializer(serializers.ModelSerializer):
    package_objid = serializers.CharField(source="package.objid", read_only=True)
    placed_by = serializers.SerializerMethodField()
    released_by = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ArchiveHold
        fields = ["id", "package", "package_objid", "reason", "reference", "active",
                  "placed_by", "placed_at", "released_by", "released_at", "release_note"]
        read_only_fields = fields

    def get_placed_by(self, hold: ArchiveHold) -> str | None:
        return _name(hold.placed_by)

    def get_released_by(self, hold: ArchiveHold) -> str | None:
        return _name(hold.released_by)


class ArchiveHoldInput(Serializer):
    package = serializers.UUIDField()
    reason = serializers.CharField(max_length=2000)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                      default="")


class ArchiveHoldReleaseInput(Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                 default="")
