"""How the registry's records look in the API (responses). Inputs are in inputs.py."""

import functools
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from diarium.audit.models import AuditEvent
from diarium.core.redaction import RedactableSerializer
from diarium.core.serializers import Serializer, instance_copy
from diarium.registry import enforcement, extensions
from diarium.registry.api import plan_serializers as plan
from diarium.registry.identity import mask, mask_identity_numbers
from diarium.registry.models import (
    Case,
    CaseParty,
    DiarySeries,
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    DocumentVersion,
    InboxFile,
    InboxFileKind,
    InboxItem,
    InboxSource,
    InboxStatus,
    Party,
    PartyKind,
    SecrecyProvision,
)


class SeriesSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)

    class Meta:
        model = DiarySeries
        fields = ["id", "code", "name", "authority", "active"]
        read_only_fields = fields


class SecrecyProvisionSerializer(serializers.ModelSerializer):
    """A provision of the secrecy act (OSL) from the register: chapter, section (§),
    paragraph (stycke, 0 for the whole section), and the citation in words."""

    citation = serializers.CharField(read_only=True, help_text='E.g. "OSL 26 kap. 1 §".')

    class Meta:
        model = SecrecyProvision
        fields = ["id", "chapter", "section", "paragraph", "citation", "description",
                  "secrecy_years"]
        read_only_fields = fields


class SecrecySerializer(Serializer):
    """The secrecy marking (OSL 5:5): provision, date of marking, marking authority.
    `provision` is the marking in words; `osl` the provision of the register it cites
    (null for a marking from before the register that names none: its text stands)."""

    provision = serializers.CharField(source="secrecy_provision")
    osl = SecrecyProvisionSerializer(source="osl_provision", allow_null=True, read_only=True)
    marked_on = serializers.DateField(source="secrecy_marked_on", allow_null=True)
    authority = serializers.CharField(source="secrecy_authority.code", allow_null=True)
    withhold_title = serializers.BooleanField()
    withhold_parties = serializers.BooleanField()
    withhold_files = serializers.BooleanField()


def _secrecy(obj: Case | Document) -> dict | None:
    return SecrecySerializer(obj).data if obj.is_secret else None


class PartySerializer(serializers.ModelSerializer):
    """A party; identity_number is masked unless the context allows the full number."""

    identity_number = serializers.SerializerMethodField()
    # Not format "email": a party without an address has "" here.
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")

    class Meta:
        model = Party
        fields = [
            "id", "kind", "name", "identity_number", "address", "postal_code", "city",
            "email", "phone", "created_at",
        ]
        read_only_fields = fields

    def get_identity_number(self, party: Party) -> str:
        if self.context.get("full_identity"):
            return party.identity_number
        return mask(party.identity_number)


class CasePartySerializer(serializers.ModelSerializer):
    party = serializers.UUIDField(source="party.id")
    kind = serializers.ChoiceField(choices=PartyKind.choices, source="party.kind")
    name = serializers.CharField(source="party.name")
    identity_number = serializers.SerializerMethodField(help_text="Masked.")

    class Meta:
        model = CaseParty
        fields = ["party", "kind", "name", "identity_number", "role"]
        read_only_fields = fields

    def get_identity_number(self, link: CaseParty) -> str:
        return mask(link.party.identity_number)


class IdentityMaskingMixin:
    """Personnummer written in a record's free text are masked (19811218-XXXX) for users
    who may not read identity numbers (context full_identity false, the default)."""

    free_text_fields: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict:
        data = super().to_representation(instance)
        if not self.context.get("full_identity", False):
            for name in self.free_text_fields:
                if isinstance(data.get(name), str):
                    data[name] = mask_identity_numbers(data[name])
        return data


@functools.cache
def _extra_fields() -> dict:
    """The fields other apps add to a case (registered when the apps are ready), made
    once: each serializer instance copies them (core/serializers.instance_copy)."""
    return extensions.case_fields()


