"""Document templates (mallar): administrators add them per authority or for the whole
municipality, tied to record types; officers create a draft in a case from one.

A template is checked when it is uploaded: a DOCX or an ODT (turned into DOCX by
LibreOffice), whose fields all exist (documents/templating.py) — otherwise it is refused
with the unknown field's name and nothing is stored. Filling it never fails silently: a
field without a value in the case is filled with a visible marker and listed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from diarium.audit import services as audit
from diarium.core import actors
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents import templating
from diarium.documents.convert import ConversionFailed
from diarium.documents.convert.formats import sniff
from diarium.documents.convert.sandbox import private_folder
from diarium.documents.services import open_content, store_content
from diarium.organisation.models import Authority, Municipality, Role
from diarium.organisation.selectors import access_for
from diarium.registry import enforcement
from diarium.registry.models import Case, Document, DocumentTemplate, Party
from diarium.registry.services._common import Upload
from diarium.registry.services.documents import DocumentData, store_uploads
from diarium.registry.services.versions import create_draft

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The appeal notice (överklagandehänvisning) of a decision that is appealed by
# förvaltningsbesvär (förvaltningslagen 40-45 §§).
APPEAL_NOTICE = (
    "Hur man överklagar: Om du inte är nöjd med beslutet kan du överklaga det. Skriv till "
    "{myndighet} och tala om vilket beslut du överklagar ({diarienummer}), hur du vill att "
    "det ska ändras och varför. Ditt överklagande ska ha kommit in till {myndighet} inom "
    "tre veckor från den dag du fick del av beslutet. Om det har kommit in i rätt tid och "
    "{myndighet} inte själv ändrar beslutet som du begär, skickas överklagandet vidare till "
    "förvaltningsrätten. Kontakta gärna handläggaren om du behöver hjälp."
)


@dataclass
class TemplateData:
    name: str
    municipality: Municipality
    authority: Authority | None = None
    record_types: list = field(default_factory=list)  # plan RecordType ids
    description: str = ""


def may_manage_templates(user, municipality: Municipality,
                         authority: Authority | None) -> bool:
    """Administrators of the authority; for the whole municipality, administrators of
    any of its authorities (and superusers)."""
    if user.is_superuser:
        return True
    access = access_for(user)
    if authority is not None:
        return access.has(authority.pk, {Role.ADMINISTRATOR})
    return any(a.municipality_id == municipality.pk for a in Authority.objects.filter(
        pk__in=access.authorities_with({Role.ADMINISTRATOR})))


def _require_manager(actor: Actor, data: TemplateData) -> None:
    actors.require(actor, "registry.templates",
                   lambda user: may_manage_templates(user, data.municipality, data.authority),
                   _("Only administrators manage templates."))


def add_template(actor: Actor, data: TemplateData, upload: Upload) -> DocumentTemplate:
    """Check and store a template. Refused with the field's name when it uses a field
    that does not exist, or when it is not a DOCX or ODT."""
    _require_manager(actor, data)
    if not data.name.strip():
        raise ValidationError({"name": _("Give the template a name.")})
    original = store_uploads(actor, [upload])[0]
    with private_folder() as folder:
        source = folder / "upload"
        with open_content(original.content) as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out)
        docx, used = _checked(source, upload.name, folder)
        with docx.open("rb") as stream:
            content = store_content(stream, mime_type=DOCX_TYPE)
    return _save(actor, data, original.content, content, original.name, used)


def _checked(source: Path, name: str, folder: Path) -> tuple[Path, set[str]]:
    try:
        kind = sniff(source, name).kind
    except ConversionFailed as exc:
        raise ValidationError({"file": str(exc)}) from exc
    try:
        if kind == "odt":
            source = templating.odt_to_docx(source, folder)
        elif kind != "docx":
            raise templating.TemplateRefused(_("A template is a DOCX or ODT file."))
        return source, templating.check_template(source)
    except templating.TemplateRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc


@atomic_with_retry
def _save(actor: Actor, data: TemplateData, original, content, name: str,
          used: set[str]) -> DocumentTemplate:
    DocumentTemplate.objects.filter(municipality=data.municipality, authority=data.authority,
                                    name=data.name.strip(), active=True).update(active=False)
    template = DocumentTemplate.objects.create(
        municipality=data.municipality, authority=data.authority, name=data.name.strip(),
        description=data.description.strip(), content=content, original=original,
        original_name=name, fields=sorted(used), created_by=actors.user_of(actor))
    template.record_types.set(data.record_types)
    audit.record(actor=actor, action="template.added", obj=template,
                 chain=f"authority:{data.authority.pk}" if data.authority else None,
                 after={"name": template.name, "fields": template.fields,
                        "sha256": content.sha256,
                        "record_types": [str(r) for r in data.record_types]})
    return template


@atomic_with_retry
def retire_template(actor: Actor, template: DocumentTemplate) -> DocumentTemplate:
    data = TemplateData(template.name, template.municipality, template.authority)
    _require_manager(actor, data)
    template = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    template.active = False
    template.save(update_fields=["active"])
    audit.record(actor=actor, action="template.retired", obj=template,
                 chain=f"authority:{template.authority_id}" if template.authority_id else None,
                 before={"active": True}, after={"active": False})
    return template


# -- filling ------------------------------------------------------------------------------

def values_for(case: Case, data: DocumentData) -> dict[str, Any]:
    """The fields' values from the case and the new document."""
    authority = case.authority
    officer = case.responsible_officer
    unit = case.responsible_unit
    party: Party | None = data.party
    parties = [{"namn": link.party.name, "adress": _address(link.party),
                "epost": link.party.email}
               for link in case.case_parties.select_related("party")]
    rule = enforcement.resolve_rule(case.authority_id, data.record_type, timezone.localdate())
    today = timezone.localdate()
    return {
        "diarienummer": case.diary_number,
        "handlingsnummer": f"{case.diary_number}:{case.document_count + 1}",
        "arendemening": case.title,
        "offentlig_titel": case.public_title,
        "handlingstyp": rule.name if rule else "",
        "rubrik": data.title,
        "kommun": authority.municipality.name,
        "myndighet": authority.name,
        "organisationsnummer": getattr(authority, "organisation_number", ""),
        "forvaltning": getattr(getattr(unit, "administration", None), "name", "") if unit
        else "",
        "enhet": unit.name if unit else "",
        "handlaggare": (officer.get_full_name() or officer.get_username()) if officer else "",
        "handlaggare_epost": officer.email if officer else "",
        "datum": formats.date_format(today, "Y-m-d"),
        "handlingsdatum": formats.date_format(data.document_date, "Y-m-d"),
        "mottagare": party.name if party else data.sender_recipient,
        "mottagare_adress": _address(party) if party else "",
        "avsandare": authority.name,
        "parter": parties,
        "overklagandehanvisning": APPEAL_NOTICE.format(myndighet=authority.name,
                                                       diarienummer=case.diary_number),
    }


