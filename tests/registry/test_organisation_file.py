"""The organisation file (registry/orgfile): export and import in every format, the round
trip into an empty database, every kind of error with its sheet, row and column, nothing
applied when anything is wrong, the dry run, and the numbers a series' own format gives."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from diarium.audit.models import AuditEvent, ChainHead
from diarium.core.actors import OPERATOR
from diarium.organisation import services as org
from diarium.organisation.models import (
    Administration,
    Authority,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
    User,
)
from diarium.registry import services as registry
from diarium.registry.models import DiaryCounter, DiarySeries
from diarium.registry.orgfile import files
from diarium.registry.orgfile.exporting import organisation_rows
from diarium.registry.orgfile.importing import import_organisation
from tests import factories as f

pytestmark = pytest.mark.django_db


def build_organisation():
    """A small municipality with a joint board, through the services."""
    home = org.create_municipality(OPERATOR, name="Sjöviks kommun", code="9901",
                                   organisation_number="212000-9903")
    neighbour = org.create_municipality(OPERATOR, name="Björkfors kommun", code="9902")
    ks = org.create_authority(OPERATOR, home, code="KS", name="Kommunstyrelsen",
                              organisation_number="212000-9903")
    ofn = org.create_authority(OPERATOR, home, code="ÖFN", name="Överförmyndarnämnden",
                               members=[home, neighbour])
    registry.create_series(OPERATOR, ks, code="KS", name="Kommunstyrelsens diarium")
    registry.create_series(OPERATOR, ofn, code="ÖFN", name="ÖFN:s diarium",
                           number_format="{series}-{year}-{number}", number_padding=4)
    registry.create_series(OPERATOR, ks, code="KSA", name="Gammal serie", active=False)
    klf = org.create_administration(OPERATOR, home, name="Kommunledningsförvaltningen",
                                    authorities=[ks, ofn])
    kansli = org.create_unit(OPERATOR, klf, name="Kansliavdelningen")
    ofe = org.create_unit(OPERATOR, klf, name="Överförmyndarenheten")
    karin = org.create_user(OPERATOR, username="karin", municipality=home,
                            first_name="Karin", last_name="Lindqvist",
                            email="karin@sjovik.example", unit=kansli)
    sofia = org.create_user(OPERATOR, username="sofia", municipality=neighbour,
                            first_name="Sofia", unit=ofe)
    gone = org.create_user(OPERATOR, username="slutat", municipality=home, is_active=False)
    org.assign_role(OPERATOR, karin, ks, Role.REGISTRATOR)
    org.assign_role(OPERATOR, karin, ofn, Role.ADMINISTRATOR)
    org.assign_role(OPERATOR, sofia, ofn, Role.OFFICER)
    org.assign_role(OPERATOR, gone, ks, Role.READER)


def wipe():
    """Empty the organisation's tables and the audit log: an empty database."""
    RoleAssignment.objects.all().delete()
    AuditEvent.objects.all().delete()
    ChainHead.objects.all().delete()
    DiaryCounter.objects.all().delete()
    DiarySeries.objects.all().delete()
    User.objects.all().delete()
    Unit.objects.all().delete()
    Administration.objects.all().delete()
    for authority in Authority.objects.all():
        authority.member_municipalities.clear()
    Authority.objects.all().delete()
    Municipality.objects.all().delete()


def sheets_of(data: bytes, name: str) -> dict:
    return {sheet: [row.values for row in content.rows]
            for sheet, content in files.read_bytes(data, name).items()}


def importing(data: bytes, name: str, **kwargs):
    return import_organisation(kwargs.pop("actor", OPERATOR), files.read_bytes(data, name),
                               **kwargs)


def problems(data: bytes, name: str, actor=OPERATOR) -> list[tuple]:
    with pytest.raises(files.OrganisationFileError) as err:
        importing(data, name, actor=actor)
    return [(i.sheet, i.row, i.column) for i in err.value.issues]


