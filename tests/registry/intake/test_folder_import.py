"""`diarium import folder`: a folder tree into cases and documents by a mapping, with a dry
run, every skipped file reported with its reason, and a second run that imports nothing
twice (source path + SHA-256 recorded)."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command

from diarium.core.jobs.models import Job, JobState
from diarium.registry.intake.models import FolderImportFile
from diarium.registry.models import Case, Document
from tests import factories as f
from tests.mailmessages import PDF

pytestmark = pytest.mark.django_db

MAPPING = """pattern;series;case;case_title;record_type;direction;date
Bygglov/*/*/*beslut*;KS;;Bygglov {3};;outgoing;name
Bygglov/**;KS;;Bygglov {3};;incoming;mtime
Ekonomi/*;;{existing};;;incoming;2024-05-01
"""


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "H"
    files = {
        "Bygglov/2024/Storgatan 5/ansökan.pdf": PDF,
        "Bygglov/2024/Storgatan 5/ritning.pdf": PDF + b"ritning",
        "Bygglov/2024/Storgatan 5/2024-03-01 beslut.pdf": PDF + b"beslut",
        "Bygglov/2024/Storgatan 5/Thumbs.db": b"x",
        "Bygglov/2024/Storgatan 5/tom.pdf": b"",
        "Bygglov/2024/Lillgatan 2/ansökan.pdf": PDF + b"lillgatan",
        "Ekonomi/faktura.pdf": PDF + b"faktura",
        "Övrigt/okänd.txt": b"ingen regel",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    os.symlink(root / "Ekonomi", root / "Bygglov" / "genväg")
    return root


@pytest.fixture
def mapping(tmp_path, ks, registrator):
    existing = f.case(registrator, ks, "Fakturor 2024")
    path = tmp_path / "mapping.csv"
    path.write_text(MAPPING.replace("{existing}", existing.diary_number), encoding="utf-8")
    return path, existing


def lines(out: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            found[parts[1]] = (parts[0], parts[2])
    return found


def test_dry_run_reports_and_imports_nothing(tree, mapping, registrator):
    path, _existing = mapping
    code, out, _err = run("folder", str(tree), "--mapping", str(path), "--user", "reg",
                          "--dry-run")
    assert code == 1  # files were skipped for reasons that are not routine
    seen = lines(out)
    assert seen["Bygglov/2024/Storgatan 5/ansökan.pdf"] == (
        "would import", "KS: Bygglov Storgatan 5 (new)")
    assert seen["Bygglov/2024/Storgatan 5/Thumbs.db"][0] == "skipped"
    assert "empty" in seen["Bygglov/2024/Storgatan 5/tom.pdf"][1]
    assert seen["Övrigt/okänd.txt"] == ("skipped", "no mapping row matches")
    assert "link" in seen["Bygglov/genväg"][1]
    assert "dry run" in out
    assert not Document.objects.exists() and Case.objects.count() == 1
    assert not Job.objects.exists()


def test_import_then_a_second_run_imports_nothing_twice(tree, mapping, registrator):
    path, existing = mapping
    code, out, err = run("folder", str(tree), "--mapping", str(path), "--user", "reg")
    assert code == 1
    seen = lines(out)
    assert seen["Ekonomi/faktura.pdf"] == ("imported", f"{existing.diary_number}:1")
    assert "5 imported" in out and "/5" in err  # progress on stderr
    storgatan = Case.objects.get(title="Bygglov Storgatan 5")
    assert Case.objects.filter(title="Bygglov Lillgatan 2").exists()
    docs = {d.title: d for d in storgatan.documents.all()}
    assert set(docs) == {"ansökan", "ritning", "2024-03-01 beslut"}
    assert docs["2024-03-01 beslut"].direction == "outgoing"
    assert docs["2024-03-01 beslut"].document_date == dt.date(2024, 3, 1)
    assert docs["ansökan"].created_by == registrator
    assert docs["ansökan"].files.get().original_name == "ansökan.pdf"
    job = Job.objects.get(kind="registry.import_folder")  # beside the files' processing
    assert job.state == JobState.SUCCEEDED and job.started_by == registrator
    # Second run: nothing twice. A new file in the same folder joins the same case.
    (tree / "Bygglov/2024/Storgatan 5/komplettering.pdf").write_bytes(PDF + b"mer")
    code, out, _err = run("folder", str(tree), "--mapping", str(path), "--user", "reg")
    seen = lines(out)
    assert seen["Bygglov/2024/Storgatan 5/ansökan.pdf"] == ("skipped", "already imported")
    assert seen["Bygglov/2024/Storgatan 5/komplettering.pdf"][0] == "imported"
    assert "1 imported" in out
    assert Document.objects.count() == 6 and Case.objects.count() == 3
    assert storgatan.documents.count() == 4
    assert FolderImportFile.objects.count() == 6


def test_a_changed_file_at_the_same_path_is_imported_again(tree, mapping, registrator):
    path, _existing = mapping
    run("folder", str(tree), "--mapping", str(path), "--user", "reg")
    (tree / "Ekonomi/faktura.pdf").write_bytes(PDF + b"rattad faktura")
    _code, out, _err = run("folder", str(tree), "--mapping", str(path), "--user", "reg")
    assert lines(out)["Ekonomi/faktura.pdf"][0] == "imported"


def test_a_wrong_mapping_is_reported_whole_and_nothing_is_done(tree, tmp_path, ks,
                                                                registrator):
    bad = tmp_path / "bad.csv"
    bad.write_text("pattern,series,case,case_title,direction,date\n"
                   "A/*,XX,,T,incoming,\nB/*,KS,,,sideways,2024-13-01\n"
                   "C/*,,KS 1999/1,,incoming,\n", encoding="utf-8")
    code, _out, err = run("folder", str(tree), "--mapping", str(bad), "--user", "reg")
    assert code == 2
    assert "no diary series 'XX'" in err and "unknown direction" in err
    assert "no case 'KS 1999/1'" in err
    assert not Document.objects.exists()


def test_a_user_without_a_role_imports_nothing(tree, mapping, tmp_path):
    path, _existing = mapping
    f.user("utan")
    code, _out, err = run("folder", str(tree), "--mapping", str(path), "--user", "utan")
    assert code == 2 and "no case" in err  # the case does not exist for them
    assert not Document.objects.exists()


def test_a_user_without_a_role_in_the_series_gets_each_file_skipped(tree, tmp_path, ks):
    f.user("annan", roles={f.authority("BUN"): "registrar"})
    mapping = tmp_path / "ks.csv"
    mapping.write_text("pattern,series,case_title,direction\n**,KS,Allt,incoming\n",
                       encoding="utf-8")
    code, out, _err = run("folder", str(tree), "--mapping", str(mapping), "--user", "annan")
    assert code == 1 and not Document.objects.exists()
    status, reason = lines(out)["Ekonomi/faktura.pdf"]
    assert status == "skipped" and reason.startswith("line 2:")
