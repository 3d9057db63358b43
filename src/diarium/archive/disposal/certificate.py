"""The disposal certificate (gallringsbevis) of an executed list, as JSON and as PDF: the
list, the decision and who approved it, who executed it and when, the counts, and every
item with what became of it (the JSON also every file with its SHA-256 and size).

Both files are kept in the file store (content-addressed, like every stored file) and
linked from the run; their SHA-256 are written into the audit event that completes the
run, so a certificate shown later can be checked against the audit chain. The
certificate is written in the municipality's language (settings.LANGUAGE_CODE) whatever
the language of the person executing the list."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diarium.archive.models import DisposalRun, ItemState, RunState
from diarium.audit import services as audit
from diarium.core import actors
from diarium.core import pdf as pdfs
from diarium.core.actors import Actor
from diarium.core.transactions import atomic_with_retry
from diarium.documents.models import StoredFile
from diarium.documents.services import store_content
from diarium.organisation.models import User

from . import access

FORMAT = "diarium-disposal-certificate"
NO_LIMIT = 1 << 62
# Column widths (mm) of the item table on landscape A4 (277 mm between the margins).
WIDTHS = (12, 24, 48, 42, 80, 28, 43)


def person(user: User | None, fallback: str = "Diarium") -> str:
    if user is None:
        return fallback
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def complete(actor: Actor, run: DisposalRun) -> DisposalRun:
    """Make the certificate and complete the run (once; a completed run is returned).
    Only a list being executed, with no item left pending or failed, is completed."""
    actors.require(actor, "disposal.execute", lambda user: access.handles(user, run.authority_id))
    if run.state == RunState.COMPLETED:
        return run
    open_items = run.items.filter(state__in=(ItemState.PENDING, ItemState.FAILED)).exists()
    if run.state != RunState.EXECUTING or open_items:
        raise ValidationError({"state": _("Only a list whose every item is executed is "
                                          "completed.")})
    executed_at = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        head = _head(run, executed_at, actors.name_of(actor))
        as_json = _store_json(run, head)
        as_pdf = store_content(io.BytesIO(_pdf(run, head)), mime_type="application/pdf",
                               limit=NO_LIMIT)
    return _finish(actor, run, executed_at, as_json, as_pdf, head["counts"])


@atomic_with_retry
def _finish(actor: Actor, run: DisposalRun, executed_at: dt.datetime,
            as_json: StoredFile, as_pdf: StoredFile, counts: dict) -> DisposalRun:
    run = DisposalRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    if run.state == RunState.COMPLETED:
        return run
    run.state, run.executed_at, run.error = RunState.COMPLETED, executed_at, ""
    run.certificate_json, run.certificate_pdf = as_json, as_pdf
    run.save(update_fields=["state", "executed_at", "error", "certificate_json",
                            "certificate_pdf"])
    audit.record(actor=actor, action="archive.disposal_completed", obj=run,
                 chain=f"authority:{run.authority_id}",
                 after={"list": run.label, "decision": run.decision_reference,
                        "counts": counts, "certificate_pdf_sha256": as_pdf.sha256,
                        "certificate_json_sha256": as_json.sha256})
    return run


def _head(run: DisposalRun, executed_at: dt.datetime, executor: str) -> dict[str, Any]:
    """executor: the actor's name, for a list a system principal executed."""
    counts = access.counts(run)
    return {
        "format": FORMAT, "format_version": 1,
        "list": run.label, "id": str(run.pk),
        "authority": {"code": run.authority.code, "name": run.authority.name},
        "due_on": run.due_on.isoformat(),
        "record_type": ({"id": str(run.record_type_id), "name": access.record_type_name(run)}
                        if run.record_type_id else None),
        "created_by": person(run.created_by),
        "created_at": timezone.localtime(run.created_at).isoformat(),
        "decision": {"reference": run.decision_reference, "approved_by": person(run.decided_by),
                     "approved_at": timezone.localtime(run.decided_at).isoformat(),
                     "note": run.decision_note},
        "executed_by": person(run.executed_by, executor),
        "execution_started_at": timezone.localtime(run.execution_started_at).isoformat(),
        "executed_at": timezone.localtime(executed_at).isoformat(),
        "counts": {"items": counts["total"], "disposed": counts[ItemState.DISPOSED],
                   "skipped": counts[ItemState.SKIPPED], "held": counts["held"],
                   "failed": counts[ItemState.FAILED]},
    }


def _rows(run: DisposalRun):
    return run.items.select_related("record", "record__executed_by").order_by(
        "position").iterator(chunk_size=2000)


