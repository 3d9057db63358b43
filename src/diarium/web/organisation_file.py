"""The organisation file in the staff UI, for administrators: upload a file, see what it
would change (a dry run, permission checks included) or every problem with its sheet, row
and column, then apply exactly that file; and download the organisation as a file.

The uploaded file is kept in the file store by its SHA-256 (the audit event of the import
names it); the session remembers which file this administrator previewed, so "apply"
applies the previewed bytes and nothing else."""

from __future__ import annotations

import hashlib
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diarium.documents import services as documents
from diarium.documents.models import StoredFile
from diarium.organisation.selectors import may_administer
from diarium.registry.orgfile import files
from diarium.registry.orgfile.exporting import organisation_rows
from diarium.registry.orgfile.importing import Report, import_organisation

SESSION_KEY = "diarium_organisation_file"
CONTENT_TYPES = {"csv": "application/zip", "xlsx": "application/vnd.openxmlformats-"
                 "officedocument.spreadsheetml.sheet", "yaml": "application/yaml"}
SUFFIXES = {"csv": "zip", "xlsx": "xlsx", "yaml": "yaml"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Organisation file"),
        help_text=gettext_lazy("A .zip of CSV files, an .xlsx workbook or a .yaml file."))


def _administrator(request: HttpRequest):
    if not may_administer(request.user):
        raise PermissionDenied(_("Only administrators import the organisation."))
    return request.user


def _run(request: HttpRequest, data: bytes, name: str, *, dry_run: bool,
         sha256: str) -> tuple[Report | None, list[files.Issue]]:
    try:
        report = import_organisation(request.user, files.read_bytes(data, name),
                                     dry_run=dry_run, source={"file": name, "sha256": sha256})
    except files.OrganisationFileError as exc:
        return None, exc.issues
    return report, []


@login_required
def organisation_file(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: read the file and show the dry run's report."""
    _administrator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "formats": files.FORMATS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(files.MAX_FILE_BYTES + 1)
        name = upload.name or "organisation"
        if len(data) > files.MAX_FILE_BYTES:
            form.add_error("file", _("The file is larger than %(mb)d MB.") % {
                "mb": files.MAX_FILE_BYTES // (1024 * 1024)})
        else:
            stored = documents.store_content(io.BytesIO(data),
                                             mime_type=upload.content_type or
                                             "application/octet-stream",
                                             limit=files.MAX_FILE_BYTES)
            report, issues = _run(request, data, name, dry_run=True, sha256=stored.sha256)
            if report is not None:
                request.session[SESSION_KEY] = {"sha256": stored.sha256, "name": name}
            context.update(report=report, issues=issues, file_name=name)
    return render(request, "web/organisation_file.html", context)


@login_required
@require_POST
def organisation_apply(request: HttpRequest) -> HttpResponse:
    """Apply the file this administrator last previewed."""
    _administrator(request)
    previewed = request.session.get(SESSION_KEY)
    stored = StoredFile.objects.filter(sha256=(previewed or {}).get("sha256", "")).first()
    if previewed is None or stored is None \
            or request.POST.get("sha256") != previewed["sha256"]:
        messages.error(request, _("Upload the file again: the one previewed is no longer "
                                  "at hand."))
        return redirect("web:organisation_file")
    with documents.open_content(stored) as stream:
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise PermissionDenied(_("The stored file does not match its checksum."))
    report, issues = _run(request, data, previewed["name"], dry_run=False,
                          sha256=stored.sha256)
    if report is not None:
        del request.session[SESSION_KEY]
        messages.success(request, _("The organisation file is imported: %(created)d created, "
                                    "%(updated)d updated, %(removed)d removed.") % {
            "created": report.count("created"), "updated": report.count("updated"),
            "removed": report.count("removed")})
    return render(request, "web/organisation_file.html", {
        "form": UploadForm(), "formats": files.FORMATS, "report": report, "issues": issues,
        "file_name": previewed["name"], "applied": report is not None})


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
    """The organisation as a file (?format=xlsx, yaml or csv: a zip of CSV files)."""
    _administrator(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in files.FORMATS:
        fmt = "xlsx"
    response = HttpResponse(files.render(organisation_rows(), fmt),
                            content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="organisation.{SUFFIXES[fmt]}"'
    return response
