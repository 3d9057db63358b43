"""The archive's structure for archivists: submission agreements (list and create) and the
series of each archive creator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diarium.archive import selectors, services
from diarium.archive.forms import AgreementForm
from diarium.archive.views import require_archivist
from diarium.core.pages import apply_errors


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    require_archivist(request)
    user = request.user
    form = AgreementForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            creator = services.ensure_archive_creator(user, data["authority"])
            created = services.create_agreement(
                user, creator, reference=data["reference"], name=data["name"],
                producer=data["producer"], profile=data["profile"],
                allowed_formats=form.formats(), valid_from=data["valid_from"],
                valid_to=data["valid_to"], notes=data["notes"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Submission agreement %(reference)s is created.") % {
                "reference": created.reference})
            return redirect("archive:agreements")
    return render(request, "archive/agreements.html", {
        "form": form, "agreements": selectors.agreements(user)})


@login_required
def structure(request: HttpRequest) -> HttpResponse:
    require_archivist(request)
    user = request.user
    series = list(selectors.series(user))
    unclassified = {row["creator_id"]: row["count"] for row in selectors.unclassified(user)}
    creators = [(creator, [s for s in series if s.creator_id == creator.pk],
                 unclassified.get(creator.pk, 0))
                for creator in selectors.creators(user).order_by("name")]
    return render(request, "archive/structure.html", {"creators": creators})
