"""What the API shows of DIP orders, secrecy reviews and deliveries, and what it takes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diarium.archive.models import (
    ArchiveRecord,
    Decision,
    Delivery,
    DipOrder,
    MaskedFile,
    SecrecyReview,
)
from diarium.core.serializers import Serializer


class DipOrderRecordSerializer(serializers.ModelSerializer):
    restricted = serializers.BooleanField(read_only=True)

    class Meta:
        model = ArchiveRecord
        fields = ["id", "kind", "identifier", "title", "record_type", "restriction",
                  "restricted", "date", "paths"]
        read_only_fields = fields


class DipMaskedFileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="content.sha256", read_only=True)
    size = serializers.IntegerField(source="content.size", read_only=True)

    class Meta:
        model = MaskedFile
        fields = ["id", "name", "mime_type", "size", "sha256", "added_at"]
        read_only_fields = fields


class SecrecyReviewSerializer(serializers.ModelSerializer):
    record = serializers.CharField(source="record.identifier", read_only=True)
    record_id = serializers.IntegerField(read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    masked_files = DipMaskedFileSerializer(many=True, read_only=True)

    class Meta:
        model = SecrecyReview
        fields = ["record_id", "record", "decision", "note", "reviewer", "reviewed_at",
                  "masked_files"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    """A delivered DIP: who delivered what to whom, with the SHA-256 of every file."""

    order = serializers.UUIDField(source="order_id", read_only=True)
    package = serializers.UUIDField(source="package_id", read_only=True)
    delivered_by = serializers.CharField(source="delivered_by.username", read_only=True)
    ordered_by = serializers.CharField(source="order.ordered_by.username", read_only=True)
    reviewers = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = ["id", "order", "package", "objid", "recipient", "ordered_by", "reviewers",
                  "delivered_by", "delivered_at", "file_name", "size", "sha256", "files",
                  "refused", "masked", "withheld"]
        read_only_fields = fields

    def get_reviewers(self, delivery: Delivery) -> list[str]:
        return sorted({r.reviewer.username for r in delivery.order.reviews.all()})

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_files(self, delivery: Delivery) -> list[dict]:
        return delivery.files


class DipOrderSerializer(serializers.ModelSerializer):
    """An order for a DIP and where it stands: which restricted records await review."""

    package = serializers.UUIDField(source="package_id", read_only=True)
    ordered_by = serializers.CharField(source="ordered_by.username", read_only=True)
    records = DipOrderRecordSerializer(many=True, read_only=True)
    to_review = serializers.SerializerMethodField()
    reviews = SecrecyReviewSerializer(many=True, read_only=True)
    delivery = serializers.SerializerMethodField()

    class Meta:
        model = DipOrder
        fields = ["id", "package", "recipient", "purpose", "whole_package", "state",
                  "ordered_by", "ordered_at", "records", "paths", "to_review", "reviews",
                  "delivery"]
        read_only_fields = fields

    def get_to_review(self, order: DipOrder) -> list[str]:
        """Identifiers of restricted records with no review yet."""
        done = {r.record_id for r in order.reviews.all()}
        return [r.identifier for r in order.records.all() if r.restricted and r.pk not in done]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_delivery(self, order: DipOrder) -> str | None:
        found = Delivery.objects.filter(order=order).values_list("pk", flat=True).first()
        return str(found) if found else None


class DipOrderInput(Serializer):
    package = serializers.UUIDField(help_text="The archived package.")
    recipient = serializers.CharField(max_length=300)
    purpose = serializers.CharField(required=False, default="", allow_blank=True)
    records = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list,
        help_text="Identifiers of records to deliver (e.g. KS 2026/42:3); with `paths` "
        "empty too, the whole package.")
    paths = serializers.ListField(
        child=serializers.CharField(max_length=1024), required=False, default=list,
        help_text="Files to deliver, by their path in the package "
        "(representations/rep1/data/…).")


class SecrecyDecisionInput(Serializer):
    record = serializers.CharField(max_length=500, help_text="The record's identifier.")
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class SecrecyReviewInput(Serializer):
    decisions = SecrecyDecisionInput(many=True)


class MaskedFileInput(Serializer):
    record = serializers.CharField(max_length=500, help_text="The record's identifier.")
    file = serializers.FileField(help_text="The masked copy.")
