"""make-sip: a SIP from a folder and a metadata file; every problem listed with its row and
column, and nothing written when there is one."""

import json
import os
import runpy
import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from lxml import etree

from diarium.archive.erms import erms_problems
from diarium.archive.erms.schema import ERMS_NS
from diarium.archive.makesip import MetadataError, make_sip
from diarium.archive.validation import Severity, validate_package
from tests.archive.test_sip_writer import canonical

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "payroll"
NS = {"e": ERMS_NS}
HEADER = "path,title,description,date,record_type,secrecy,person_name,person_id"


def package_table(**overrides) -> str:
    fields = {"title": "Löner", "archive_creator": "Personalnämnden",
              "producer_system": "Lönesystemet 2", "start_date": "1996-01-01",
              "end_date": "2010-12-31", **overrides}
    return "field,value\n" + "".join(f"{k},{v}\n" for k, v in fields.items() if v is not None)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (a command run earlier may leave Swedish on)."""
    with translation.override("en"):
        yield


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "source"
    (folder / "1996").mkdir(parents=True)
    (folder / "1996" / "lonelista.csv").write_text("namn;lon\nA;1\n", encoding="utf-8")
    (folder / "info.txt").write_text("Om leveransen\n", encoding="utf-8")
    return folder


def write(tmp_path, text: str, name: str = "metadata.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def good_csv() -> str:
    return (package_table() + "\n" + HEADER + "\n"
            "1996/lonelista.csv,Lönelista 1996,,1996-12-31,Lönelista,OSL 39:3,,\n"
            "info.txt,Om leveransen,Beskrivning,,,,,\n")


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_valid_sip_from_csv(tmp_path, source, as_zip):
    out = tmp_path / "out"
    path = make_sip(source, write(tmp_path, good_csv()), out, as_zip=as_zip)
    report = validate_package(path)
    assert report.profile == "SIP"
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    data = sorted(r.path for r in report.files if "/data/" in r.path)
    assert data == ["representations/rep1/data/1996/lonelista.csv",
                    "representations/rep1/data/info.txt"]


def test_json_metadata_and_the_erms_records(tmp_path, source):
    metadata = {"package": {"title": "Löner", "archive_creator": "Personalnämnden",
                            "archive_creator_id": "212000-9994",
                            "producer_system": "Lönesystemet 2", "id": "lon-test"},
                "files": [{"path": "1996/lonelista.csv", "title": "Lönelista",
                           "secrecy": "OSL 39:3", "person_name": "Astrid Exempel",
                           "person_id": "580314-3584", "protected_identity": True},
                          {"path": "info.txt", "title": "Om leveransen"}]}
    path = make_sip(source, write(tmp_path, json.dumps(metadata), "m.json"), tmp_path / "out")
    assert path.name == "lon-test"
    tree = etree.parse(str(path / "metadata/descriptive/erms.xml"))
    assert erms_problems(tree) == []
    first = tree.find(".//e:record", NS)
    assert first.findtext("e:restriction/e:regulation", namespaces=NS) == "OSL 39:3"
    agent = first.find("e:agents/e:agent", NS)
    assert agent.get("otherAgentType") == "data_subject"
    assert agent.findtext("e:idNumber", namespaces=NS) == "195803143584"
    assert agent.findtext("e:protectedIdentity", namespaces=NS) == "true"
    assert validate_package(path).valid


def test_a_broken_csv_lists_rows_and_columns_and_writes_nothing(tmp_path, source):
    text = (package_table(producer_system=None, end_date="2010-13-01", colour="blå") + "\n"
            + HEADER + "\n"
            "1996/lonelista.csv,,,1996-02-30,,,,\n"
            "info.txt,Om,,2020-01-01,,sekretess,,19121212-1213\n")
    out = tmp_path / "out"
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), out)
    found = {(i.row, i.column) for i in caught.value.issues}
    assert found == {(None, "producer_system"), (5, "end_date"), (6, "colour"), (9, "title"),
                     (9, "date"), (10, "secrecy"), (10, "person_id"), (10, "person_name")}
    assert not out.exists()


def test_the_period_is_checked_when_both_dates_are_valid(tmp_path, source):
    text = (package_table() + "\n" + HEADER + "\n"
            "1996/lonelista.csv,L,,2011-01-01,,,,\ninfo.txt,I,,,,,,\n")
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), tmp_path / "out")
    assert [(i.row, i.column) for i in caught.value.issues] == [(9, "date")]


@pytest.mark.parametrize("bad", ["../etc/passwd", "/etc/passwd", "1996/../../x.txt",
                                 "C:/Windows/x.txt", "1996\\lonelista.csv", "./info.txt"])
def test_paths_that_leave_the_source_are_refused(tmp_path, source, bad):
    text = (package_table() + "\n" + HEADER + "\n" + f"{bad},T,,,,,,\n"
            "1996/lonelista.csv,L,,,,,,\ninfo.txt,I,,,,,,\n")
    out = tmp_path / "out"
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), out)
    assert (9, "path") in {(i.row, i.column) for i in caught.value.issues}
    assert not out.exists()


def test_symlinks_in_the_source_are_refused(tmp_path, source):
    secret = tmp_path / "secret.txt"
    secret.write_text("utanför\n")
    os.symlink(secret, source / "link.txt")
    os.symlink(tmp_path, source / "dirlink")
    text = good_csv() + "link.txt,Länk,,,,,,\n"
    out = tmp_path / "out"
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), out)
    messages = " ".join(str(i) for i in caught.value.issues)
    assert "link.txt" in messages and "dirlink" in messages and "symbolic link" in messages
    assert not out.exists()


def test_every_file_must_be_described_and_exist(tmp_path, source):
    (source / "extra.txt").write_text("x")
    text = good_csv() + "missing.txt,Saknas,,,,,,\n"
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), tmp_path / "out")
    found = {(i.row, i.column, "extra.txt" in i.message) for i in caught.value.issues}
    assert (11, "path", False) in found and (None, "path", True) in found


def test_semicolons_bom_and_a_duplicate_path(tmp_path, source):
    text = ("\ufeff" + good_csv().replace(",", ";")
            + "INFO.TXT;Igen;;;;;;\n")
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), tmp_path / "out")
    issues = caught.value.issues
    assert [(i.row, i.column) for i in issues] == [(11, "path")]
    assert "row 10" in issues[0].message


def test_an_existing_package_is_not_overwritten_without_replace(tmp_path, source):
    metadata = write(tmp_path, good_csv())
    first = make_sip(source, metadata, tmp_path / "out")
    with pytest.raises(FileExistsError):
        make_sip(source, metadata, tmp_path / "out")
    assert make_sip(source, metadata, tmp_path / "out", replace=True) == first
    assert validate_package(first).valid


def test_the_command(tmp_path, source, capsys):
    out = tmp_path / "out"
    call_command("archive", "make-sip", str(source), "--metadata",
                 str(write(tmp_path, good_csv())), "--out", str(out), "--zip")
    written = Path(capsys.readouterr().out.strip())
    assert written.suffix == ".zip" and validate_package(written).valid
    broken = write(tmp_path, good_csv().replace("1996-12-31", "1996-12-32"), "b.csv")
    with pytest.raises(CommandError) as caught:
        call_command("archive", "make-sip", str(source), "--metadata", str(broken),
                     "--out", str(tmp_path / "out2"))
    assert caught.value.returncode == 1
    assert "9" in (err := capsys.readouterr().err) and "date" in err
    assert not (tmp_path / "out2").exists()


def test_the_documented_payroll_example(tmp_path, monkeypatch):
    files = tmp_path / "payroll"
    monkeypatch.setattr(sys, "argv", ["generate.py", str(files)])
    runpy.run_path(str(EXAMPLE / "generate.py"), run_name="__main__")
    shutil.copy(EXAMPLE / "metadata.csv", tmp_path / "metadata.csv")
    path = make_sip(files, tmp_path / "metadata.csv", tmp_path / "out", as_zip=True)
    assert path.name == "lon-1996-2010.zip"
    report = validate_package(path)
    assert report.valid and len([r for r in report.files if "/data/" in r.path]) == 18


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "faktura\u202efdp.exe" shows as "fakturaexe.pdf"
ZWSP = "\u200b"  # ZERO WIDTH SPACE


def disguised(tmp_path):
    folder = tmp_path / "disguised"
    folder.mkdir()
    names = [f"faktura{RLO}fdp.exe", f"kvitto{ZWSP}.pdf", "vanlig.txt"]
    for name in names:
        (folder / name).write_text("innehåll\n", encoding="utf-8")
    text = (package_table() + "\n" + HEADER + "\n"
            + "".join(f"{name},Fil {n},,,,,,\n" for n, name in enumerate(names)))
    return folder, write(tmp_path, text), names


def test_names_with_bidi_or_zero_width_characters_are_warned_and_still_packed(tmp_path):
    source, metadata, names = disguised(tmp_path)
    warnings = []
    path = make_sip(source, metadata, tmp_path / "out", warn=warnings.append)
    assert [(w.row, w.column) for w in warnings] == [(9, "path"), (10, "path")]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in warnings[0].message
    assert "U+200B ZERO WIDTH SPACE" in warnings[1].message
    assert "disguise" in warnings[0].message
    report = validate_package(path)
    assert report.valid
    assert {r.path.rsplit("/", 1)[-1] for r in report.files if "/data/" in r.path} == set(names)


@pytest.mark.parametrize(("lang", "words"), [("sv", ("varning", "osynliga tecken")),
                                             ("en", ("warning", "invisible characters"))])
def test_the_command_warns_in_the_chosen_language(tmp_path, capsys, lang, words):
    source, metadata, _names = disguised(tmp_path)
    call_command("archive", "make-sip", str(source), "--metadata", str(metadata),
                 "--out", str(tmp_path / "out"), "--lang", lang)
    captured = capsys.readouterr()
    assert Path(captured.out.strip()).is_dir()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 2 and all(words[0] in line and words[1] in line for line in lines)
    assert "U+202E" in lines[0]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The path contains '..' and could point outside the source folder."),
    ("sv", "Sökvägen innehåller '..' och kan peka utanför källmappen.")])
def test_messages_about_paths_are_in_the_chosen_language(tmp_path, source, lang, expected):
    text = (package_table() + "\n" + HEADER + "\n" + "../x.txt,T,,,,,,\n"
            "1996/lonelista.csv,L,,,,,,\ninfo.txt,I,,,,,,\n")
    with translation.override(lang), pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), tmp_path / "out")
    assert [i.message for i in caught.value.issues if i.row == 9] == [expected]


def test_values_xml_cannot_hold_are_refused_with_row_and_column(tmp_path, source):
    text = (package_table() + "\n" + HEADER + "\n"
            "1996/lonelista.csv,Löne\x07lista,,,,,,\ninfo.txt,Om,Rad\x1b,,,,,\n")
    with pytest.raises(MetadataError) as caught:
        make_sip(source, write(tmp_path, text), tmp_path / "out")
    assert [(i.row, i.column) for i in caught.value.issues] == [(9, "title"),
                                                                 (10, "description")]


@pytest.mark.parametrize("as_zip", [False, True])
def test_many_files_are_written_in_batches_and_validate(tmp_path, as_zip):
    """More files than one batch of ERMS records, METS file elements and PREMIS objects."""
    source = tmp_path / "many"
    count = 1234
    rows = []
    for number in range(count):
        folder = source / f"{number // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{number // 500:02d}/handling-{number:04d}.txt"
        (source / name).write_bytes(f"Handling {number} & <mer>\n".encode())
        rows.append(f'{name},"Handling {number}, ""citat"" & <tecken>",,2001-01-01,,,,\n')
    metadata = write(tmp_path, package_table() + "\n" + HEADER + "\n" + "".join(rows))
    path = make_sip(source, metadata, tmp_path / "out", as_zip=as_zip)
    report = validate_package(path)
    assert report.valid, [f.message_en for f in report.errors][:3]
    assert len([r for r in report.files if "/data/" in r.path]) == count
    if not as_zip:
        erms = etree.parse(str(path / "metadata/descriptive/erms.xml"))
        titles = [t.text for t in erms.iterfind(".//e:record/e:title", NS)]
        assert len(titles) == count and titles[-1] == 'Handling 1233, "citat" & <tecken>'
        assert erms_problems(erms) == []
        mets = etree.parse(str(path / "representations/rep1/METS.xml"))
        files = mets.findall(".//{http://www.loc.gov/METS/}file")
        assert [f.get("ID") for f in files] == [f"file-{n}" for n in range(1, count + 1)]


def test_a_record_written_as_text_is_what_the_erms_builders_make():
    """make-sip writes each ERMS record as text (records.record_xml); it must be exactly
    the element the shared ERMS builders (erms/xml.py) make of the same metadata."""
    import datetime as dt

    from diarium.archive.erms import xml
    from diarium.archive.makesip.fields import FileMeta
    from diarium.archive.makesip.records import DATA_PREFIX, record_xml

    tricky = 'Löner & "tillägg" <2001>\tq'
    metas = [FileMeta(4, f"a/{tricky}.csv", tricky, description=tricky,
                      date=dt.date(2001, 2, 3), record_type=tricky, secrecy="OSL 39:3",
                      person_name=tricky, person_id="195803143584", protected_identity=True,
                      mimetype="text/csv"),
             FileMeta(5, "b.txt", "Enkel")]
    for number, meta in enumerate(metas, start=1):
        records = xml.sub(xml.new_document(), "records")
        record = xml.sub(records, "record", systemIdentifier=f"file-{number}",
                         recordType=meta.record_type, recordPhysicalOrDigital="digitial")
        xml.sub(record, "objectId", meta.path)
        xml.sub(record, "title", meta.title)
        if meta.secrecy:
            xml.restriction(record, meta.secrecy, f"Sekretess enligt {meta.secrecy}.", None)
        if meta.person_name:
            xml.agents(record, [xml.AgentData(
                "other:data_subject", meta.person_name, id_number=meta.person_id,
                id_type="personnummer", protected=meta.protected_identity)])
        if meta.description:
            xml.sub(record, "description", meta.description)
        xml.dates(record, [("originated", meta.date)])
        xml.appendix(xml.sub(record, "additionalInformation"),
                     meta.path.rsplit("/", 1)[-1], DATA_PREFIX + meta.path, meta.mimetype)
        text = etree.fromstring(f'<records xmlns="{ERMS_NS}">{record_xml(meta, number)}'
                                "</records>")[0]
        assert canonical(text) == canonical(record)
