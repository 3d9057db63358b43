"""The secretary's page of a body's members' personal links: send or renew a member's
link (e-mailed to them; shown once on the page when they have no address) and withdraw
it (board/services/member_links.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diarium.board import selectors
from diarium.board.models import Membership
from diarium.board.services import member_links
from diarium.board.views.common import one_or_404, run


def _body(request: HttpRequest, body_id):
    return one_or_404(selectors.secretary_bodies(request.user), body_id)


@login_required
def member_links_page(request: HttpRequest, body_id) -> HttpResponse:
    body = _body(request, body_id)
    today = timezone.localdate()
    members = [m for m in body.memberships.all() if m.term_end >= today]
    for member in members:
        member.link = member_links.active_link(member)
    return render(request, "board/member_links.html", {
        "body": body, "members": members, "default_days": member_links.DEFAULT_DAYS,
        "max_days": member_links.MAX_DAYS})


@login_required
@require_POST
def issue(request: HttpRequest, member_id) -> HttpResponse:
    member = one_or_404(Membership.objects.filter(
        body__in=selectors.secretary_bodies(request.user)), member_id)
    back = reverse("board:member_links", args=[member.body_id])
    try:
        days = int(request.POST.get("days") or member_links.DEFAULT_DAYS)
    except ValueError:
        days = 0

    def act():
        _link, token = member_links.issue_link(request.user, member, days)
        if member.email:
            messages.success(request, _("A new link was sent to %(email)s; the earlier one "
                                        "no longer works.") % {"email": member.email})
        else:
            messages.warning(request, _("%(name)s has no e-mail address. Give them this "
                                        "link (shown only now): %(url)s")
                             % {"name": member.name, "url": member_links.link_url(token)})
    return run(request, back, act)


@login_required
@require_POST
def revoke(request: HttpRequest, member_id) -> HttpResponse:
    member = one_or_404(Membership.objects.filter(
        body__in=selectors.secretary_bodies(request.user)), member_id)
    return run(request, reverse("board:member_links", args=[member.body_id]),
               lambda: member_links.revoke_link(request.user, member),
               _("The link no longer works."))