@pytest.mark.parametrize("fmt,name", [("csv", "org.zip"), ("xlsx", "org.xlsx"),
                                      ("yaml", "org.yaml")])
def test_round_trip_export_import_into_an_empty_database_export(fmt, name):
    build_organisation()
    first = files.render(organisation_rows(), fmt)
    wipe()
    assert not User.objects.exists()
    report = importing(first, name)
    assert report.count("created") == 2 + 2 + 3 + 1 + 2 + 3 + 4
    second = files.render(organisation_rows(), fmt)
    if fmt == "xlsx":  # a workbook records when it was saved: compare its cells
        assert sheets_of(second, name) == sheets_of(first, name)
    else:
        assert second == first
    # Imported, not copied: every object has its audit event, and the file one of its own.
    assert AuditEvent.objects.filter(action="organisation.user_created").count() == 3
    assert AuditEvent.objects.filter(action="organisation.imported").count() == 1
    assert User.objects.get(username="sofia").unit.administration.municipality.code == "9901"
    assert not User.objects.get(username="slutat").is_active
    assert not User.objects.get(username="karin").has_usable_password()
    assert set(Authority.objects.get(code="ÖFN").member_municipalities
               .values_list("code", flat=True)) == {"9901", "9902"}
    # Importing the same file again changes nothing.
    again = importing(first, name)
    assert again.changed == [] and again.count("unchanged") == report.count("created")


