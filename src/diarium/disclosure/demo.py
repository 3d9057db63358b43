"""Requests for the demo (`diarium demo`): one answered the same day, one partly refused
with a masked release and a written decision, and one still open and late. Made through
the services like everything else in the demo; runs inside the demo's transaction (the
demo loads once, into an empty database)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from diarium.core.calendar import STOCKHOLM, is_working_day
from diarium.disclosure import redaction, selectors, services
from diarium.disclosure.models import Outcome
from diarium.registry.models import Document, DocumentStatus


def _working_day_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def _submit(docs: list[Document], received: dt.datetime, **extra):
    entries = selectors.public_documents([str(d.pk) for d in docs])
    data = services.Submission(documents=entries, **({"reply_method": "email",
                                                       "email": "anna.exempel@example.se"}
                                                      | extra))
    return services.submit_request(data, now=received)[0]


def load(org) -> int:
    registrar = org.users["registrator"]
    ks = org.authorities["KS"]
    docs = list(Document.objects.filter(
        case__authority=ks, status=DocumentStatus.REGISTERED, secrecy_provision="",
        case__secrecy_provision="", files__mime_type="application/pdf")
        .select_related("case").distinct().order_by("registered_at")[:3])
    secret = Document.objects.filter(case__authority=ks, status=DocumentStatus.REGISTERED) \
        .exclude(secrecy_provision="").select_related("case").first()
    if len(docs) < 3:
        return 0
    today = timezone.localdate()
    # Answered the same day: received in the morning, released by lunch.
    day = _working_day_before(today, 5)
    same_day = _submit([docs[0]], _at(day, 9))
    services.review_item(registrar, same_day.items.get(), Outcome.RELEASE)
    services.deliver(registrar, same_day, "email_link", now=_at(day, 11))
    # A partial refusal: one document masked, the secret one refused, with a decision.
    day = _working_day_before(today, 3)
    partial = _submit([docs[1]] + ([secret] if secret else []), _at(day, 14),
                      requester_name="Anna Exempel", wants_decision=True)
    for item in partial.items.select_related("document"):
        if item.document_id == docs[1].pk:
            services.mask_item(registrar, item, [services.MaskInput(
                redaction.Box(1, 0.05, 0.12, 0.95, 0.2), "OSL 21 kap. 7 §")])
        else:
            services.review_item(registrar, item, Outcome.REFUSED, "OSL 19 kap. 3 §",
                                 "Anbudet innehåller affärshemligheter.")
    services.make_decision(registrar, partial)
    services.deliver(registrar, partial, "email_link", now=_at(day + dt.timedelta(days=1), 10))
    # Open and late: asked for two working days ago, not yet reviewed.
    _submit([docs[2]], _at(_working_day_before(today, 2), 10), reply_method="pickup", email="")
    return 3
