"""Filling document templates (mallar): DOCX through docxtpl, in a sandboxed Jinja.

A template may use only the fields listed in FIELDS; one that names any other field is
refused when it is uploaded, with the field's name. Jinja runs sandboxed, so an expression
that reaches for Python internals (`{{ ''.__class__.__mro__ }}`) fails instead of running.
A field that has no value in a case is never left silently empty: it is filled with a
visible marker and listed, so the officer sees what to complete.

The registry builds the values from a case and a document (documents sits below the
registry and does not read cases itself). ODT templates are turned into DOCX by LibreOffice
when they are uploaded and filled the same way."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from diarium.documents.convert import pdfa
from diarium.documents.convert.sandbox import run

# The fields a template may use, with what they hold (shown to template authors).
FIELDS: dict[str, Any] = {
    "diarienummer": gettext_lazy("the case's diary number, e.g. KS 2026/42"),
    "handlingsnummer": gettext_lazy("the document's number in the case, e.g. KS 2026/42:3"),
    "arendemening": gettext_lazy("the case's title"),
    "offentlig_titel": gettext_lazy("the case's public title"),
    "handlingstyp": gettext_lazy("the record type of the document"),
    "rubrik": gettext_lazy("the document's title"),
    "kommun": gettext_lazy("the municipality"),
    "myndighet": gettext_lazy("the authority (board)"),
    "organisationsnummer": gettext_lazy("the authority's organisation number"),
    "forvaltning": gettext_lazy("the administration of the responsible unit"),
    "enhet": gettext_lazy("the responsible unit"),
    "handlaggare": gettext_lazy("the responsible officer's name"),
    "handlaggare_epost": gettext_lazy("the responsible officer's e-mail"),
    "datum": gettext_lazy("today's date"),
    "handlingsdatum": gettext_lazy("the document's date"),
    "mottagare": gettext_lazy("the recipient's name"),
    "mottagare_adress": gettext_lazy("the recipient's postal address"),
    "avsandare": gettext_lazy("the sender's name"),
    "parter": gettext_lazy("the case's parties: a list with namn, adress, epost"),
    "overklagandehanvisning": gettext_lazy("how to appeal the decision"),
    # A board meeting's kallelse and minutes (board/layouts.py).
    "sammantrade": gettext_lazy("the meeting: organ, myndighet, datum, tid, plats"),
    "punkter": gettext_lazy("the meeting's items: a list with nummer, rubrik, rader, stangd"),
    "narvaro": gettext_lazy("the meeting's attendance, one line per member (minutes)"),
    "justerare": gettext_lazy("the names of the justerare (minutes)"),
}


class TemplateRefused(Exception):
    """A template that cannot be used; the message names what is wrong."""


@dataclass
class Filled:
    path: Path
    missing: list[str] = field(default_factory=list)


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False)


def check_template(path: Path) -> set[str]:
    """The fields a DOCX template uses; refused when it names unknown fields, has a syntax
    error, or breaks out of the sandbox on a trial fill."""
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(environment())
    except TemplateError as exc:
        raise TemplateRefused(_("The template has an error: %(error)s") % {"error": exc}) \
            from exc
    except Exception as exc:
        raise TemplateRefused(_("The file is not a readable Word template.")) from exc
    unknown = sorted(used - set(FIELDS))
    if unknown:
        raise TemplateRefused(
            _("The template uses fields that do not exist: %(names)s")
            % {"names": ", ".join(unknown)}
        )
    return used


def fill(path: Path, values: dict[str, Any], out: Path) -> Filled:
    """Fill the template at `path` with `values` into `out`. Known fields without a value
    get a visible marker and are listed in `missing`."""
    context, missing = {}, []
    for name in FIELDS:
        value = values.get(name)
        if value in (None, "", []):
            missing.append(name)
            value = _("[missing: %(field)s]") % {"field": name}
        context[name] = value
    template = DocxTemplate(str(path))
    try:
        template.render(context, jinja_env=environment())
    except SecurityError as exc:
        raise TemplateRefused(_("The template tries something that is not allowed.")) from exc
    except TemplateError as exc:
        raise TemplateRefused(_("The template has an error: %(error)s") % {"error": exc}) \
            from exc
    template.save(str(out))
    return Filled(out, missing)


def odt_to_docx(source: Path, workdir: Path) -> Path:
    """An ODT template as DOCX (LibreOffice), so that it is filled like any other; the
    fields survive the conversion as text."""
    staged = workdir / "template.odt"
    if source != staged:
        staged.write_bytes(source.read_bytes())
    result = run([
        "soffice", "--headless", "--norestore", "--nologo", "--nodefault",
        f"-env:UserInstallation=file://{workdir}/profile",
        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(workdir / "out"), staged.name,
    ], cwd=workdir, timeout=pdfa.timeout())
    produced = workdir / "out" / "template.docx"
    if result.returncode != 0 or not produced.is_file():
        raise TemplateRefused(_("LibreOffice could not read the ODT template."))
    return produced
