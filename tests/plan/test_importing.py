"""Import: every problem is reported with row and column, and nothing is imported."""

import io
import json
import zipfile

import pytest
from django.utils import translation

from diarium.audit.models import AuditEvent
from diarium.core.actors import OPERATOR
from diarium.plan import services
from diarium.plan.io import reading
from diarium.plan.io.columns import HEADERS
from diarium.plan.io.errors import PlanFileError
from diarium.plan.models import PlanVersion, Process, RecordTypeRule
from tests import factories as f
from tests.plan import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks():
    return f.authority("KS")


@pytest.fixture
def plan(ks):
    return pf.base_plan(ks)


def failing(plan, data: bytes, fmt: str = "csv", **kwargs) -> list[tuple]:
    """Import that must fail; returns (row, column, message) and checks nothing changed."""
    events = AuditEvent.objects.count()
    with pytest.raises(PlanFileError) as caught:
        services.import_plan(OPERATOR, plan, data, fmt, **kwargs)
    assert not PlanVersion.objects.filter(plan=plan).exists()
    assert not Process.objects.exists() and not RecordTypeRule.objects.exists()
    assert AuditEvent.objects.count() == events
    issues = caught.value.issues
    assert all(i.message for i in issues)
    return [(i.row, i.column, i.message) for i in issues]


def test_a_valid_file_is_imported_into_a_draft(plan):
    rows = pf.plan_rows(pf.type_row("Protokollsutdrag", "1.2.2", bevaras_gallras="gallras",
                                    gallringsfrist="vid inaktualitet"))
    result = services.import_plan(OPERATOR, plan, pf.csv_bytes(rows), "csv")
    assert (result.processes, result.record_types) == (4, 2)
    assert result.version.status == "draft" and result.version.number == 1
    extract = result.version.rules.get(name="Protokollsutdrag")
    assert extract.trigger == "obsolete" and extract.period_amount is None
    event = AuditEvent.objects.get(action="plan.imported")
    assert event.chain == f"plan:{plan.municipality_id}" and len(event.after["sha256"]) == 64


def test_missing_unknown_and_repeated_columns(plan):
    headers = [h for h in HEADERS if h not in ("gallringsfrist", "utlösare")] + ["färg", "var"]
    issues = failing(plan, pf.csv_bytes(pf.plan_rows(), headers))
    assert (1, "gallringsfrist", "The column is missing.") in issues
    assert (1, "utlösare", "The column is missing.") in issues
    assert any(i[1] == "färg" and "Unknown column" in i[2] for i in issues)
    assert (1, "var", "The column appears twice.") in issues


def test_headers_are_matched_loosely(plan):
    headers = [h.upper().replace("_", " ") for h in HEADERS]
    data = pf.csv_bytes([{h.upper().replace("_", " "): v for h, v in r.items()}
                         for r in pf.plan_rows()], headers, delimiter=",")
    assert services.import_plan(OPERATOR, plan, data, "csv").record_types == 1


@pytest.mark.parametrize("code,expected", [
    ("2..3", "is not a valid process code"), ("x", "is not a valid process code"),
    ("1.2.3.4", "is not a valid process code"), ("1.2", "belongs to a process"),
    ("1.2.9", "Unknown process code 1.2.9"),
])
def test_bad_process_codes_of_record_types(plan, code, expected):
    issues = failing(plan, pf.csv_bytes(pf.plan_rows(pf.type_row("Kallelse", code))))
    assert any(row == 7 and col == "processkod" and expected in msg for row, col, msg in issues)


def test_processes_need_parents_and_unique_codes(plan):
    rows = pf.plan_rows(pf.process_row("2.1.1", "Registrera"),
                        pf.process_row("1.2.1", "Bereda ärenden"))
    issues = failing(plan, pf.csv_bytes(rows))
    assert (7, "processkod", "Process 2.1.1 has no parent 2.1.") in issues
    assert (8, "processkod", "Process 1.2.1 is defined twice.") in issues


def test_a_process_keeps_one_name(plan):
    rows = pf.plan_rows(pf.type_row("Kallelse", processnamn="Något annat"))
    issues = failing(plan, pf.csv_bytes(rows))
    assert (7, "processnamn", 'Process 1.2.1 is called "Bereda ärenden" on row 4.') in issues


def test_duplicate_record_types_and_ids(plan):
    same_id = "0b0f4f38-5c47-4f5e-9d4c-6d1f2bb0c0aa"
    rows = pf.plan_rows(pf.type_row("tjänsteutlåtande"), pf.type_row("A", id=same_id),
                        pf.type_row("B", id=same_id), pf.type_row("C", id="nope"))
    issues = failing(plan, pf.csv_bytes(rows))
    assert (7, "handlingstyp", "The same record type as on row 6.") in issues
    assert (9, "id", "The same id as on row 8.") in issues
    assert (10, "id", "Not a valid id (a UUID).") in issues


