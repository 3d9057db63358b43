"""The disposal report for archivists: documents whose disposal date has come, per
authority and record type, a paged list of one group, and the whole report as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from diarium.core.pages import paginate
from diarium.registry import disposal_csv
from diarium.registry import disposal_selectors as due
from diarium.registry.disposal_forms import DueReportForm


def _report_form(request: HttpRequest) -> DueReportForm:
    authorities = due.report_authority_ids(request.user)
    if not authorities:
        raise PermissionDenied
    return DueReportForm(request.GET, authority_ids=authorities)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    groups = due.due_summary(request.user, form.criteria()) if form.is_valid() else []
    return render(request, "registry/disposal_report.html", {
        "form": form,
        "groups": groups,
        "total": sum(g.count for g in groups),
        "query": request.GET.urlencode(),
    })


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    page = None
    if form.is_valid():
        page = paginate(request, due.due_rows(request.user, form.criteria()), per_page=50)
        labels, codes = due.RuleLabels(), due.authority_codes()
        page.object_list = [due.present(row, labels, codes) for row in page.object_list]
    return render(request, "registry/disposal_list.html", {"form": form, "page": page})


@login_required
def report_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "registry/disposal_report.html", {"form": form, "groups": []},
                      status=400)
    criteria = form.criteria()
    rows = due.stream_due(request.user, criteria)
    return disposal_csv.response(rows, f"gallringsunderlag-{criteria.on.isoformat()}.csv")
