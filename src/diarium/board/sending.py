"""Sending the board's documents through the registry's dispatch (registry/dispatch/):
the kallelse to the body's members and substitutes, each protokollsutdrag to its case's
parties, its item's distribution list and the item's other recipients.

Rules kept here:
- What the board sends is a registry dispatch (one `registry.Dispatch` per document, its
  recipients as `DispatchRecipient` rows, sent by the registry's job `registry.dispatch`
  and audited there); the board keeps no sending rows of its own and shows the registry's.
- A recipient with an e-mail address gets the document by e-mail (the PDF/A, or the
  signed PDF once signed). A recipient with only a postal address is not sent
  automatically: the board shows it as waiting to be posted, and the secretary posts it
  from the document's dispatch page (the registry records who posted it and when).
- An authority without an outgoing mail server sends nothing by e-mail: the document is
  still registered and the board page says who is waiting and why (`status`), so nothing
  is silently taken for sent. `send` is called again for those not reached yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry.dispatch import services as dispatch
from diarium.registry.dispatch.models import (
    Dispatch,
    DispatchChannel,
    DispatchRecipient,
    DispatchSettings,
    DistributionList,
    RecipientKind,
    RecipientState,
)
from diarium.registry.dispatch.recipients import RecipientInput
from diarium.registry.models import Document


@dataclass(frozen=True)
class Recipient:
    """One recipient the board names: a name and an e-mail and/or postal address."""

    name: str
    email: str = ""
    postal_address: str = ""

    @property
    def key(self) -> str:
        return (self.email or self.postal_address or self.name).strip().lower()


@dataclass
class Outcome:
    """What one call did: the registry dispatch made (or None) and who was not sent to
    by e-mail, with why."""

    dispatch: object | None = None
    waiting: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """One recipient's sending status as the board shows it."""

    name: str
    address: str
    state: str  # sent, pending, failed, post (to be posted), not_sent
    label: str
    at: object = None


def mail_server_ready(authority_id) -> bool:
    found = DispatchSettings.objects.filter(authority_id=authority_id).first()
    return bool(found and found.host and found.from_address)


def _reached(document: Document) -> set[str]:
    """The addresses already dispatched to, e-mail or post (a failed one too: it is sent
    again from the registry's dispatch page, not as a second dispatch)."""
    rows = DispatchRecipient.objects.filter(dispatch__document=document)
    return {(r.email if r.email else r.postal_address).strip().lower()
            for r in rows if r.email or r.postal_address}


def send(actor: Actor, document: Document, recipients: Iterable[Recipient],
         lists: Iterable[DistributionList] = (), *, subject: str = "") -> Outcome:
    """Hand the document to the registry's e-mail dispatch for every recipient with an
    e-mail address not reached yet (and the lists' members); those with only a postal
    address are left to be posted. Runs in the caller's transaction: a refused recipient
    refuses the whole dispatch with its name, and nothing is written."""
    recipients = list(recipients)
    lists = [dl for dl in lists if dl.active and dl.current_id]
    outcome = Outcome()
    reached = _reached(document)
    by_email = [r for r in recipients if r.email and r.email.strip().lower() not in reached]
    outcome.waiting = [(r.name, _("to be posted")) for r in recipients
                       if not r.email and r.key not in reached]
    already_listed = _listed(document)
    lists = [dl for dl in lists if dl.current_id not in already_listed]
    if not by_email and not lists:
        return outcome
    if not mail_server_ready(document.case.authority_id):
        outcome.waiting += [(r.name, _("no outgoing mail server")) for r in by_email]
        outcome.waiting += [(dl.name, _("no outgoing mail server")) for dl in lists]
        return outcome
    request = dispatch.DispatchRequest(
        recipients=[RecipientInput(RecipientKind.EMAIL, name=r.name, email=r.email.strip())
                    for r in _unique(by_email)],
        lists=lists, subject=subject)
    outcome.dispatch = dispatch.dispatch_by_email(actor, document, request)
    return outcome


def _listed(document: Document) -> set:
    """The list versions the document was already dispatched to."""
    return set(Dispatch.objects.filter(document=document).values_list("lists", flat=True))


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    seen, kept = set(), []
    for r in recipients:
        if r.key not in seen:
            seen.add(r.key)
            kept.append(r)
    return kept


_LABELS = {
    RecipientState.SENT: gettext_lazy("sent"),
    RecipientState.PENDING: gettext_lazy("waiting to be sent"),
    RecipientState.FAILED: gettext_lazy("failed"),
}


def status(document: Document | None, expected: Iterable[Recipient] = ()) -> list[Line]:
    """Each recipient's sending status, read from the registry's dispatch rows: everyone
    the document was dispatched to, then those expected but not reached (to be posted,
    or not sent at all)."""
    if document is None:
        return []
    lines, seen = [], set()
    rows = DispatchRecipient.objects.filter(dispatch__document=document).select_related(
        "dispatch").order_by("dispatch__created_at", "position")
    for row in rows:
        address = row.email or row.postal_address
        seen.add(address.strip().lower())
        if row.dispatch.channel == DispatchChannel.POST:
            label = _("posted")
        else:
            label = str(_LABELS.get(row.state, row.state))
        lines.append(Line(row.name, address, row.state, label, row.sent_at))
    for r in expected:
        if r.key in seen:
            continue
        if r.email:
            lines.append(Line(r.name, r.email, "not_sent", _("not sent")))
        else:
            lines.append(Line(r.name, r.postal_address, "post",
                              _("to be posted from the document's page")))
    return lines


def parse_lines(text: str) -> list[Recipient]:
    """Recipients written one per line as "Name <address>" or "Name" (an address
    without "@" is a postal address)."""
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _lt, rest = line.partition("<")
        address = rest.rstrip(">").strip()
        name = name.strip() or address
        if "@" in address:
            result.append(Recipient(name, email=address))
        else:
            result.append(Recipient(name, postal_address=address))
    return result


def notice_recipients(meeting) -> list[Recipient]:
    """The kallelse goes to every member and substitute serving on the meeting's date."""
    from diarium.board.selectors import members_to_notify

    return [Recipient(m.name, email=m.email) for m in members_to_notify(meeting)]


def extract_recipients(item) -> list[Recipient]:
    """An extract goes to its case's parties (e-mail, else their postal address) and to
    the recipients written on the item (its distribution list is passed beside)."""
    parties = item.proposal.case.case_parties.select_related("party")
    found = [Recipient(link.party.name, email=link.party.email,
                       postal_address=_postal(link.party)) for link in parties]
    return found + parse_lines(item.recipients)


def _postal(party) -> str:
    town = " ".join(p for p in (party.postal_code, party.city) if p)
    return "\n".join(p for p in (party.address, town) if p.strip())


def send_again(actor: Actor, meeting) -> list[Outcome]:
    """The secretary sends the meeting's kallelse and extracts to those not reached yet
    (after the mail server was set up, or an address was added)."""
    from diarium.board.services._common import require_secretary

    require_secretary(actor, meeting.body.authority_id)
    return _send_again(actor, meeting)


@atomic_with_retry
def _send_again(actor: Actor, meeting) -> list[Outcome]:
    done = []
    if meeting.notice_document_id:
        done.append(send(actor, meeting.notice_document, notice_recipients(meeting)))
    for item in meeting.items.filter(extract__isnull=False).select_related(
            "extract", "proposal__case", "recipient_list"):
        done.append(send(actor, item.extract, extract_recipients(item),
                         [item.recipient_list] if item.recipient_list_id else []))
    return done
