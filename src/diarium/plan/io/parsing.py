"""From a table of strings to a plan's content, collecting every problem with its row and
column. Pure: the database is not read here (the base plan is passed in as data)."""

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from diarium.plan import vocabulary as words
from diarium.plan.content import (
    ProcessData,
    RuleData,
    placement_error,
    process_errors,
    rule_errors,
)
from diarium.plan.io.columns import FIELD_COLUMNS, HEADERS, REQUIRED, RULE_COLUMNS, normalise_header
from diarium.plan.io.errors import Issue, PlanFileError
from diarium.plan.io.reading import Table
from diarium.plan.retention import Disposition, Trigger

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class BaseContent:
    """The base plan version an authority's plan builds on."""

    processes: list[ProcessData]
    rules: list[RuleData]


@dataclass
class ParsedPlan:
    processes: list[ProcessData] = field(default_factory=list)
    process_rows: list[int] = field(default_factory=list)
    rules: list[RuleData] = field(default_factory=list)
    rule_rows: list[int] = field(default_factory=list)


def escape(value: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: export writes "'=…"
    instead (and doubles a leading apostrophe, so that `unescape` is exact)."""
    if value[:1] in (*FORMULA_START, "'"):
        return "'" + value
    return value


def unescape(value: str) -> str:
    if value.startswith("'") and value[1:2] in (*FORMULA_START, "'") and value[1:2]:
        return value[1:]
    return value


def _header_map(header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    issues: list[Issue] = []
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            issues.append(Issue(1, None, _("Column %(n)s has no header.") % {"n": i + 1}))
        elif name not in HEADERS:
            issues.append(Issue(1, raw, _("Unknown column. The columns are: %(columns)s.")
                                % {"columns": ", ".join(HEADERS)}))
        elif name in index:
            issues.append(Issue(1, raw, _("The column appears twice.")))
        else:
            index[name] = i
    for name in REQUIRED:
        if name not in index:
            issues.append(Issue(1, name, _("The column is missing.")))
    return index, issues


class _RowReader:
    def __init__(self, number: int, values: dict[str, str], issues: list[Issue]):
        self.number, self.values, self.issues = number, values, issues

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def parse(self, column: str, parser, default=None):
        try:
            return parser(self.get(column))
        except words.VocabularyError as exc:
            self.issues.append(Issue(self.number, column, str(exc)))
            return default


def _rule_from_row(row: _RowReader) -> RuleData | None:
    before = len(row.issues)
    record_type_id = None
    if row.get("id"):
        try:
            record_type_id = uuid.UUID(row.get("id"))
        except ValueError:
            row.issues.append(Issue(row.number, "id", _("Not a valid id (a UUID).")))
    if not row.get("processkod"):
        row.issues.append(Issue(row.number, "processkod", _("The process code is missing.")))
    disposition = row.parse("bevaras_gallras", words.parse_disposition)
    period = None
    trigger = ""
    if row.get("gallringsfrist"):
        period = row.parse("gallringsfrist", words.parse_period, default=(0, ""))
        if period is None and not row.get("utlösare"):
            trigger = Trigger.OBSOLETE  # "vid inaktualitet" says what it counts from
    if row.get("utlösare"):
        trigger = row.parse("utlösare", words.parse_trigger, default="")
        if period is None and row.get("gallringsfrist") and trigger not in ("", Trigger.OBSOLETE):
            row.issues.append(Issue(row.number, "utlösare", _(
                '"vid inaktualitet" is counted from inaktualitet; give a period such as "2 år" '
                'to count from another event.')))
    rule = RuleData(
        record_type_id=record_type_id,
        process_code=row.get("processkod"),
        name=row.get("handlingstyp"),
        description=row.get("beskrivning"),
        registration=row.parse("registrering", words.parse_registration, default="") or "",
        registration_place=row.get("var"),
        secrecy_provision=row.get("sekretess"),
        disposition=disposition or "",
        period_amount=period[0] if period else None,
        period_unit=period[1] if period else "",
        trigger=trigger or "",
        count_from_year_end=row.parse("från_årets_utgång", words.parse_yes_no, False),
        legal_basis=row.get("beslut_lagrum"),
        medium=row.get("medium"),
        file_format=row.get("format"),
        storage=row.get("förvaring"),
        archive_delivery=row.get("leverans_till_arkiv"),
        personal_data=row.parse("personuppgifter", words.parse_yes_no, False),
        remarks=row.get("anmärkning"),
        naming_rule=row.get("namnsättning"),
        direction=row.parse("riktning", words.parse_direction, default="any"),
    )
    if len(row.issues) > before or disposition is None:
        return None
    if disposition == Disposition.DISPOSE and not row.get("gallringsfrist"):
        row.issues.append(Issue(row.number, "gallringsfrist", _(
            'A record type that is disposed of needs a retention period, or '
            '"vid inaktualitet".')))
        return None
    for name, message in rule_errors(rule).items():
        row.issues.append(Issue(row.number, FIELD_COLUMNS[name], message))
    return rule


def parse_table(table: Table, base: BaseContent | None = None) -> ParsedPlan:
    """The plan in the table; with `base`, only what the table adds to the base plan."""
    index, issues = _header_map(table.header)
    if issues:
        raise PlanFileError(issues)
    parsed = ParsedPlan()
    names: dict[str, tuple[str, int]] = {}  # process code -> (name, row that named it)
    for number, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(table.header):]):
            issues.append(Issue(number, None, _("The row has more values than the header.")))
            continue
        values = {name: _cell(cells, i, table.escaped) for name, i in index.items()}
        row = _RowReader(number, values, issues)
        code, process_name = values["processkod"], values["processnamn"]
        if not values["handlingstyp"]:
            filled = [c for c in RULE_COLUMNS if values.get(c) and c != "id"]
            if filled or values.get("id"):
                issues.append(Issue(number, None, _(
                    "A row without a record type (handlingstyp) defines a process; leave "
                    "%(columns)s empty.") % {"columns": ", ".join(filled or ["id"])}))
            parsed.processes.append(ProcessData(code, process_name))
            parsed.process_rows.append(number)
        elif rule := _rule_from_row(row):
            parsed.rules.append(rule)
            parsed.rule_rows.append(number)
        if code and process_name:
            known = names.setdefault(code, (process_name, number))
            if known[0] != process_name:
                issues.append(Issue(number, "processnamn", _(
                    'Process %(code)s is called "%(name)s" on row %(row)s.')
                    % {"code": code, "name": known[0], "row": known[1]}))
    _add_unnamed_processes(parsed, names)
    issues.extend(_structure_issues(parsed, base))
    if issues:
        raise PlanFileError(issues)
    return parsed


def _cell(cells: list[str], i: int, escaped: bool) -> str:
    value = cells[i].strip() if i < len(cells) else ""
    return unescape(value) if escaped else value


def _add_unnamed_processes(parsed: ParsedPlan, names: dict[str, tuple[str, int]]) -> None:
    """A record type row that names its process defines it when no process row does."""
    defined = {p.code for p in parsed.processes}
    for code, (name, number) in names.items():
        if code not in defined:
            parsed.processes.append(ProcessData(code, name))
            parsed.process_rows.append(number)


def _structure_issues(parsed: ParsedPlan, base: BaseContent | None) -> list[Issue]:
    issues: list[Issue] = []
    base_names = {p.code: p.name for p in base.processes} if base else {}
    local: list[ProcessData] = []
    local_rows: list[int] = []
    for process, number in zip(parsed.processes, parsed.process_rows, strict=True):
        if process.code in base_names:
            if base_names[process.code] != process.name:
                issues.append(Issue(number, "processnamn", _(
                    'Process %(code)s belongs to the base plan, where it is called "%(name)s".')
                    % {"code": process.code, "name": base_names[process.code]}))
            continue
        local.append(ProcessData(process.code, process.name, is_local=base is not None))
        local_rows.append(number)
    everything = [ProcessData(c, n) for c, n in base_names.items()] + local
    for i, column, message in process_errors(everything):
        offset = i - len(base_names)
        if offset >= 0:
            where = "processnamn" if column == "name" else "processkod"
            issues.append(Issue(local_rows[offset], where, message))
    known = {p.code for p in everything}
    parsed.processes, parsed.process_rows = local, local_rows
    issues.extend(_rule_issues(parsed, known, base))
    return issues


def _rule_issues(parsed: ParsedPlan, known: set[str], base: BaseContent | None) -> list[Issue]:
    issues: list[Issue] = []
    by_name: dict[tuple[str, str], int] = {}
    by_id: dict[uuid.UUID, int] = {}
    base_by_id = {r.record_type_id: r for r in base.rules} if base else {}
    base_by_name = {(r.process_code, r.name.lower()): r for r in base.rules} if base else {}
    rules, rows = [], []
    for rule, number in zip(parsed.rules, parsed.rule_rows, strict=True):
        if message := placement_error(rule.process_code, known):
            issues.append(Issue(number, "processkod", message))
        key = (rule.process_code, rule.name.lower())
        if key in by_name:
            issues.append(Issue(number, "handlingstyp", _(
                "The same record type as on row %(row)s.") % {"row": by_name[key]}))
        by_name.setdefault(key, number)
        if rule.record_type_id is not None:
            if rule.record_type_id in by_id:
                issues.append(Issue(number, "id", _(
                    "The same id as on row %(row)s.") % {"row": by_id[rule.record_type_id]}))
            by_id.setdefault(rule.record_type_id, number)
        from_base = base_by_id.get(rule.record_type_id) or base_by_name.get(key)
        if from_base is not None:
            if _comparable(from_base) != _comparable(rule):
                issues.append(Issue(number, "handlingstyp", _(
                    "This is the base plan's record type; change it in the base plan (an "
                    "authority's plan may only add record types).")))
            continue  # the base plan's own rule: comes with the base, not from the file
        rule.is_local = base is not None
        rules.append(rule)
        rows.append(number)
    parsed.rules, parsed.rule_rows = rules, rows
    return issues


def _comparable(rule: RuleData) -> dict:
    values = rule.model_values()
    values.pop("is_local")
    return {**values, "process_code": rule.process_code}
