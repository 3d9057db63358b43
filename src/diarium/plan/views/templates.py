"""Checklist templates (procurement, decommissioning), edited by archivists and
administrators; every staff member reads them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diarium.plan import choices, selectors, services
from diarium.plan.forms import TemplateForm, TemplateItemsForm, format_items
from diarium.plan.views.common import apply_errors, or_404, staff_view


def _municipality(request: HttpRequest):
    municipality = choices.home_municipality(request.user)
    if municipality is None:
        raise PermissionDenied
    return municipality


@staff_view
def template_list(request: HttpRequest) -> HttpResponse:
    """The templates, and a form for a new one."""
    municipality = _municipality(request)
    may_edit = selectors.can_edit_municipality(request.user, municipality.pk)
    form = TemplateForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.create_template(request.user, municipality, data["kind"],
                                                    data["name"], form.item_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The checklist template is saved."))
                return redirect("plan:template", template_id=template.pk)
    return render(request, "plan/templates.html", {
        "templates": selectors.checklist_templates(request.user, municipality.pk),
        "form": form, "may_edit": may_edit,
    })


@staff_view
def template_detail(request: HttpRequest, template_id) -> HttpResponse:
    municipality = _municipality(request)
    template = or_404(lambda: selectors.checklist_templates(request.user, municipality.pk)
                      .get(pk=template_id))
    may_edit = selectors.can_edit_municipality(request.user, municipality.pk)
    initial = {"items": format_items(template.items.all())}
    form = TemplateItemsForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_template_items(request.user, template, form.item_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The checklist template is saved. Checklists "
                                            "already started keep their own items."))
                return redirect("plan:template", template_id=template.pk)
    return render(request, "plan/template.html", {
        "template": template, "form": form, "may_edit": may_edit,
    })
