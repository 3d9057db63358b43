"""The digital case file (digital akt, registry/case_file.py): made on request for the user
as they may see the case, and registered in the case as a document of its own.

Rules kept here: only someone who may read the case makes its akt; what they may not read
is withheld and the index says so; an akt that holds secret content is itself marked
secret with the first included document's provision (never less protected than its
parts). Making one is audited with its counts and hash; registering it is a registration
like any other."""

from __future__ import annotations

import hashlib
import io

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.registry import case_file
from diarium.registry.models import Case, Document
from diarium.registry.services._common import Secrecy, Upload, _chain, require_may_add
from diarium.registry.services.documents import DocumentData, register_document
from diarium.registry.visibility import policy_for


def make_case_file(actor: Actor, case: Case) -> case_file.CaseFile:
    """The akt of the case as the actor may see it (a PDF/A with an index). Only who may
    read the case's content makes it; the policy's page audits the secret content in it."""
    actors.check(actor)
    with policy_for(actor).page("registry:case_file") as shown:
        if not shown.show_case(case):
            raise PermissionDenied(_("You may not see this case."))
        made = case_file.build(actor, case, shown)
    _audit_made(actor, case, made)
    return made


@atomic_with_retry
def _audit_made(actor: Actor, case: Case, made: case_file.CaseFile) -> None:
    audit.record(actor=actor, action="case.case_file_made", obj=case, chain=_chain(case),
                 case_id=case.pk,
                 after={"documents": len(made.rows) - made.withheld,
                        "withheld": made.withheld,
                        "sha256": hashlib.sha256(made.pdf).hexdigest()})


def file_name(case: Case) -> str:
    number = "".join(c if c.isalnum() else "-" for c in case.diary_number)
    return f"digital-akt-{number}.pdf"


def register_case_file(actor: Actor, case: Case) -> Document:
    """Make the akt and register it in the case (an internal document, dated today)."""
    require_may_add(actor, case)
    made = make_case_file(actor, case)
    secret = next((r.document for r in made.rows
                   if r.readable and r.renditions and r.document.is_secret), None)
    data = DocumentData(
        direction="internal", document_date=timezone.localdate(),
        title=_("Case file (digital akt) %(number)s") % {"number": case.diary_number},
        secrecy=Secrecy(secret.secrecy_provision, withhold_files=True) if secret
        else Secrecy())
    return register_document(actor, case, data, [
        Upload(io.BytesIO(made.pdf), file_name(case), "application/pdf")])
