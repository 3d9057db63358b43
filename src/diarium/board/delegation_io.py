"""The delegation scheme as a file (CSV or XLSX), read and written with the plan's file
machinery (plan/io: size and row limits, UTF-8 checks, the formula guard, issues with row
and column). A file with any problem is refused as a whole: every issue is listed."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from diarium.plan.io.columns import normalise_header
from diarium.plan.io.errors import Issue, PlanFileError
from diarium.plan.io.parsing import escape, unescape
from diarium.plan.io.reading import Table, read_table

HEADERS = ["nummer", "ärende", "delegat_typ", "delegat", "ersättare", "beloppsgräns",
           "anmäls", "får_ej_delegeras", "anmärkning"]
REQUIRED = ["nummer", "ärende"]
KINDS = {"roll": "role", "befattning": "position", "person": "person", "": ""}
YES_NO = {"ja": True, "nej": False, "": None}


@dataclass
class MatterData:
    number: str
    title: str
    delegate_kind: str = ""
    delegate: str = ""
    substitutes: str = ""
    limit: Decimal | None = None
    must_report: bool = True
    not_delegable: bool = False
    remarks: str = ""


def _columns(header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    index, issues = {}, []
    for i, raw in enumerate(header):
        name = normalise_header(raw)
        if name not in HEADERS:
            issues.append(Issue(1, raw or str(i + 1), _(
                "Unknown column. The columns are: %(columns)s.")
                % {"columns": ", ".join(HEADERS)}))
        elif name in index:
            issues.append(Issue(1, raw, _("The column appears twice.")))
        else:
            index[name] = i
    issues += [Issue(1, name, _("The column is missing.")) for name in REQUIRED
               if name not in index]
    return index, issues


def _yes_no(value: str, row: int, column: str, issues: list, default: bool) -> bool:
    found = YES_NO.get(value.strip().lower(), "bad")
    if found == "bad":
        issues.append(Issue(row, column, _('Write "ja" or "nej".')))
        return default
    return default if found is None else bool(found)


def _matter(row: int, get, issues: list[Issue]) -> MatterData:
    data = MatterData(number=get("nummer"), title=get("ärende"))
    if not data.number:
        issues.append(Issue(row, "nummer", _("The matter needs a number.")))
    if not data.title:
        issues.append(Issue(row, "ärende", _("The matter needs a description.")))
    kind = get("delegat_typ").lower()
    if kind not in KINDS:
        issues.append(Issue(row, "delegat_typ", _('Write "roll", "befattning" or "person".')))
    data.delegate_kind, data.delegate = KINDS.get(kind, ""), get("delegat")
    data.substitutes, data.remarks = get("ersättare"), get("anmärkning")
    data.must_report = _yes_no(get("anmäls"), row, "anmäls", issues, True)
    data.not_delegable = _yes_no(get("får_ej_delegeras"), row, "får_ej_delegeras", issues,
                                 False)
    if not data.not_delegable and not (data.delegate_kind and data.delegate):
        issues.append(Issue(row, "delegat", _("Name the delegate and the kind of delegate, "
                                              "or mark the matter as not delegable.")))
    limit = get("beloppsgräns").replace(" ", "").replace(",", ".")
    if limit:
        try:
            data.limit = Decimal(limit)
            if data.limit < 0 or not data.limit.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            issues.append(Issue(row, "beloppsgräns", _("Not an amount: %(value)s.")
                                % {"value": get("beloppsgräns")}))
    return data


def parse(data: bytes, fmt: str) -> list[MatterData]:
    """The matters of the file; PlanFileError with every issue when anything is wrong."""
    if fmt not in ("csv", "xlsx"):
        raise PlanFileError([Issue(None, None, _("Use a CSV or XLSX file."))])
    table: Table = read_table(data, fmt)
    index, issues = _columns(table.header)
    if issues:
        raise PlanFileError(issues)
    matters, seen = [], {}
    for number, cells in table.rows:
        def get(column, cells=cells):
            i = index.get(column)
            value = cells[i].strip() if i is not None and i < len(cells) else ""
            return unescape(value) if table.escaped else value
        if not any(c.strip() for c in cells):
            continue
        matter = _matter(number, get, issues)
        if matter.number in seen:
            issues.append(Issue(number, "nummer", _("Number %(n)s is also on row %(row)s.")
                                % {"n": matter.number, "row": seen[matter.number]}))
        seen.setdefault(matter.number, number)
        matters.append(matter)
    if not matters and not issues:
        issues.append(Issue(None, None, _("The file holds no matters.")))
    if issues:
        raise PlanFileError(issues)
    return matters


def rows(matters) -> list[list[str]]:
    reverse = {v: k for k, v in KINDS.items()}
    return [[m.number, m.title, reverse.get(m.delegate_kind, ""), m.delegate, m.substitutes,
             "" if m.limit is None else f"{m.limit:f}", "ja" if m.must_report else "nej",
             "ja" if m.not_delegable else "nej", m.remarks] for m in matters]


def to_csv(matters) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([[escape(c) for c in row] for row in rows(matters)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(matters) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Delegationsordning")
    sheet.append(HEADERS)
    for row in rows(matters):
        sheet.append([escape(c) for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
