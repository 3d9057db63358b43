"""The answer by e-mail: a link to the released files (expiring) or the files attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from diarium.disclosure.models import DeliveryMethod, DisclosureRequest
from diarium.documents.models import StoredFile
from diarium.documents.services import open_content


def base_url() -> str:
    return str(getattr(settings, "DISCLOSURE_BASE_URL", "") or "http://localhost:8000")


def send_answer(request: DisclosureRequest, method: str, files: list, token: str) -> None:
    from diarium.disclosure.services import link_path

    lines = [_("Answer to your request %(number)s.") % {"number": request.number}, ""]
    if not files:
        lines.append(_("No documents are released. A decision follows where you asked for "
                       "one."))
    elif method == DeliveryMethod.EMAIL_LINK:
        lines += [_("Download the released documents here (the link expires):"),
                  base_url().rstrip("/") + link_path(token)]
    else:
        lines.append(_("The released documents are attached."))
    message = EmailMessage(
        subject=_("Your request for official documents %(number)s") % {
            "number": request.number},
        body="\n".join(lines), to=[request.email])
    if method == DeliveryMethod.EMAIL_ATTACHMENT:
        for entry in files:
            stored = StoredFile.objects.get(sha256=entry["sha256"])
            with open_content(stored) as stream:
                message.attach(entry["name"], stream.read(), entry["mime_type"])
    message.send()
