"""What the plan's API views share: who may call them and how files are sent."""

from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer

from diarium.core.renderers import PassthroughRenderer
from diarium.plan import selectors


class IsStaffMember(BasePermission):
    """Everyone holding a role reads the plan and the systems register; the services decide
    who may change what (403 otherwise)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and selectors.can_read(request.user))


class CsvRenderer(PassthroughRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(PassthroughRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class PdfRenderer(PassthroughRenderer):
    media_type = "application/pdf"
    format = "pdf"


# ?format= picks one of these; the view answers with the file itself, and only a problem
# passes through a renderer (written as JSON).
EXPORT_RENDERERS = [JSONRenderer, CsvRenderer, XlsxRenderer, PdfRenderer]
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XlsxRenderer.media_type,
    "json": "application/json",
    "pdf": PdfRenderer.media_type,
}
