"""Searching the archive: for all staff, through diarium.archive.finding."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from diarium.archive import finding, naming, selectors
from diarium.archive.forms import ArchiveSearchForm
from diarium.archive.views import shown_page
from diarium.core.pages import paginate


@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not finding.may_search(user):
        raise PermissionDenied(_("Only staff may search the e-archive."))
    form = ArchiveSearchForm(user, request.GET or None)
    page, results = None, []
    with shown_page(request) as shown:
        if form.is_bound and form.is_valid():
            query = form.query()
            page = paginate(request, finding.search_packages(user, query))
            packages = list(page.object_list)
            hits = finding.hits(user, query.text, packages)
            naming.name_packages(shown, packages)
            shown.note(selectors.restricted_shown(packages, _records(hits)))
            archivist = selectors.archivist_authorities(user)
            results = [(p, hits.get(p.pk), p.creator.authority_id in archivist)
                       for p in packages]
        return render(request, "archive/search.html", {
            "form": form, "page": page, "results": results,
            "is_archivist": selectors.is_archivist(user)})


def _records(hits: dict[object, finding.Hits]) -> list:
    return [record for hit in hits.values() for record in hit.records]
