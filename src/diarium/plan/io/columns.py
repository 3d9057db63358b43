"""The column set of a plan file: Swedish headers, one row per process or record type."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    required: bool  # must be present in the header row (its cells may still be empty)


COLUMNS = [
    Column("id", False),
    Column("processkod", True),
    Column("processnamn", True),
    Column("handlingstyp", True),
    Column("beskrivning", False),
    Column("registrering", True),
    Column("var", False),
    Column("sekretess", False),
    Column("bevaras_gallras", True),
    Column("gallringsfrist", True),
    Column("utlösare", True),
    Column("från_årets_utgång", False),
    Column("beslut_lagrum", False),
    Column("medium", False),
    Column("format", False),
    Column("förvaring", False),
    Column("leverans_till_arkiv", False),
    Column("personuppgifter", True),
    Column("anmärkning", False),
    Column("namnsättning", False),
    Column("riktning", False),  # inkommande, utgående, upprättad; empty: any direction
]
HEADERS = [c.header for c in COLUMNS]
REQUIRED = [c.header for c in COLUMNS if c.required]
# Columns that say something about a record type; a process row leaves them empty.
RULE_COLUMNS = [h for h in HEADERS if h not in ("processkod", "processnamn", "handlingstyp")]

# Where a problem with a rule's field is reported.
FIELD_COLUMNS = {
    "record_type_id": "id",
    "process_code": "processkod",
    "name": "handlingstyp",
    "description": "beskrivning",
    "registration": "registrering",
    "registration_place": "var",
    "secrecy_provision": "sekretess",
    "disposition": "bevaras_gallras",
    "period_amount": "gallringsfrist",
    "period_unit": "gallringsfrist",
    "trigger": "utlösare",
    "count_from_year_end": "från_årets_utgång",
    "legal_basis": "beslut_lagrum",
    "medium": "medium",
    "file_format": "format",
    "storage": "förvaring",
    "archive_delivery": "leverans_till_arkiv",
    "personal_data": "personuppgifter",
    "remarks": "anmärkning",
    "naming_rule": "namnsättning",
    "direction": "riktning",
}


def normalise_header(text: str) -> str:
    """"Beslut/lagrum" and "beslut lagrum" both mean beslut_lagrum."""
    key = str(text).strip().lower()
    for sep in ("/", "-", " "):
        key = key.replace(sep, "_")
    while "__" in key:
        key = key.replace("__", "_")
    return key
