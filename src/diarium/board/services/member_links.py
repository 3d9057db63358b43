"""Members' personal links (ledamotslänkar): the secretary sends or renews a member's
link, or withdraws it; a member opens their meetings with it, without a login.

Rules kept: the token is 32 random bytes, signed (so a forged one is refused without a
database look-up) and stored only as its SHA-256; a member has at most one link in force
(a new one revokes the old); a link expires, works only while the member's term runs,
and gives read access to the member's own meetings plus their private notes, nothing
else. Every use is counted and written to the audit log (as `system:member-link`, naming
the seat), and so is every link sent or withdrawn (never the token)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.board.models import AgendaItem, MemberLink, MemberNote, Membership
from diarium.board.services._common import record, require_secretary
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry

SALT = "diarium.board.member-link"
DEFAULT_DAYS = 90
MAX_DAYS = 400


class LinkRefused(PermissionDenied):
    """The link is forged, unknown, revoked, expired, or its member no longer serves."""


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def link_path(token: str) -> str:
    return reverse("board:link_meetings", args=[token])


def link_url(token: str) -> str:
    base = str(getattr(settings, "DISCLOSURE_BASE_URL", "") or "http://localhost:8000")
    return base.rstrip("/") + link_path(token)


def active_link(member: Membership) -> MemberLink | None:
    return member.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()
                               ).first()


@atomic_with_retry
def issue_link(actor: Actor, member: Membership, days: int = DEFAULT_DAYS,
               *, send: bool = True) -> tuple[MemberLink, str]:
    """A new link for the member (the one in force is revoked), e-mailed to them when
    they have an address. Returns the link and its token (shown once, never stored)."""
    require_secretary(actor, member.body.authority_id)
    today = timezone.localdate()
    if not member.serves_on(today) and member.term_start <= today:
        raise ValidationError({"member": _("%(name)s's term of office is over.")
                               % {"name": member.name}})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("A link is valid for 1 to %(max)s days.")
                               % {"max": MAX_DAYS}})
    now = timezone.now()
    revoked = member.links.filter(revoked_at__isnull=True).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    link = MemberLink.objects.create(
        member=member, token_sha256=_hash(raw), created_by=actor, created_at=now,
        expires_at=min(now + dt.timedelta(days=days), _term_end(member)))
    token = signing.Signer(salt=SALT).sign(raw)
    record(actor, "board.member_link_issued", link, member.body.authority_id,
           after={"member": member.pk, "expires_at": link.expires_at,
                  "revoked_earlier": revoked, "emailed": bool(send and member.email)})
    if send and member.email:
        send_mail(
            _("Your meetings in %(body)s") % {"body": member.body.name},
            _("Your personal link to the meetings, agendas and documents of %(body)s "
              "(valid until %(until)s; do not pass it on):\n\n%(url)s")
            % {"body": member.body.name,
               "until": timezone.localtime(link.expires_at).date().isoformat(),
               "url": link_url(token)},
            None, [member.email], fail_silently=True)
    return link, token


def _term_end(member: Membership) -> dt.datetime:
    end = dt.datetime.combine(member.term_end + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(end)


@atomic_with_retry
def revoke_link(actor: Actor, member: Membership) -> int:
    require_secretary(actor, member.body.authority_id)
    count = member.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor, "board.member_link_revoked", member, member.body.authority_id,
           after={"revoked": count})
    return count


def find(token: str) -> MemberLink:
    """The link in force for the token (LinkRefused otherwise); nothing is written."""
    try:
        raw = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise LinkRefused(_("This link is not valid.")) from None
    link = MemberLink.objects.select_related("member__body__authority").filter(
        token_sha256=_hash(raw)).first()
    now = timezone.now()
    if link is None or link.revoked_at is not None:
        raise LinkRefused(_("This link is not valid. Ask the board secretary for a new one."))
    if link.expires_at <= now or not link.member.serves_on(timezone.localdate()):
        raise LinkRefused(_("This link has expired. Ask the board secretary for a new one."))
    return link


@atomic_with_retry
def use(token: str, what: str, obj=None) -> MemberLink:
    """Open the link for one page or download: checked, counted and audited."""
    link = find(token)
    MemberLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1,
                                                 last_used_at=timezone.now())
    record(actors.MEMBER_LINK, "board.member_link_used", link,
           link.member.body.authority_id,
           after={"member": link.member_id, "what": what,
                  "object": str(getattr(obj, "pk", "") or "")})
    return link


@atomic_with_retry
def save_note(link: MemberLink, item: AgendaItem, text: str) -> MemberNote:
    """The member's private note through their link: no audit event carries its text."""
    if item.meeting.body_id != link.member.body_id:
        raise PermissionDenied(_("Only the body's members keep notes on its items."))
    note, _created = MemberNote.objects.update_or_create(
        item=item, member=link.member, defaults={"text": text[:20000]})
    return note