def _address(party: Party | None) -> str:
    if party is None:
        return ""
    return ", ".join(p for p in (party.address, f"{party.postal_code} {party.city}".strip())
                     if p)


@dataclass
class FromTemplate:
    document: Document
    missing: list[str]


def create_from_template(actor: Actor, case: Case, template: DocumentTemplate,
                         data: DocumentData, note: str = "") -> FromTemplate:
    """A draft in the case whose first version is the template filled from the case.
    Fields without a value are marked in the text and listed in `missing`."""
    actors.check(actor)
    if not template.active or not _offered(template, case):
        raise PermissionDenied(_("The template is not offered for this case."))
    if data.record_type is None and template.record_types.exists():
        data.record_type = str(template.record_types.values_list("pk", flat=True).first())
    values = values_for(case, data)
    with private_folder() as folder:
        source = folder / "template.docx"
        with open_content(template.content) as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out)
        try:
            filled = templating.fill(source, values, folder / "filled.docx")
        except templating.TemplateRefused as exc:
            raise ValidationError({"template": str(exc)}) from exc
        name = f"{template.name}.docx"
        with filled.path.open("rb") as stream:
            doc = create_draft(actor, case, data, Upload(stream, name, DOCX_TYPE),
                               note=note or _("From the template %(name)s") % {
                                   "name": template.name})
    return FromTemplate(doc, [m for m in filled.missing if m in template.fields])


def _offered(template: DocumentTemplate, case: Case) -> bool:
    return template.municipality_id == case.authority.municipality_id and (
        template.authority_id in (None, case.authority_id))
