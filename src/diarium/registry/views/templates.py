"""Administrators' page of document templates (mallar): the list, adding one (checked:
a field that does not exist is refused with its name) and retiring one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.core.pages import error_text, or_404
from diarium.documents.services import open_content
from diarium.documents.templating import FIELDS
from diarium.organisation.models import Authority, Role
from diarium.organisation.selectors import access_for
from diarium.registry import selectors, services
from diarium.registry.version_forms import TemplateForm
from diarium.registry.views.common import apply_errors


def _administered(user) -> list[Authority]:
    qs = Authority.objects.select_related("municipality").order_by("name")
    if user.is_superuser:
        return list(qs)
    return list(qs.filter(pk__in=access_for(user).authorities_with({Role.ADMINISTRATOR})))


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    authorities = _administered(request.user)
    if not authorities:
        raise PermissionDenied(_("Only administrators manage templates."))
    form = TemplateForm(request.POST or None, request.FILES or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.add_template(request.user, form.template_data(), form.upload())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The template %(name)s is added.") % {
                "name": template.name})
            return redirect("registry:templates")
    return render(request, "registry/templates.html", {
        "templates": selectors.managed_templates(request.user), "form": form,
        "fields": sorted(FIELDS.items())})


def _managed(request: HttpRequest, template_id):
    return or_404(lambda: selectors.managed_templates(request.user).get(pk=template_id))


@login_required
def template_file(request: HttpRequest, template_id) -> FileResponse:
    template = _managed(request, template_id)
    return FileResponse(open_content(template.original), as_attachment=True,
                        filename=template.original_name)


@login_required
@require_POST
def template_retire(request: HttpRequest, template_id) -> HttpResponse:
    template = _managed(request, template_id)
    try:
        services.retire_template(request.user, template)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc) if isinstance(exc, ValidationError)
                       else str(exc))
    else:
        messages.success(request, _("The template is retired."))
    return redirect("registry:templates")
