"""The register of secrecy provisions (OSL): the list for staff, additions and taking
provisions out of use for administrators."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from diarium.core.pages import or_404
from diarium.organisation.selectors import access_for
from diarium.registry import services
from diarium.registry.models import SecrecyProvision
from diarium.registry.views.common import apply_errors


class ProvisionForm(forms.Form):
    chapter = forms.IntegerField(label=gettext_lazy("Chapter"), min_value=1, max_value=99)
    section = forms.IntegerField(label=gettext_lazy("Section (§)"), min_value=1, max_value=999)
    paragraph = forms.IntegerField(
        label=gettext_lazy("Paragraph (stycke)"), min_value=0, max_value=99, required=False,
        help_text=gettext_lazy("Leave empty for the whole section."))
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300)
    secrecy_years = forms.IntegerField(
        label=gettext_lazy("Usual secrecy period (years)"), min_value=1, max_value=150,
        required=False)


@login_required
def provisions(request: HttpRequest) -> HttpResponse:
    if not access_for(request.user).is_staff_member:
        raise PermissionDenied
    may_manage = services.may_manage_provisions(request.user)
    form = ProvisionForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                provision = services.create_provision(
                    request.user, chapter=data["chapter"], section=data["section"],
                    paragraph=data["paragraph"] or 0, description=data["description"],
                    secrecy_years=data["secrecy_years"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(citation)s is added to the register.") % {
                    "citation": provision.citation})
                return redirect("registry:provisions")
    return render(request, "registry/provisions.html", {
        "provisions": SecrecyProvision.objects.all(), "form": form, "may_manage": may_manage,
    })


@login_required
@require_POST
def provision_active(request: HttpRequest, provision_id) -> HttpResponse:
    provision = or_404(SecrecyProvision.objects.get, pk=provision_id)
    services.set_provision_active(request.user, provision, request.POST.get("active") == "1")
    return redirect("registry:provisions")
