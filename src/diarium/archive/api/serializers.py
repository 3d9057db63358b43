"""What the e-archive's API shows of packages, copies, events and the file inventory."""

from __future__ import annotations

from rest_framework import serializers

from diarium.archive.models import AIPFile, Package, PreservationEvent, StorageCopy
from diarium.core.serializers import Serializer


class StorageCopySerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location.name")

    class Meta:
        model = StorageCopy
        fields = ["location", "state", "verified_at", "detail"]


class PreservationEventSerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location.name", default=None)

    class Meta:
        model = PreservationEvent
        fields = ["id", "event_type", "outcome", "detail", "agent", "location", "occurred_at"]


class AIPFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = AIPFile
        fields = ["path", "size", "sha256", "puid", "mime", "role"]


class ArchivePackageSerializer(serializers.ModelSerializer):
    creator = serializers.CharField(source="creator.name")
    agreement = serializers.CharField(source="agreement.reference")
    errors = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "aip_id", "objid", "name", "label", "state", "producer", "creator",
                  "agreement", "profile", "size", "file_count", "errors", "error",
                  "created_at", "archived_at"]

    def get_errors(self, package: Package) -> int:
        findings = (package.report or {}).get("findings", [])
        return sum(1 for f in findings if f.get("severity") == "ERROR")


class ArchivePackageDetailSerializer(ArchivePackageSerializer):
    copies = StorageCopySerializer(many=True, read_only=True)
    events = PreservationEventSerializer(many=True, read_only=True)

    class Meta(ArchivePackageSerializer.Meta):
        fields = [*ArchivePackageSerializer.Meta.fields, "copies", "events"]


class ArchiveIngestInput(Serializer):
    file = serializers.FileField(required=False, help_text="The package: .zip or .tar[.gz].")
    path = serializers.CharField(required=False, help_text="Or a package in the server's "
                                 "inbox folder (DIARIUM_ARCHIVE_INBOX), relative to it.")
    agreement = serializers.CharField(required=False, help_text="Submission agreement "
                                      "(reference or id); default: the one the SIP names.")

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("path")):
            raise serializers.ValidationError({"file": "Send either a file or a path."})
        return attrs
