"""The systems register (systemförteckning): list, detail, create and edit, and the
procurement and decommissioning checklists of each system."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.plan import choices, selectors, services
from diarium.plan.forms import StartChecklistForm, SystemForm, TickForm
from diarium.plan.models import ITSystem
from diarium.plan.views.common import apply_errors, or_404, staff_view


def _municipality(request: HttpRequest):
    municipality = choices.home_municipality(request.user)
    if municipality is None:
        raise PermissionDenied
    return municipality


@staff_view
def system_list(request: HttpRequest) -> HttpResponse:
    municipality = choices.home_municipality(request.user)
    systems = selectors.visible_systems(request.user).prefetch_related("record_types")
    may_create = municipality is not None and choices.owner_choices(
        request.user, municipality.pk).exists()
    return render(request, "plan/systems.html", {"systems": systems, "may_create": may_create})


def _system_form(request: HttpRequest, system: ITSystem | None) -> HttpResponse:
    municipality = system.municipality if system else _municipality(request)
    owners = choices.owner_choices(request.user, municipality.pk)
    if not owners.exists():
        raise PermissionDenied
    initial = SystemForm.initial_for(system) if system else {}
    form = SystemForm(owners, municipality.pk, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if system is None:
                system = services.create_system(request.user, municipality, form.system_data())
                messages.success(request, _("The system is registered."))
            else:
                services.update_system(request.user, system, form.system_data())
                messages.success(request, _("The system's entry is saved."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("plan:system", system_id=system.pk)
    return render(request, "plan/system_form.html", {"form": form, "system": system})


@staff_view
def system_create(request: HttpRequest) -> HttpResponse:
    return _system_form(request, None)


@staff_view
def system_edit(request: HttpRequest, system_id) -> HttpResponse:
    system = or_404(selectors.get_system, request.user, system_id)
    if not selectors.can_edit_system(request.user, system):
        raise PermissionDenied
    return _system_form(request, system)


def may_tick(user, system: ITSystem) -> bool:
    return selectors.can_edit_system(user, system) or user.pk == system.administrator_id


@staff_view
def system_detail(request: HttpRequest, system_id) -> HttpResponse:
    user = request.user
    system = or_404(selectors.get_system, user, system_id)
    held = list(system.record_types.values_list("id", flat=True))
    names = choices.record_type_names(held)
    lists = list(selectors.checklists(user, system))
    for checklist in lists:
        checklist.progress = selectors.Progress(checklist.done, checklist.total)
        checklist.entries = list(choices.checklist_items(checklist))
    may_edit = selectors.can_edit_system(user, system)
    templates = selectors.checklist_templates(user, system.municipality_id).filter(active=True)
    return render(request, "plan/system.html", {
        "system": system, "record_types": sorted(names.values(), key=str.casefold),
        "checklists": lists, "may_edit": may_edit, "may_tick": may_tick(user, system),
        "start_form": StartChecklistForm(templates) if may_edit else None,
    })


@require_POST
@staff_view
def checklist_start(request: HttpRequest, system_id) -> HttpResponse:
    system = or_404(selectors.get_system, request.user, system_id)
    templates = selectors.checklist_templates(request.user, system.municipality_id)
    form = StartChecklistForm(templates, request.POST)
    if form.is_valid():
        try:
            checklist = services.start_checklist(request.user, system,
                                                 form.cleaned_data["template"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The checklist is started."))
            url = reverse("plan:system", args=[system.pk])
            return redirect(f"{url}#checklist-{checklist.pk}")
    else:
        messages.error(request, _("Choose a checklist template."))
    return redirect("plan:system", system_id=system.pk)


@require_POST
@staff_view
def checklist_tick(request: HttpRequest, item_id: int) -> HttpResponse:
    item = or_404(choices.get_checklist_item, request.user, item_id)
    form = TickForm(request.POST)
    form.is_valid()  # both fields are optional: unticked, no note
    data = form.cleaned_data
    services.tick_item(request.user, item, done=data.get("done", False),
                       note=data.get("note", ""))
    url = reverse("plan:system", args=[item.checklist.system_id])
    return redirect(f"{url}#item-{item.pk}")