class CaseSerializer(IdentityMaskingMixin, RedactableSerializer):
    """A case (ärende) with its diarienummer. `secrecy` is null when the case is not marked."""

    free_text_fields = ("title", "public_title", "closing_note", "void_reason")

    stub_fields = ("id", "diarienummer", "is_secret", "redacted")

    id = serializers.UUIDField(read_only=True)
    diarienummer = serializers.CharField(source="diary_number", read_only=True)
    series = serializers.CharField(source="series.code", read_only=True)
    authority = serializers.CharField(source="authority.code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    public_title = serializers.CharField(read_only=True)
    classification_code = serializers.CharField(read_only=True)
    responsible_officer = serializers.CharField(
        source="responsible_officer.username", read_only=True, allow_null=True
    )
    responsible_unit = serializers.UUIDField(
        source="responsible_unit_id", read_only=True, allow_null=True
    )
    municipality = serializers.CharField(
        source="municipality.code", read_only=True, allow_null=True
    )
    status = serializers.ChoiceField(choices=Case._meta.get_field("status").choices, read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closing_note = serializers.CharField(read_only=True)
    voided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    void_reason = serializers.CharField(read_only=True)
    follow_up_date = serializers.DateField(read_only=True, allow_null=True)
    related_cases = serializers.SerializerMethodField(help_text="Diary numbers.")
    parties = CasePartySerializer(source="case_parties", many=True, read_only=True)
    secrecy = serializers.SerializerMethodField()
    is_secret = serializers.BooleanField(read_only=True)
    redacted = serializers.SerializerMethodField()
    document_count = serializers.IntegerField(read_only=True)

    def get_fields(self) -> dict:
        fields = super().get_fields()
        # e.g. archived_in, from the e-archive; copied as the declared fields are
        fields.update((name, instance_copy(field)) for name, field in _extra_fields().items())
        return fields

    def get_related_cases(self, case: Case) -> list[str]:
        # The view prefetches only the related cases the user may see.
        return sorted(c.diary_number for c in case.related_cases.all())

    @extend_schema_field(SecrecySerializer(allow_null=True))
    def get_secrecy(self, case: Case) -> dict | None:
        return _secrecy(case)


class FileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="content_id", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = DocumentFile
        fields = ["id", "original_name", "size", "mime_type", "sha256", "added_at", "download"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, file: DocumentFile) -> str:
        kwargs = {"pk": file.document_id, "file_id": file.pk}
        return reverse("api:document-download", kwargs=kwargs, request=self.context.get("request"))


class DocumentVersionSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="content_id", read_only=True)
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "size", "mime_type", "sha256",
                  "created_by", "created_at", "note", "reason", "download"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, version: DocumentVersion) -> str:
        kwargs = {"pk": version.document_id, "version_id": version.pk}
        return reverse("api:document-version-download", kwargs=kwargs,
                       request=self.context.get("request"))


