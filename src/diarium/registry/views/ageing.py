"""The ageing report (ärendebalans): open cases by age per authority and unit, the cases
open more than six months (FL 12 §), and the report as CSV or XLSX."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core.pages import paginate
from diarium.registry import ageing
from diarium.registry import worklist_export as export
from diarium.registry.selectors import can_read_identity_numbers
from diarium.registry.views.common import page


class AgeingForm(forms.Form):
    authority = forms.ChoiceField(label=gettext_lazy("Authority"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [
            ("", _("All my authorities")),
            *[(str(a.pk), str(a)) for a in ageing.report_authorities(user)]]

    def chosen(self) -> str | None:
        return (self.cleaned_data.get("authority") or None) if self.is_valid() else None


@login_required
def ageing_report(request: HttpRequest) -> HttpResponse:
    form = AgeingForm(request.GET or None, user=request.user)
    authority = form.chosen()
    report = ageing.ageing_report(request.user, authority)
    found = paginate(request, ageing.long_open_cases(request.user, authority))
    found.object_list = list(found.object_list)
    with page(request) as shown:
        shown.readable_cases(found.object_list)  # the list shows titles: secret ones audited
        return render(request, "registry/ageing.html", {
            "form": form, "report": report, "page": found,
            "query": request.GET.urlencode(),
            "full_identity": can_read_identity_numbers(request.user)})


@login_required
def ageing_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report's table (counts only: no title leaves in it) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = AgeingForm(request.GET or None, user=request.user)
    report = ageing.ageing_report(request.user, form.chosen())
    headers = [_("Authority"), _("Unit"), *[str(b) for b in report.bands], _("Open cases"),
               _("Over six months"), _("Follow-up date passed")]
    rows = [[r.authority.name, r.unit.name if r.unit else _("No unit"), *r.counts, r.total,
             r.over_six_months, r.overdue_follow_up] for r in report.rows]
    name = f"arendebalans-{report.today.isoformat()}"
    if fmt == "csv":
        return export.csv_response(headers, rows, name)
    return export.xlsx_response(headers, rows, name, _("Ageing of open cases"))