@pytest.mark.parametrize("values,column,expected", [
    ({"bevaras_gallras": "gallras", "gallringsfrist": "-2 år", "utlösare": "ärendets avslut"},
     "gallringsfrist", "must be longer than zero"),
    ({"bevaras_gallras": "gallras", "gallringsfrist": "0 år", "utlösare": "ärendets avslut"},
     "gallringsfrist", "must be longer than zero"),
    ({"bevaras_gallras": "gallras", "gallringsfrist": "två år", "utlösare": "ärendets avslut"},
     "gallringsfrist", "is not a retention period"),
    ({"bevaras_gallras": "gallras", "utlösare": "ärendets avslut"},
     "gallringsfrist", "needs a retention period"),
    ({"bevaras_gallras": "gallras", "gallringsfrist": "2 år"}, "utlösare", "counted from"),
    ({"bevaras_gallras": "gallras", "gallringsfrist": "2 år", "utlösare": "när som helst"},
     "utlösare", "is not a valid trigger"),
    ({"gallringsfrist": "2 år", "utlösare": "ärendets avslut"},
     "gallringsfrist", "no retention period"),
    ({"bevaras_gallras": "gallras", "gallringsfrist": "vid inaktualitet",
      "utlösare": "ärendets avslut"}, "utlösare", "is counted from inaktualitet"),
    ({"bevaras_gallras": "kanske"}, "bevaras_gallras", "not a valid keep or dispose value"),
    ({"personuppgifter": "kanske"}, "personuppgifter", "is not a yes/no value"),
    ({"från_årets_utgång": "x"}, "från_årets_utgång", "is not a yes/no value"),
    ({"registrering": "ibland"}, "registrering", "is not a valid registration rule"),
    ({"registrering": "hålls ordnad", "sekretess": "OSL 39:3"}, "registrering", "OSL 5:1"),
    ({"var": ""}, "var", "Say where"),
    ({"beskrivning": "x" * 4001}, "beskrivning", "At most 4000 characters"),
    ({"beskrivning": "a\x07b"}, "beskrivning", "control characters"),
    ({"namnsättning": "{diarienummer} {personnummer}"}, "namnsättning",
     "fields that do not exist: personnummer"),
    ({"namnsättning": "{diarienummer.__class__}"}, "namnsättning", "do not exist"),
    ({"namnsättning": "{datum:%Y}"}, "namnsättning", "names fields only"),
    ({"namnsättning": "{diarienummer!r}"}, "namnsättning", "names fields only"),
    ({"namnsättning": "{}"}, "namnsättning", "names fields only"),
    ({"namnsättning": "{diarienummer"}, "namnsättning", "malformed"),
    ({"riktning": "åt sidan"}, "riktning", "is not a valid direction"),
])
def test_bad_values_are_reported_by_column(plan, values, column, expected):
    issues = failing(plan, pf.csv_bytes(pf.plan_rows(pf.type_row("Kallelse", **values))))
    assert any(row == 7 and col == column and expected in msg for row, col, msg in issues), issues


def test_every_problem_is_listed_at_once(plan):
    rows = pf.plan_rows(pf.type_row("A", personuppgifter="kanske"),
                        pf.type_row("B", "7.7.7"), pf.type_row("C", registrering="nja"))
    issues = failing(plan, pf.csv_bytes(rows))
    assert [(r, c) for r, c, _m in issues] == [(7, "personuppgifter"), (8, "processkod"),
                                              (9, "registrering")]


def test_a_process_row_leaves_rule_columns_empty(plan):
    rows = pf.plan_rows({**pf.process_row("1.3", "Uppföljning"), "sekretess": "OSL 26:1"})
    issues = failing(plan, pf.csv_bytes(rows))
    assert any(r == 7 and "defines a process" in m and "sekretess" in m for r, _c, m in issues)


def test_extra_cells_are_refused(plan):
    data = pf.csv_bytes(pf.plan_rows()).rstrip(b"\n") + b";;extra\n"
    issues = failing(plan, data)
    assert (6, None, "The row has more values than the header.") in issues


def test_latin1_is_reported_with_offset_and_row(plan):
    data = pf.csv_bytes(pf.plan_rows()).decode().encode("latin-1")
    issues = failing(plan, data)
    ((row, _column, message),) = issues
    first = next(i for i, byte in enumerate(data) if byte > 127)  # "å" of "utlösare"
    assert row == data[:first].count(b"\n") + 1 == 1
    assert f"offset {first}" in message and "Latin-1" in message


