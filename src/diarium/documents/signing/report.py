"""The validation report in its two kept forms: canonical JSON (the evidence a machine
reads again) and a readable PDF page (what a person or an archivist reads)."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from diarium.core.pdf import NEXT_LINE, make_pdf


def as_json(report: dict) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _local(value: str | None) -> str:
    if not value:
        return "–"
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M:%S")


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def _signature_lines(signature: dict) -> list[tuple[str, str]]:
    if "signer" not in signature:
        return [(_("Signature field"), signature.get("field", "")),
                (_("Outcome"), _("invalid"))]
    return [
        (_("Signature field"), signature["field"]),
        (_("Signed by"), signature["signer_name"] or signature["signer"]),
        (_("Role"), signature.get("role") or "–"),
        (_("Signed at (as stated by the signer)"), _local(signature["signed_at"])),
        (_("Timestamp"), _local(signature["timestamp"])),
        (_("Certificate issued by"), signature["issuer"]),
        (_("Certificate valid"), f"{_local(signature['certificate_valid_from'])} – "
                                 f"{_local(signature['certificate_valid_to'])}"),
        (_("Signed content unchanged"), _yes(signature["intact"])),
        (_("Chains to the trust list"), _yes(signature["trusted"])),
        (_("Revoked"), _yes(signature["revoked"])),
        (_("Outcome"), _("valid") if signature["valid"] else _("invalid")),
    ]


def as_pdf(report: dict, title: str) -> bytes:
    pdf = make_pdf(_("Signature validation report"))
    pdf.add_page()
    pdf.set_font(pdf.body_font, "B", size=14)
    pdf.multi_cell(0, 8, pdf.clean(_("Signature validation report")), **NEXT_LINE)
    pdf.set_font(pdf.body_font, size=10)
    head = [(_("Document"), title), (_("File"), report.get("file") or "–"),
            ("SHA-256", report["sha256"]), (_("Checked at"), _local(report["checked_at"])),
            (_("Trust list"), "; ".join(report["trust_list"]) or "–"),
            (_("Revocation data"), _yes(report["revocation_data"])),
            (_("Outcome"), _("all signatures valid") if report["valid"]
             else _("NOT valid"))]
    _rows(pdf, head)
    for problem in report["problems"]:
        pdf.multi_cell(0, 6, pdf.clean("• " + problem), **NEXT_LINE)
    for signature in report["signatures"]:
        pdf.ln(3)
        _rows(pdf, _signature_lines(signature))
        for problem in signature.get("problems", []) + signature.get("notes", []):
            pdf.multi_cell(0, 6, pdf.clean("• " + problem), **NEXT_LINE)
    return bytes(pdf.output())


def _rows(pdf, rows: list[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font(pdf.body_font, "B", size=9)
        pdf.cell(60, 6, pdf.clean(label))
        pdf.set_font(pdf.body_font, size=9)
        pdf.multi_cell(0, 6, pdf.clean(str(value)), **NEXT_LINE)