class DocumentSerializer(IdentityMaskingMixin, RedactableSerializer):
    """A registered document. `is_secret` is true when the document or its case is marked;
    `secrecy` is the document's own marking."""

    free_text_fields = ("title", "public_title", "sender_recipient", "void_reason")

    stub_fields = ("id", "document_number", "is_secret", "redacted")

    id = serializers.UUIDField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)
    diarienummer = serializers.CharField(source="case.diary_number", read_only=True)
    number = serializers.IntegerField(read_only=True)
    direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    record_type = serializers.SerializerMethodField()
    rule = serializers.SerializerMethodField()
    disposal = plan.DocumentDisposalSerializer(source="*", read_only=True)
    warnings = serializers.SerializerMethodField(
        help_text="What the plan says against registering this record type in this case "
        "(kept in order or not registered, another diary series or IT system, or a record "
        "type meant for the other direction: code `direction`). The registration stands: "
        "the officer decided."
    )
    title = serializers.CharField(read_only=True)
    public_title = serializers.CharField(read_only=True)
    document_date = serializers.DateField(read_only=True)
    registered_at = serializers.DateTimeField(read_only=True)
    sender_recipient = serializers.CharField(read_only=True)
    party = serializers.UUIDField(source="party_id", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=DocumentStatus.choices, read_only=True)
    voided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    void_reason = serializers.CharField(read_only=True)
    secrecy = serializers.SerializerMethodField()
    is_secret = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField()
    files = FileSerializer(many=True, read_only=True)
    final_version = serializers.IntegerField(
        source="final_version.number", read_only=True, allow_null=True, default=None,
        help_text="The number of the version that was made final (fastställd); null for a "
        "draft or a document with registered files only.")
    finalised_at = serializers.DateTimeField(read_only=True, allow_null=True)
    checked_out_by = serializers.CharField(
        source="checked_out_by.get_username", read_only=True, allow_null=True, default=None)
    checked_out_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_is_secret(self, doc: Document) -> bool:
        return doc.is_secret or doc.case.is_secret

    @extend_schema_field(plan.DocumentRecordTypeSerializer(allow_null=True))
    def get_record_type(self, doc: Document) -> dict | None:
        return plan.record_type(doc)

    @extend_schema_field(plan.DocumentRuleSerializer(allow_null=True))
    def get_rule(self, doc: Document) -> dict | None:
        return plan.rule(doc)

    @extend_schema_field(plan.PlanWarningSerializer(many=True))
    def get_warnings(self, doc: Document) -> list[dict]:
        places = self.context.get("places")
        found = enforcement.warnings_for(doc.rule, doc.case.series, places, doc.direction)
        return [{"code": w.code, "message": w.message} for w in found]

    @extend_schema_field(SecrecySerializer(allow_null=True))
    def get_secrecy(self, doc: Document) -> dict | None:
        return _secrecy(doc)


class InboxFileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="content_id", read_only=True)
    kind = serializers.ChoiceField(choices=InboxFileKind.choices, read_only=True,
                                   help_text="`message`: the e-mail as received (.eml or "
                                   ".msg); `attachment`: one of its attachments.")

    class Meta:
        model = InboxFile
        fields = ["id", "kind", "original_name", "size", "mime_type", "sha256"]
        read_only_fields = fields


class InboxItemSerializer(serializers.ModelSerializer):
    """Mail in the inbox, and its outcome once chosen: `placed` (registered: `document`),
    `kept` (kept in order in `kept_in`) or `dismissed` (not an official document:
    `dismissal_reason`), with who chose it and when."""

    authority = serializers.CharField(source="authority.code", read_only=True)
    files = InboxFileSerializer(source="inboxfile_set", many=True, read_only=True)
    status = serializers.ChoiceField(choices=InboxStatus.choices, read_only=True)
    source = serializers.ChoiceField(choices=InboxSource.choices, read_only=True)
    document = serializers.UUIDField(source="document_id", read_only=True, allow_null=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = InboxItem
        fields = ["id", "authority", "received_at", "sender", "subject", "body", "status",
                  "source", "message_id", "refusal", "files", "decided_at", "decided_by",
                  "document", "kept_in", "dismissal_reason"]
        read_only_fields = fields

    def get_decided_by(self, item: InboxItem) -> str | None:
        return item.decided_by.get_username() if item.decided_by_id else None


class HistoryEventSerializer(serializers.ModelSerializer):
    """An audit event. Values of events about documents the user may not read are left out
    (`redacted` is then true)."""

    actor = serializers.CharField(source="actor_name", read_only=True)
    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "occurred_at", "actor", "action", "object_type", "object_id", "before", "after",
            "redacted",
        ]
        read_only_fields = fields

    def get_redacted(self, event: AuditEvent) -> bool:
        return event.object_id in self.context.get("hidden", set())

    # Null when the event has no values (a creation has no `before`) or they are redacted.
    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_before(self, event: AuditEvent) -> Any:
        return None if self.get_redacted(event) else event.before

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_after(self, event: AuditEvent) -> Any:
        return None if self.get_redacted(event) else event.after