def test_utf8_with_bom_is_accepted_and_utf16_is_not(plan):
    data = pf.csv_bytes(pf.plan_rows())
    issues = failing(plan, "\ufeff".encode("utf-16-le") + data.decode().encode("utf-16-le"))
    assert "UTF-16" in issues[0][2]
    assert services.import_plan(OPERATOR, plan, b"\xef\xbb\xbf" + data, "csv").record_types == 1


def test_size_and_row_limits(plan, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    assert "more than 3 rows" in failing(plan, pf.csv_bytes(pf.plan_rows()))[0][2]
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    assert "at most 100 bytes" in failing(plan, pf.csv_bytes(pf.plan_rows()))[0][2]


def test_xlsx_zip_bombs_and_junk_are_refused(plan):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert "too large to be a plan" in failing(plan, bomb.getvalue(), "xlsx")[0][2]
    assert "not an XLSX workbook" in failing(plan, b"PK not really", "xlsx")[0][2]


def test_json_shapes(plan):
    assert "list of rows" in failing(plan, b'{"rows": 5}', "json")[0][2]
    assert "cannot be read" in failing(plan, b'{"rows": [', "json")[0][2]
    nested = json.dumps([{"processkod": {"a": 1}}]).encode()
    assert any("must be text" in m for _r, _c, m in failing(plan, nested, "json"))
    rows = [{**dict.fromkeys(HEADERS, ""), **r} for r in pf.plan_rows()]
    rows[-1]["personuppgifter"] = True
    result = services.import_plan(OPERATOR, plan, json.dumps(rows).encode(), "json")
    assert result.version.rules.get().personal_data is True


def test_messages_are_translated_to_swedish(plan):
    with translation.override("sv"), pytest.raises(PlanFileError) as caught:
        rows = pf.plan_rows(pf.type_row("Kallelse", personuppgifter="kanske"))
        services.import_plan(OPERATOR, plan, pf.csv_bytes(rows), "csv")
    with translation.override("sv"):
        text = str(caught.value.issues[0])
    assert text.startswith("Rad 7, kolumn personuppgifter") and "ja/nej" in text


def test_reimport_replaces_the_draft_and_keeps_identities(plan):
    first = services.import_plan(OPERATOR, plan, pf.csv_bytes(pf.plan_rows()), "csv").version
    type_id = first.rules.get().record_type_id
    rows = pf.plan_rows(pf.type_row("Kallelse", "1.2.2"))
    second = services.import_plan(OPERATOR, plan, pf.csv_bytes(rows), "csv").version
    assert second.pk == first.pk and second.rules.count() == 2
    assert second.rules.get(name="Tjänsteutlåtande").record_type_id == type_id


def test_an_id_of_another_plan_is_refused(plan):
    other = pf.base_plan(f.authority("X", muni=f.municipality()))
    foreign = services.import_plan(OPERATOR, other, pf.csv_bytes(pf.plan_rows()), "csv")
    foreign_id = str(foreign.version.rules.get().record_type_id)
    rows = pf.plan_rows(pf.type_row("Kallelse", id=foreign_id))
    with pytest.raises(PlanFileError) as caught:
        services.import_plan(OPERATOR, plan, pf.csv_bytes(rows), "csv")
    assert [(i.row, i.column) for i in caught.value.issues] == [(7, "id")]
    assert not plan.versions.exists()


def test_uploads_are_read_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    assert reading.read_limited(io.BytesIO(b"0123456789")) == b"0123456789"
    with pytest.raises(PlanFileError):
        reading.read_limited(io.BytesIO(b"0123456789A"))


def test_the_direction_column_is_read_in_swedish_words(plan):
    """Issue 9, finding 8: a record type says which documents it is for; an empty cell, or
    a file written before the column existed, is any direction."""
    rows = pf.plan_rows(pf.type_row("Ansökan", riktning="Inkommande"),
                        pf.type_row("Beslut", riktning="utgående"),
                        pf.type_row("Minnesanteckning", riktning="upprättad"),
                        pf.type_row("Skrivelse", riktning=""))
    version = services.import_plan(OPERATOR, plan, pf.csv_bytes(rows), "csv").version
    directions = dict(version.rules.values_list("name", "direction"))
    assert directions == {"Ansökan": "incoming", "Beslut": "outgoing",
                          "Minnesanteckning": "internal", "Skrivelse": "any",
                          "Tjänsteutlåtande": "any"}
