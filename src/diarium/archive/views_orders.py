"""DIP orders for archivists: order from a package, review restricted records, add masked
copies, deliver, download; and the log of deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.archive import naming, selectors
from diarium.archive.dip import services
from diarium.archive.dip.builder import dip_dir
from diarium.archive.dip.plan import needing_review
from diarium.archive.forms import MaskedFileForm, OrderForm, ReviewForm
from diarium.archive.models import Decision, Delivery, DipOrder, OrderState
from diarium.archive.tasks import DIP_BUILD, start_dip_build
from diarium.archive.views import require_archivist, shown_page
from diarium.core.jobs.selectors import latest_for
from diarium.core.pages import apply_errors, error_text, or_404, paginate


@login_required
def order_new(request: HttpRequest, package_id) -> HttpResponse:
    require_archivist(request)
    package = or_404(selectors.package_detail, request.user, package_id)
    form = OrderForm(package, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_dip(request.user, package, recipient=data["recipient"],
                                       purpose=data["purpose"], records=data["records"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The order is registered."))
            return redirect("archive:order", order_id=order.pk)
    return render(request, "archive/order_new.html", {"package": package, "form": form})


def _order_context(order: DipOrder, review_form=None, masked_form=None) -> dict:
    restricted = needing_review(order)
    masked = order.records.filter(pk__in=order.reviews.filter(
        decision=Decision.MASK).values("record_id"))
    return {
        "order": order, "records": order.records.all(),
        "reviews": {r.record_id: r for r in order.reviews.select_related("reviewer")
                    .prefetch_related("masked_files")},
        "review_form": review_form or ReviewForm(restricted),
        "masked_form": masked_form or MaskedFileForm(masked),
        "may_mask": masked.exists(),
        "delivery": Delivery.objects.filter(order=order).first(),
        "job": latest_for(order, DIP_BUILD),
        "ready": order.state == OrderState.READY,
    }


@login_required
def order_detail(request: HttpRequest, order_id) -> HttpResponse:
    require_archivist(request)
    order = or_404(selectors.order_detail, request.user, order_id)
    return render(request, "archive/order_detail.html", _order_context(order))


@login_required
@require_POST
def order_review(request: HttpRequest, order_id) -> HttpResponse:
    require_archivist(request)
    order = or_404(selectors.order_detail, request.user, order_id)
    form = ReviewForm(needing_review(order), request.POST)
    if form.is_valid():
        items = [services.ReviewItem(r, d, n) for r, d, n in form.decisions()]
        try:
            services.review(request.user, order, items)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The secrecy review is recorded."))
            return redirect("archive:order", order_id=order.pk)
    return render(request, "archive/order_detail.html", _order_context(order, form), status=400)


@login_required
@require_POST
def order_masked(request: HttpRequest, order_id) -> HttpResponse:
    require_archivist(request)
    order = or_404(selectors.order_detail, request.user, order_id)
    context = _order_context(order)
    form = MaskedFileForm(context["masked_form"].fields["record"].queryset, request.POST,
                          request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_masked_file(request.user, order, form.cleaned_data["record"], upload,
                                     upload.name, upload.content_type)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The masked copy is added."))
            return redirect("archive:order", order_id=order.pk)
    return render(request, "archive/order_detail.html", _order_context(order, masked_form=form),
                  status=400)


@login_required
@require_POST
def order_deliver(request: HttpRequest, order_id) -> HttpResponse:
    require_archivist(request)
    order = or_404(selectors.order_detail, request.user, order_id)
    if Delivery.objects.filter(order=order).exists():
        messages.info(request, _("The order is already delivered."))
        return redirect("archive:order", order_id=order.pk)
    try:
        services.check_deliverable(request.user, order)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        start_dip_build(request.user, order)
        messages.info(request, _("The DIP is being built; its progress is shown below."))
    return redirect("archive:order", order_id=order.pk)


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    require_archivist(request)
    page = paginate(request, selectors.orders(request.user))
    page.object_list = list(page.object_list)
    with shown_page(request) as shown:
        naming.name_packages(shown, [order.package for order in page.object_list])
        return render(request, "archive/orders.html", {"page": page})


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    require_archivist(request)
    page = paginate(request, selectors.deliveries(request.user))
    page.object_list = list(page.object_list)
    with shown_page(request) as shown:
        naming.name_packages(shown, [delivery.package for delivery in page.object_list])
        return render(request, "archive/deliveries.html", {"page": page})


@login_required
def delivery_download(request: HttpRequest, delivery_id) -> FileResponse:
    require_archivist(request)
    delivery = or_404(selectors.delivery_detail, request.user, delivery_id)
    path = dip_dir() / delivery.file_name
    if not path.is_file():
        raise Http404(_("The DIP file is no longer on the server."))
    services.note_download(request.user, delivery)
    return FileResponse(path.open("rb"), as_attachment=True, filename=delivery.file_name,
                        content_type="application/zip")
