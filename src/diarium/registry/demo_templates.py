"""The demo's document templates, written as DOCX with python-docx (no binary files in the
repository): tjänsteskrivelse (TJUT), beslut, yttrande, skrivelse, tjänsteanteckning,
delegationsbeslut, kallelse and protokoll, in plain Swedish, with the fields of
documents/templating.py in double braces."""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document as Docx
from docx.shared import Pt

# name -> (record type names it fits, paragraphs). A paragraph starting with "# " is a
# heading, "## " a subheading; the rest is body text.
HEAD = ["{{ kommun }}", "{{ myndighet }}", "Diarienummer: {{ diarienummer }}",
        "Datum: {{ datum }}"]
OFFICER = ["{{ handlaggare }}", "{{ enhet }}", "{{ handlaggare_epost }}"]

TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "Tjänsteskrivelse": (["Tjänsteskrivelse", "Tjänsteutlåtande"], [
        *HEAD, "# Tjänsteskrivelse", "## {{ arendemening }}",
        "## Förslag till beslut",
        "{{ myndighet }} beslutar att ... [skriv förslaget, en att-sats per beslut]",
        "## Sammanfattning",
        "[Beskriv kort ärendet och vad förvaltningen föreslår, högst en halv sida.]",
        "## Bakgrund",
        "[Varför ärendet har uppkommit och vad som har hänt hittills.]",
        "## Ärendets beredning",
        "[Vilka som har deltagit och vilka som har fått lämna synpunkter.]",
        "## Konsekvenser",
        "[Ekonomi, barnperspektiv, jämställdhet, miljö och andra följder av förslaget.]",
        "## Beslutsunderlag",
        "Tjänsteskrivelse {{ datum }}, {{ diarienummer }}",
        "[Lista de handlingar som nämnden beslutar på.]",
        *OFFICER,
    ]),
    "Beslut": (["Beslut", "Delegationsbeslut"], [
        *HEAD, "# Beslut", "## {{ arendemening }}",
        "Till: {{ mottagare }}", "{{ mottagare_adress }}",
        "## Beslut", "{{ myndighet }} beslutar att ... [skriv beslutet].",
        "## Skäl för beslutet",
        "[Redovisa de omständigheter och de lagrum som beslutet vilar på.]",
        "## Hur man överklagar", "{{ overklagandehanvisning }}",
        "Beslutet är fattat av:", *OFFICER,
    ]),
    "Yttrande": (["Yttrande", "Remissvar"], [
        *HEAD, "# Yttrande", "## {{ arendemening }}",
        "Till: {{ mottagare }}",
        "{{ myndighet }} har beretts tillfälle att yttra sig över rubricerade ärende och "
        "lämnar följande yttrande.",
        "## Sammanfattning", "[Nämndens ståndpunkt i korthet.]",
        "## Synpunkter", "[Nämndens synpunkter, en rubrik per avsnitt i remissen.]",
        "För {{ myndighet }}", *OFFICER,
    ]),
    "Skrivelse": (["Skrivelse", "Brev", "Utgående skrivelse"], [
        *HEAD, "{{ mottagare }}", "{{ mottagare_adress }}",
        "# {{ rubrik }}", "Hej!",
        "[Skriv brevet här. Var kort och tydlig, och tala om vad mottagaren behöver göra.]",
        "Har du frågor är du välkommen att kontakta mig.",
        "Med vänlig hälsning", *OFFICER,
    ]),
    "Tjänsteanteckning": (["Tjänsteanteckning"], [
        *HEAD, "# Tjänsteanteckning",
        "Anteckning enligt 27 § förvaltningslagen om uppgifter som har kommit in på annat "
        "sätt än genom en handling och som kan ha betydelse för ärendets avgörande.",
        "## {{ arendemening }}",
        "Datum och tid för samtalet eller mötet: [fyll i]",
        "Kontakt med: [namn och roll]",
        "## Vad som framkom", "[Skriv ned uppgifterna så exakt som möjligt.]",
        "Antecknat av:", *OFFICER,
    ]),
    "Delegationsbeslut": (["Delegationsbeslut"], [
        *HEAD, "# Delegationsbeslut", "## {{ arendemening }}",
        "Beslutet fattas med stöd av {{ myndighet }}s delegationsordning, punkt [ange].",
        "## Beslut", "[Skriv beslutet.]",
        "## Skäl för beslutet", "[Redovisa skälen.]",
        "Beslutet anmäls till {{ myndighet }} vid nästa sammanträde.",
        "## Hur man överklagar", "{{ overklagandehanvisning }}",
        "Delegat:", *OFFICER,
    ]),
    "Kallelse": (["Kallelse"], [
        *HEAD, "# Kallelse",
        "Ledamöter och ersättare i {{ myndighet }} kallas till sammanträde.",
        "Tid: [datum och klockslag]", "Plats: [lokal och adress]",
        "Ersättare tjänstgör när ordinarie ledamot anmält förhinder. Anmäl förhinder till "
        "nämndsekreteraren så snart som möjligt.",
        "## Föredragningslista", "1. Val av justerare", "2. Godkännande av dagordningen",
        "3. [Ärende]", "4. Anmälan av delegationsbeslut", "5. Meddelanden",
        "Ordförande", "Nämndsekreterare: {{ handlaggare }}",
    ]),
    "Protokoll": (["Protokoll", "Protokollsutdrag"], [
        *HEAD, "# Protokoll", "{{ myndighet }}",
        "Plats och tid: [lokal, datum och klockslag]",
        "Beslutande: [ledamöter och tjänstgörande ersättare]",
        "Övriga närvarande: [ersättare, tjänstepersoner]",
        "Utses att justera: [namn]", "Justeringens plats och tid: [fyll i]",
        "Paragrafer: [§ – §]",
        "## § [nr] {{ arendemening }}", "Diarienummer: {{ diarienummer }}",
        "## Beslut", "[Nämndens beslut.]",
        "## Ärendebeskrivning", "[Kort beskrivning av ärendet.]",
        "## Beslutsunderlag", "[Handlingar som beslutet grundas på.]",
        "Underskrifter: Sekreterare, Ordförande, Justerare",
        "## Anslag", "Protokollet är justerat. Justeringen har tillkännagivits genom anslag "
        "på kommunens digitala anslagstavla.",
    ]),
}


def docx_bytes(paragraphs: Iterable[str]) -> bytes:
    """A DOCX of the paragraphs; each field stays in one run, so docxtpl sees it whole."""
    document = Docx()
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(11)
    for text in paragraphs:
        if text.startswith("## "):
            document.add_heading(text[3:], level=2)
        elif text.startswith("# "):
            document.add_heading(text[2:], level=1)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def install(actor, municipality, record_type_ids: dict[str, str]) -> int:
    """Add the demo templates for the whole municipality, tied to the record types of
    those names (record_type_ids: name -> id, from the plan in force)."""
    from diarium.registry.services import Upload, templates

    made = 0
    for name, (types, paragraphs) in TEMPLATES.items():
        wanted = [record_type_ids[t] for t in types if t in record_type_ids]
        data = templates.TemplateData(name=name, municipality=municipality,
                                      record_types=wanted,
                                      description=f"Demomall: {name.lower()}")
        templates.add_template(actor, data, Upload(io.BytesIO(docx_bytes(paragraphs)),
                                                   f"{name}.docx"))
        made += 1
    return made