def test_a_folder_of_csv_files_and_the_command_line(tmp_path):
    build_organisation()
    call_command("organisation", "export", "--out", f"{tmp_path}/org/")
    assert sorted(p.name for p in (tmp_path / "org").iterdir()) == sorted(
        f"{sheet}.csv" for sheet in files.BY_NAME)
    call_command("organisation", "export", "--out", str(tmp_path / "org.yaml"))
    wipe()
    out = io.StringIO()
    call_command("organisation", "import", str(tmp_path / "org"), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and "created\tanvandare\tkarin" in out.getvalue()
    assert not Municipality.objects.exists()
    call_command("organisation", "import", str(tmp_path / "org"), stdout=io.StringIO())
    call_command("organisation", "export", "--out", str(tmp_path / "again.yaml"))
    assert (tmp_path / "again.yaml").read_bytes() == (tmp_path / "org.yaml").read_bytes()


YAML_OK = """\
kommuner:
  - kod: "9901"
    namn: Sjöviks kommun
myndigheter:
  - kod: KS
    namn: Kommunstyrelsen
    kommun: "9901"
diarieserier:
  - kod: KS
    myndighet: KS
    namn: KS diarium
forvaltningar:
  - kommun: "9901"
    namn: KLF
    myndigheter: [KS]
enheter:
  - kommun: "9901"
    förvaltning: KLF
    namn: Kansliet
anvandare:
  - användarnamn: karin
    hemkommun: "9901"
    förvaltning: KLF
    enhet: Kansliet
roller:
  - användarnamn: karin
    myndighet: KS
    roll: registrator
"""


def test_dry_run_reports_each_object_and_changes_nothing():
    report = importing(YAML_OK.encode(), "org.yaml", dry_run=True)
    assert report.dry_run
    assert [(c.sheet, c.key, c.status) for c in report.changes] == [
        ("kommuner", "9901", "created"), ("myndigheter", "KS", "created"),
        ("diarieserier", "KS", "created"), ("forvaltningar", "9901 / KLF", "created"),
        ("enheter", "9901 / KLF / Kansliet", "created"), ("anvandare", "karin", "created"),
        ("roller", "karin / KS / registrator", "created")]
    assert not Municipality.objects.exists() and not AuditEvent.objects.exists()
    importing(YAML_OK.encode(), "org.yaml")
    changed = YAML_OK.replace("namn: KS diarium", "namn: Kommunstyrelsens diarium\n"
                              "    nummerformat: \"{series}-{year}-{number}\"") \
        .replace("roll: registrator", "roll: arkivarie")
    events = AuditEvent.objects.count()
    report = importing(changed.encode(), "org.yaml", dry_run=True)
    assert {(c.sheet, c.status) for c in report.changed} == {
        ("diarieserier", "updated"), ("roller", "created"), ("roller", "removed")}
    series = next(c for c in report.changes if c.sheet == "diarieserier")
    assert ("namn", "KS diarium", "Kommunstyrelsens diarium") in series.fields
    assert report.count("unchanged") == 5
    assert AuditEvent.objects.count() == events
    assert DiarySeries.objects.get().name == "KS diarium"
    importing(changed.encode(), "org.yaml")
    karin = User.objects.get(username="karin")
    assert list(karin.roles.values_list("role", flat=True)) == ["archivist"]
    assert AuditEvent.objects.filter(action="organisation.role_removed").count() == 1


def test_a_series_format_gives_the_numbers():
    importing(YAML_OK.replace("namn: KS diarium", "namn: KS diarium\n"
                              "    nummerformat: \"{series}-{year}-{number}\"\n"
                              "    nollutfyllnad: 4").encode(), "org.yaml")
    series = DiarySeries.objects.get()
    case = f.case(User.objects.get(username="karin"), series)
    assert case.diary_number == f"KS-{case.year}-0001"


def _zip(**sheets: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in sheets.items():
            archive.writestr(f"{name}.csv", text.encode("utf-8"))
    return out.getvalue()


def test_every_kind_of_error_with_sheet_row_and_column_and_nothing_applied():
    f.municipality("Sjöviks kommun", "9901")
    data = _zip(
        myndigheter="kod;namn;kommun;färg\n"  # an unknown column
                    "KS;Kommunstyrelsen;9901;\n"
                    "bun;Barn- och utbildningsnämnden;9901;\n"  # a lowercase code
                    "SN;;9901;\n"  # a value missing
                    "KS;Igen;9901;\n"  # a duplicate key
                    "VN;Valnämnden;9999;\n",  # an unknown municipality
        diarieserier="kod;myndighet;namn;aktiv;nummerformat;nollutfyllnad\n"
                     "KS;KS;KS diarium;kanske;;\n"  # not a truth value
                     "KS2;KS;Andra;ja;{series}/{number};\n"  # a format without the year
                     "KS3;KS;Tredje;ja;;fyra\n"  # not a number
                     "BUN;bun;BUN diarium;ja;;\n",  # an authority whose row failed: no echo
        anvandare="användarnamn;hemkommun;epost;förvaltning;enhet\n"
                  "karin;9901;inte-en-adress;;\n"  # not an e-mail address
                  "per;9901;;KLF;\n"  # an administration without a unit
                  "sys:tem;9901;;;\n",  # a username a principal could pass for
        roller="användarnamn;myndighet;roll\n"
               "karin;KS;kung\n"  # an unknown role
               "okänd;KS;läsare\n")  # an unknown user
    found = problems(data, "org.zip")
    assert ("myndigheter", 1, "färg") in found
    assert ("myndigheter", 3, "kod") in found
    assert ("myndigheter", 4, "namn") in found
    assert ("myndigheter", 5, "kod") in found
    assert ("myndigheter", 6, "kommun") in found
    assert ("diarieserier", 2, "aktiv") in found
    assert ("diarieserier", 3, "nummerformat") in found
    assert ("diarieserier", 4, "nollutfyllnad") in found
    assert ("anvandare", 2, "epost") in found
    assert ("anvandare", 3, "enhet") in found
    assert ("anvandare", 4, "användarnamn") in found
    assert ("roller", 2, "roll") in found
    assert ("roller", 3, "användarnamn") in found
    assert not any(sheet == "diarieserier" and row == 5 for sheet, row, _c in found)
    # Nothing applied: the good rows too were rolled back.
    assert not Authority.objects.exists() and not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_errors_of_the_file_itself():
    assert problems(b"not a zip", "org.zip") == [(None, None, None)]
    assert problems(_zip(personal="a;b\n1;2\n"), "org.zip") == [("personal", None, None)]
    assert problems(_zip(kommuner="namn\nSjövik\n"), "org.zip") == [("kommuner", 1, "kod")]
    assert problems(b"kommuner: [\n", "org.yaml")[0][0] is None
    yaml_alias = b"kommuner:\n  - &a {kod: '1', namn: x}\n  - *a\n"
    assert problems(yaml_alias, "org.yaml") == [(None, None, None)]
    assert problems(b"\xff\xfekommuner", "org.yaml") == [(None, None, None)]
    assert problems(b"x", "org.txt") == [(None, None, None)]
    # YAML rows are reported by their line.
    found = problems(b"kommuner:\n  - kod: '9901'\n    namn: A\n  - kod: '9902'\n",
                     "org.yaml")
    assert found == [("kommuner", 4, "namn")]
    # Excel's "CSV UTF-8" with its byte order mark, and a column written with spaces.
    report = importing(_zip(kommuner="\ufeffKod; Namn ;ORGANISATIONSNUMMER\n9901;A;\n"),
                       "org.zip", dry_run=True)
    assert report.count("created") == 1


def test_yaml_values_stay_text():
    importing(b"kommuner:\n  - {kod: 0123, namn: no}\n", "org.yaml")
    assert Municipality.objects.get().code == "0123"
    assert Municipality.objects.get().name == "no"


def test_an_administrator_imports_only_what_they_administer():
    importing(YAML_OK.encode(), "org.yaml")
    ks = Authority.objects.get(code="KS")
    admin = f.user("adm", roles={ks: Role.ADMINISTRATOR}, home_municipality=ks.municipality)
    sn_file = YAML_OK.replace("kod: KS\n    namn: Kommunstyrelsen", "kod: SN\n    namn: Soc") \
        .replace("myndighet: KS\n    namn: KS diarium", "myndighet: SN\n    namn: SN") \
        .replace("kod: KS\n    myndighet: SN", "kod: SN\n    myndighet: SN")
    # A new board, yes; but its series is for its own administrators and registrators,
    # and the KS administrator is neither there.
    found = problems(sn_file.encode(), "org.yaml", actor=admin)
    assert found == [("diarieserier", 9, None)]
    report = importing(sn_file.replace("diarieserier:\n  - kod: SN\n    myndighet: SN\n"
                                       "    namn: SN\n", "").encode(), "org.yaml",
                       actor=admin, dry_run=True)
    assert ("myndigheter", "SN", "created") in {(c.sheet, c.key, c.status)
                                                for c in report.changes}
    # A new municipality is the operator's; a role in another board is its administrator's.
    other = YAML_OK.replace('"9901"', '"9902"').replace("kod: KS", "kod: XX") \
        .replace("myndighet: KS", "myndighet: XX").replace("användarnamn: karin",
                                                           "användarnamn: olle")
    found = problems(other.encode(), "org.yaml", actor=admin)
    assert ("kommuner", 2, None) in found
    with pytest.raises(PermissionDenied):  # a registrator administers nothing
        importing(YAML_OK.replace("roll: registrator", "roll: läsare").encode(), "org.yaml",
                  actor=f.user(roles={ks: Role.REGISTRATOR}))
    assert RoleAssignment.objects.get(user__username="karin").role == "registrar"


def test_someone_who_administers_nothing_is_refused():
    with pytest.raises(PermissionDenied):
        importing(YAML_OK.encode(), "org.yaml", actor=f.user())


def test_the_command_reports_problems_and_applies_nothing(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(YAML_OK.replace("roll: registrator", "roll: kung"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported: 1 problem"):
        call_command("organisation", "import", str(path), stderr=err)
    assert "roller" in err.getvalue() and "roll" in err.getvalue()
    assert not Municipality.objects.exists()
