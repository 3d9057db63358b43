"""A plan's content as CSV, XLSX or JSON in the import column set: what export writes,
import reads back unchanged."""

import csv
import io
import json
from dataclasses import dataclass

from diarium.plan import vocabulary as words
from diarium.plan.content import ProcessData, RuleData
from diarium.plan.io.columns import HEADERS
from diarium.plan.io.parsing import escape
from diarium.plan.io.reading import JSON_FORMAT_NAME
from diarium.plan.models import process_sort_key
from diarium.plan.retention import Disposition, Trigger

JSON_FORMAT_VERSION = 1


@dataclass
class ExportMeta:
    """Facts about the version, written to JSON (and ignored by import)."""

    plan: str = ""
    version: int | None = None
    status: str = ""
    decision_reference: str = ""
    valid_from: str = ""


def _period(rule: RuleData) -> str:
    if rule.disposition != Disposition.DISPOSE:
        return ""
    if rule.period_amount is None and rule.trigger == Trigger.OBSOLETE:
        return words.OBSOLETE_PERIOD
    return words.format_period(rule.period_amount, rule.period_unit)


def rule_row(rule: RuleData, process_name: str) -> dict[str, str]:
    return {
        "id": str(rule.record_type_id) if rule.record_type_id else "",
        "processkod": rule.process_code,
        "processnamn": process_name,
        "handlingstyp": rule.name,
        "beskrivning": rule.description,
        "registrering": words.format_registration(rule.registration),
        "var": rule.registration_place,
        "sekretess": rule.secrecy_provision,
        "bevaras_gallras": words.format_disposition(rule.disposition),
        "gallringsfrist": _period(rule),
        "utlösare": words.format_trigger(rule.trigger),
        "från_årets_utgång": words.format_yes_no(rule.count_from_year_end),
        "beslut_lagrum": rule.legal_basis,
        "medium": rule.medium,
        "format": rule.file_format,
        "förvaring": rule.storage,
        "leverans_till_arkiv": rule.archive_delivery,
        "personuppgifter": words.format_yes_no(rule.personal_data),
        "anmärkning": rule.remarks,
        "namnsättning": rule.naming_rule,
        "riktning": words.format_direction(rule.direction),
    }


def content_rows(processes: list[ProcessData], rules: list[RuleData]) -> list[dict[str, str]]:
    """One row per process (in code order), each followed by its record types by name."""
    by_process: dict[str, list[RuleData]] = {}
    for rule in rules:
        by_process.setdefault(rule.process_code, []).append(rule)
    rows = []
    for process in sorted(processes, key=lambda p: process_sort_key(p.code)):
        rows.append({**dict.fromkeys(HEADERS, ""), "processkod": process.code,
                     "processnamn": process.name})
        for rule in sorted(by_process.get(process.code, []), key=lambda r: r.name.lower()):
            rows.append(rule_row(rule, process.name))
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with a byte order mark and semicolons: what Excel in Swedish opens directly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([escape(row[h]) for h in HEADERS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([escape(row[h]) for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_json(rows: list[dict[str, str]], meta: ExportMeta | None = None) -> bytes:
    document = {
        "format": JSON_FORMAT_NAME,
        "format_version": JSON_FORMAT_VERSION,
        **vars(meta or ExportMeta()),
        "columns": HEADERS,
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def render(rows: list[dict[str, str]], fmt: str, meta: ExportMeta | None = None) -> bytes:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows)
    if fmt == "json":
        return to_json(rows, meta)
    raise ValueError(f"unknown export format: {fmt!r}")
