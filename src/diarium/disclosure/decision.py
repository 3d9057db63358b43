"""The written decision (beslut) on a refusal or partial refusal, as a PDF.

Its wording is the template `disclosure/decision.txt` (a municipality overrides it with a
template of its own in the templates path): the documents released, those released with
masking and the grounds of each mask, those refused and the OSL provision, and the appeal
notice (överklagandehänvisning): the decision may be appealed to the administrative court
of appeal (kammarrätten); the appeal is sent to the authority within three weeks of the
day the requester was told of the decision (förvaltningslagen 44 §, OSL 6 kap. 8 §)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from diarium.core import actors
from diarium.core.pdf import NEXT_LINE, make_pdf
from diarium.disclosure.models import DisclosureRequest, Outcome, RequestedItem
from diarium.disclosure.selectors import masked_files


def decision_text(request: DisclosureRequest, items: list[RequestedItem], made_by) -> str:
    def rows(outcome: str) -> list[RequestedItem]:
        return [i for i in items if i.outcome == outcome]

    for item in rows(Outcome.MASKED):
        copies = masked_files(item)
        item.several_files = len(copies) > 1
        item.active_masks = [m for c in copies for m in c.masks.all()]
    return render_to_string("disclosure/decision.txt", {
        "request": request, "authority": request.authority,
        "released": rows(Outcome.RELEASE), "masked": rows(Outcome.MASKED),
        "refused": rows(Outcome.REFUSED), "made_by": made_by,
        "made_by_name": (actors.user_of(made_by).get_full_name()
                         or actors.name_of(made_by)) if actors.user_of(made_by)
        else actors.name_of(made_by),
        "today": timezone.localdate(),
    })


def decision_pdf(request: DisclosureRequest, items: list[RequestedItem], made_by) -> bytes:
    text = decision_text(request, items, made_by)
    pdf = make_pdf(f"Beslut {request.number}")
    pdf.add_page()
    lines = text.strip().splitlines()
    pdf.set_font(pdf.body_font, "B", size=14)
    pdf.multi_cell(0, 8, pdf.clean(lines[0]), **NEXT_LINE)
    pdf.set_font(pdf.body_font, size=10)
    for line in lines[1:]:
        if line.startswith("## "):
            pdf.ln(2)
            pdf.set_font(pdf.body_font, "B", size=11)
            pdf.multi_cell(0, 6, pdf.clean(line[3:]), **NEXT_LINE)
            pdf.set_font(pdf.body_font, size=10)
        else:
            pdf.multi_cell(0, 5, pdf.clean(line) or " ", **NEXT_LINE)
    return bytes(pdf.output())
