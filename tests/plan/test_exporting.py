"""Export then import gives back the same plan, in CSV, XLSX and JSON."""

import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diarium.core.actors import OPERATOR
from diarium.plan import selectors, services
from diarium.plan.content import ProcessData, RuleData
from diarium.plan.io import exporting, parsing, reading
from diarium.plan.io.columns import HEADERS
from diarium.plan.sample import BASE_FILE
from tests import factories as f
from tests.plan import factories as pf

FORMATS = ["csv", "xlsx", "json"]

# Cell text as a person would type it: any printable character, formula starts included.
text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85")
    | st.sampled_from(["=", "+", "-", "@", "'", ";", ",", '"', "\n"]),
    max_size=30,
).map(str.strip)


@st.composite
def rules(draw) -> RuleData:
    keep = draw(st.booleans())
    secret = draw(st.sampled_from(["", "OSL 26:1", "=OSL 39:3"]))
    registration = "registered" if secret else draw(
        st.sampled_from(["registered", "kept_in_order", "not_registered"]))
    values = {
        "process_code": draw(st.sampled_from(["1.1.1", "1.1.2", "2.1.1"])),
        "name": draw(text.filter(bool)),
        "registration": registration,
        "registration_place": draw(text.filter(bool)) if registration != "not_registered" else "",
        "secrecy_provision": secret,
        "disposition": "keep" if keep else "dispose",
        "record_type_id": uuid.uuid4() if draw(st.booleans()) else None,
    }
    for name in ("description", "legal_basis", "medium", "file_format", "storage",
                 "archive_delivery", "remarks"):
        values[name] = draw(text)
    if not keep:
        obsolete = draw(st.booleans())
        values["trigger"] = "obsolete" if obsolete else draw(
            st.sampled_from(["case_closed", "document_date"]))
        if not obsolete or draw(st.booleans()):
            values["period_unit"] = draw(st.sampled_from(["years", "months", "days"]))
            values["period_amount"] = draw(st.integers(1, 100))
        values["count_from_year_end"] = draw(st.booleans())
    values["personal_data"] = draw(st.booleans())
    values["direction"] = draw(st.sampled_from(["any", "incoming", "outgoing", "internal"]))
    return RuleData(**values)


PROCESSES = [ProcessData("1", "Ledning"), ProcessData("1.1", "Styrning; planering"),
             ProcessData("1.1.1", "=Styra"), ProcessData("1.1.2", "'Planera"),
             ProcessData("2", "Stöd"), ProcessData("2.1", "Information"),
             ProcessData("2.1.1", 'Registrera "allt"')]


def _unique(items: list[RuleData]) -> list[RuleData]:
    for i, rule in enumerate(items):
        rule.name = f"{rule.name} {i}"
    return items


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rules(), max_size=8).map(_unique), st.sampled_from(FORMATS))
def test_any_plan_survives_export_and_import(items, fmt):
    data = exporting.render(exporting.content_rows(PROCESSES, items), fmt)
    parsed = parsing.parse_table(reading.read_table(data, fmt))
    assert sorted(parsed.processes, key=lambda p: p.code) == PROCESSES
    key = lambda r: r.name  # noqa: E731
    assert sorted(parsed.rules, key=key) == sorted(items, key=key)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_sample_plan_round_trips(fmt):
    plan = pf.base_plan(f.authority("KS"))
    first = services.import_plan(OPERATOR, plan, BASE_FILE.read_bytes(), "csv").version
    pf.adopt(first)
    exported = selectors.export_version(None, first, fmt)
    second = services.import_plan(OPERATOR, plan, exported, fmt).version
    assert second.number == 2
    assert selectors.version_content(second) == selectors.version_content(first)
    again = selectors.export_version(None, second, fmt)
    if fmt == "csv":
        assert again == exported
    if fmt == "json":
        assert json.loads(again)["rows"] == json.loads(exported)["rows"]
        assert json.loads(exported)["columns"] == HEADERS


@pytest.mark.django_db
def test_the_command_exports_and_imports(tmp_path, capsys):
    ks = f.authority("KS")
    plan = pf.base_plan(ks)
    pf.adopt(pf.draft_with(plan, [pf.rule(), pf.disposed("Protokollsutdrag")]))
    code = ks.municipality.code
    for fmt in FORMATS:
        out = tmp_path / f"plan.{fmt}"
        call_command("plan", "export", "--municipality", code, "--format", fmt, "--out", out)
        call_command("plan", "import", "--municipality", code, str(out))
        draft = selectors.draft_of(plan)
        assert selectors.version_content(draft) == selectors.version_content(plan.versions.get(
            number=1))
    call_command("plan", "adopt", "--municipality", code, "--decision-date", "2026-03-14",
                 "--decision-reference", "KS 2026-03-14 § 45")
    assert selectors.latest_adopted(plan).decision_reference == "KS 2026-03-14 § 45"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(pf.csv_bytes(pf.plan_rows(pf.type_row("X", personuppgifter="kanske"))))
    with pytest.raises(CommandError, match="nothing imported: 1 problem"):
        call_command("plan", "import", "--municipality", code, str(bad))
    assert "Row 7, column personuppgifter" in capsys.readouterr().err
    assert selectors.draft_of(plan) is None
