"""The case page and the case's API representation show where a case is archived,
through the registry's extension points (the registry does not import the archive)."""

from __future__ import annotations

from django.template.loader import render_to_string
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diarium.archive import selectors
from diarium.archive.models import ArchivedCase
from diarium.registry import extensions


def render_panel(request, case) -> str:
    links = list(selectors.archived_versions([case.pk]))
    if not links:
        return ""
    archivist = selectors.archivist_authorities(request.user)
    return render_to_string("archive/_case_panel.html", {
        "links": links, "may_open": case.authority_id in archivist}, request=request)


class CaseArchiveLinkSerializer(serializers.ModelSerializer):
    """One archived version of the case: the AIP that holds it."""

    package = serializers.UUIDField(source="package_id", read_only=True)
    aip_id = serializers.CharField(source="package.aip_id", read_only=True)
    package_archived_at = serializers.DateTimeField(source="package.archived_at",
                                                    read_only=True, allow_null=True)

    class Meta:
        model = ArchivedCase
        fields = ["version", "objid", "package", "aip_id", "package_archived_at",
                  "exported_at"]
        read_only_fields = fields


@extend_schema_field(CaseArchiveLinkSerializer(many=True))
class ArchivedInField(serializers.Field):
    """The case's archived versions, newest first; read for the whole page of cases at
    once (one query), on the first case that asks; none without a query for cases the
    request itself opened (the registry's context `opened`)."""

    def __init__(self, **kwargs) -> None:
        kwargs.update(read_only=True, source="*", help_text="Where the case is archived: its "
                      "packages in the e-archive, newest version first.")
        super().__init__(**kwargs)

    def _links(self) -> dict:
        if self.context.get("opened"):  # opened by this request: archived nowhere yet
            return {}
        cache = self.context.setdefault("_archived_in", {})
        if "links" not in cache:
            instance = self.root.instance
            cases = instance if isinstance(instance, list | tuple) else (
                list(instance) if hasattr(instance, "__iter__") else [instance])
            found: dict = {}
            for link in selectors.archived_versions([c.pk for c in cases]):
                found.setdefault(link.case_id, []).append(link)
            cache["links"] = found
        return cache["links"]

    def to_representation(self, case) -> list[dict]:
        links = self._links().get(case.pk)
        if not links:  # most cases: no serializer made for nothing
            return []
        return CaseArchiveLinkSerializer(links, many=True).data


def register() -> None:
    extensions.register_case_panel("archive", render_panel)
    extensions.register_case_field("archived_in", ArchivedInField)