def _item(item) -> dict[str, Any]:
    record = getattr(item, "record", None)
    return {
        "position": item.position, "kind": item.kind, "identifier": item.identifier,
        "case": item.case_diary_number, "description": item.title, "secret": item.is_secret,
        "record_type": item.record_type, "decision": item.decision,
        "plan_version": item.plan_version,
        "disposal_date": item.disposal_date.isoformat() if item.disposal_date else None,
        "state": item.state, "held": item.held, "reason": item.reason,
        "document": str(item.document_id) if item.document_id else None,
        "package": str(item.package_id) if item.package_id else None,
        "disposal_record": str(record.pk) if record else None,
        "disposed_at": timezone.localtime(record.disposed_at).isoformat() if record else None,
        "executed_by": record.executed_by_name if record else None,
        "files": record.files if record else item.files,
    }


def _store_json(run: DisposalRun, head: dict) -> StoredFile:
    """Written item by item to a spooled file, so a long list does not sit in memory."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[:-2].encode() + b',\n "items": [\n')
        for n, item in enumerate(_rows(run)):
            line = json.dumps(_item(item), ensure_ascii=False)
            out.write((",\n" if n else "").encode() + line.encode())
        out.write(b"\n ]\n}\n")
        out.seek(0)
        return store_content(out, mime_type="application/json", limit=NO_LIMIT)


def _facts(run: DisposalRun, head: dict) -> list[tuple[str, str]]:
    counts = head["counts"]
    return [
        (_("Authority"), f"{run.authority.code} {run.authority.name}"),
        (_("Disposal decision"), run.decision_reference),
        (_("Approved by"), f"{head['decision']['approved_by']}, "
                           f"{head['decision']['approved_at'][:16].replace('T', ' ')}"),
        (_("Drawn up by"), f"{head['created_by']}, {head['created_at'][:16].replace('T', ' ')}"),
        (_("Executed by"), f"{head['executed_by']}, {head['executed_at'][:16].replace('T', ' ')}"),
        (_("Due on or before"), head["due_on"]),
        (_("Record type"), head["record_type"]["name"] if head["record_type"]
         else _("All record types")),
        (pgettext("disposal list", "Items"),
         _("%(items)s in all: %(disposed)s disposed of, %(skipped)s skipped "
           "(%(held)s held), %(failed)s failed") % counts),
        (_("List id"), head["id"]),
    ]


def _pdf(run: DisposalRun, head: dict) -> bytes:
    from fpdf.fonts import FontFace

    title = _("Disposal certificate %(list)s") % {"list": run.label}
    pdf = pdfs.make_pdf(title, orientation="L")
    pdf.add_page()
    pdf.set_font(pdf.body_font, "B", 16)
    pdf.multi_cell(0, 8, pdf.clean(title), **pdfs.NEXT_LINE)
    pdf.set_font(pdf.body_font, "", 9)
    pdf.multi_cell(0, 5, pdf.clean(_(
        "Records destroyed (gallrade) under the disposal decision below (Arkivlagen). "
        "The registrations stay in the register; the JSON certificate of the same list "
        "names every file with its SHA-256 and size.")), **pdfs.NEXT_LINE)
    pdf.ln(2)
    for label, value in _facts(run, head):
        pdf.set_font(pdf.body_font, "B", 9)
        pdf.cell(45, 5, pdf.clean(label))
        pdf.set_font(pdf.body_font, "", 9)
        pdf.multi_cell(0, 5, pdf.clean(value), **pdfs.NEXT_LINE)
    pdf.ln(3)
    pdf.set_font(pdf.body_font, size=7)
    style = FontFace(emphasis="BOLD", fill_color=(225, 230, 236))
    states = dict(ItemState.choices)
    with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS), text_align="LEFT", v_align="TOP",
                   headings_style=style, line_height=3.4, padding=1) as table:
        header = table.row()
        for text in (_("No."), _("Kind"), _("Identifier"), _("Record type"),
                     _("Description"), _("Disposal date"), _("Outcome")):
            header.cell(pdf.clean(text))
        kinds = {"document": _("Document"), "package": _("Package")}
        for item in _rows(run):
            outcome = str(states.get(item.state, item.state))
            if item.reason:
                outcome = f"{outcome}: {item.reason}"
            row = table.row()
            for text in (str(item.position), kinds.get(item.kind, item.kind), item.identifier,
                         item.record_type, item.title,
                         item.disposal_date.isoformat() if item.disposal_date else "",
                         outcome):
                row.cell(pdf.clean(text))
    return bytes(pdf.output())
