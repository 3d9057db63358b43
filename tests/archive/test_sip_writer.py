"""The streaming SIP writer: valid packages as folder and ZIP, hashing while writing, no
partial package after an error, and no way out of the package."""

import hashlib
import io
import zipfile

import pytest
from lxml import etree

from diarium.archive.sip import (
    Agent,
    FileEntry,
    PackageInfo,
    SipWriter,
    UnsafePath,
    fragments,
    mets,
    premis,
    stale_partials,
)
from diarium.archive.sip.sinks import CHUNK
from diarium.archive.validation import Severity, validate_package
from diarium.archive.validation.formats import Format
from diarium.archive.validation.schema import premis_schema


def info(**overrides) -> PackageInfo:
    values = {"objid": "sip-test-1", "label": "Testleverans",
              "archivist": Agent("Kommunstyrelsen", "212000-9994"),
              "submitter": Agent("Exempelstads kommun", "212000-9994"),
              "submission_agreement": "KS 2025/118", "contact_person": "Lena Arkivarie",
              "producer_system": "Testsystemet 1.0", **overrides}
    return PackageInfo(**values)


class Lazy(io.RawIOBase):
    """A stream of `size` bytes produced on demand, that fails after `fail_after` bytes
    and remembers the largest read it was asked for."""

    def __init__(self, size: int, fail_after: int | None = None):
        self.size, self.position, self.fail_after, self.largest = size, 0, fail_after, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.largest = max(self.largest, n)
        if self.fail_after is not None and self.position >= self.fail_after:
            raise OSError("disk went away")
        n = min(n if n >= 0 else self.size, self.size - self.position)
        chunk = bytes((self.position + i) % 251 for i in range(n))
        self.position += n
        return chunk


def expected_digest(size: int) -> str:
    return hashlib.sha256(bytes(i % 251 for i in range(size))).hexdigest()


def write_sample(out, as_zip: bool, **kwargs):
    with SipWriter(out, info(**kwargs), as_zip=as_zip) as sip:
        sip.add_data("1/beslut.txt", io.BytesIO(b"Beslut.\n"), original_name="beslut.txt")
        sip.add_data("1/bilaga.pdf", io.BytesIO(b"%PDF-1.7\n%%EOF\n"),
                     mimetype="application/pdf")
        sip.add_data("2/data.csv", io.BytesIO(b"a;b\n1;2\n"), mimetype="x-not/a type")
        sip.add_descriptive("erms.xml", b"<?xml version='1.0'?><records/>",
                            other_mdtype="ERMS", version="2.1.2")
        sip.add_documentation("README.txt", b"Om paketet\n")
        return sip.finish()


@pytest.mark.parametrize("as_zip", [False, True])
def test_a_written_package_is_a_valid_sip(tmp_path, as_zip):
    path = write_sample(tmp_path, as_zip)
    assert path.name == ("sip-test-1.zip" if as_zip else "sip-test-1")
    report = validate_package(path)
    assert report.profile == "SIP"
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert report.requirements(Severity.WARN) <= {"CSIP101"}  # see docs/erms-export.md
    assert all(r.checksum_ok for r in report.files)
    data = {r.path: r for r in report.files if "/data/" in r.path}
    assert data["representations/rep1/data/2/data.csv"].declared_mimetype == "text/csv"
    assert data["representations/rep1/data/1/bilaga.pdf"].puid == "fmt/276"
    assert stale_partials(tmp_path) == []


def test_premis_is_valid_and_lists_every_content_file(tmp_path):
    path = write_sample(tmp_path, False)
    premis = etree.parse(str(path / "metadata/preservation/premis.xml"))
    assert premis_schema("http://www.loc.gov/premis/v3").validate(premis)
    ns = {"p": "http://www.loc.gov/premis/v3"}
    names = premis.xpath("//p:object/p:objectIdentifier/p:objectIdentifierValue/text()",
                         namespaces=ns)
    assert sorted(names) == ["metadata/descriptive/erms.xml",
                             "representations/rep1/data/1/beslut.txt",
                             "representations/rep1/data/1/bilaga.pdf",
                             "representations/rep1/data/2/data.csv"]


def test_the_header_names_the_agents_and_the_agreement(tmp_path):
    mets = etree.parse(str(write_sample(tmp_path, False) / "METS.xml")).getroot()
    header = mets.find("{*}metsHdr")
    roles = [(a.get("ROLE"), a.get("TYPE"), a.findtext("{*}name")) for a in header.iter("{*}agent")]
    assert ("ARCHIVIST", "ORGANIZATION", "Kommunstyrelsen") in roles
    assert ("CREATOR", "ORGANIZATION", "Exempelstads kommun") in roles
    assert ("CREATOR", "OTHER", "Diarium") in roles
    assert ("OTHER", "OTHER", "Testsystemet 1.0") in roles
    assert header.findtext("{*}altRecordID[@TYPE='SUBMISSIONAGREEMENT']") == "KS 2025/118"
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"


@pytest.mark.parametrize("as_zip", [False, True])
def test_content_is_streamed_and_hashed_in_chunks(tmp_path, as_zip):
    size = 3 * CHUNK + 17
    stream = Lazy(size)
    with SipWriter(tmp_path, info(), as_zip=as_zip) as sip:
        entry = sip.add_data("big.bin", stream)
        path = sip.finish()
    assert stream.largest <= CHUNK
    assert (entry.size, entry.sha256) == (size, expected_digest(size))
    report = validate_package(path)
    assert report.valid
    big = next(r for r in report.files if r.path.endswith("big.bin"))
    assert big.checksum_ok and big.sha256 == expected_digest(size)


@pytest.mark.parametrize("as_zip", [False, True])
def test_an_error_mid_write_leaves_no_package(tmp_path, as_zip):
    with pytest.raises(OSError, match="disk went away"), \
            SipWriter(tmp_path, info(), as_zip=as_zip) as sip:
        sip.add_data("a.txt", io.BytesIO(b"a\n"))
        sip.add_data("big.bin", Lazy(4 * CHUNK, fail_after=2 * CHUNK))
        sip.finish()
    assert list(tmp_path.iterdir()) == []


def test_leaving_the_block_without_finishing_leaves_nothing(tmp_path):
    with SipWriter(tmp_path, info()) as sip:
        sip.add_data("a.txt", io.BytesIO(b"a\n"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["../x.txt", "/etc/passwd", "a/../../x", "a\\b.txt", "",
                                 "a//b", "C:/x", "con.txt"])
def test_paths_cannot_leave_the_package(tmp_path, bad):
    with pytest.raises(UnsafePath), SipWriter(tmp_path, info()) as sip:
        sip.add_data(bad, io.BytesIO(b"x"))
    assert list(tmp_path.iterdir()) == []


def test_the_same_path_twice_is_refused_whatever_its_case(tmp_path):
    with pytest.raises(FileExistsError), SipWriter(tmp_path, info(), as_zip=True) as sip:
        sip.add_data("a.txt", io.BytesIO(b"x"))
        sip.add_data("A.TXT", io.BytesIO(b"y"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("as_zip", [False, True])
def test_an_existing_package_is_kept_unless_replaced(tmp_path, as_zip):
    first = write_sample(tmp_path, as_zip)
    with pytest.raises(FileExistsError):
        write_sample(tmp_path, as_zip)
    assert [p.name for p in tmp_path.iterdir()] == [first.name]
    with SipWriter(tmp_path, info(label="Ny"), as_zip=as_zip, replace=True) as sip:
        sip.add_data("ny.txt", io.BytesIO(b"ny\n"))
        again = sip.finish()
    assert again == first and [p.name for p in tmp_path.iterdir()] == [first.name]
    report = validate_package(again)
    assert report.valid and any(r.path.endswith("ny.txt") for r in report.files)


def test_zip_members_sit_under_one_root_folder(tmp_path):
    path = write_sample(tmp_path, True)
    with zipfile.ZipFile(path) as archive:
        assert {n.split("/", 1)[0] for n in archive.namelist()} == {"sip-test-1"}
        assert archive.testzip() is None


def test_a_package_id_must_be_a_folder_name(tmp_path):
    with pytest.raises(ValueError, match="folder name"):
        SipWriter(tmp_path, info(objid="../evil"))


TRICKY = 'a & b < c > d "e" \'f\' \tg\nh\ri åäö'


def canonical(element) -> bytes:
    """The element in exclusive canonical form, without the whitespace of indentation."""
    import copy

    element = copy.deepcopy(element)
    for node in element.iter():
        if node.text is not None and not node.text.strip() and len(node):
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return etree.tostring(element, method="c14n", exclusive=True)


@pytest.mark.parametrize("fmt", [
    Format("fmt/276", "Acrobat PDF 1.7 - Portable Document Format", "1.7", "application/pdf"),
    Format("", "Unknown"), Format("x-fmt/111", TRICKY)])
def test_the_text_fragments_are_what_lxml_builds(fmt):
    """The per-file METS file element and PREMIS object are written as text (speed); they
    must be exactly what the lxml builders make of the same values."""
    entry = FileEntry(path=f"representations/rep1/data/{TRICKY}.txt", size=12,
                      sha256="ab" * 32, mimetype="text/plain", format=fmt,
                      created="2024-05-01T10:00:00Z", original_name=TRICKY, ident="file-7")
    folder = "representations/rep1"
    group = etree.Element(f"{{{mets.METS}}}fileGrp", nsmap=mets.NSMAP)
    mets._file(group, entry, folder)
    text_group = etree.fromstring(
        f'<fileGrp xmlns="{mets.METS}" xmlns:xlink="{mets.XLINK}" xmlns:sip="{mets.SIP}">'
        f"{mets.file_fragment(entry, folder)}</fileGrp>")
    assert canonical(text_group[0]) == canonical(group[0])
    root = etree.Element(premis._p("premis"), nsmap={None: premis.PREMIS, "xsi": premis.XSI})
    premis._object(root, entry)
    text_root = etree.fromstring(f'<premis xmlns="{premis.PREMIS}" xmlns:xsi="{premis.XSI}">'
                                 f"{premis.object_fragment(entry)}</premis>")
    assert canonical(text_root[0]) == canonical(root[0])


def test_the_text_escaping_matches_lxml():
    element = etree.Element("x", a=TRICKY)
    element.text = TRICKY
    assert etree.tostring(element, encoding="unicode") == (
        f'<x a="{fragments.attribute(TRICKY)}">{fragments.text(TRICKY)}</x>')


def test_many_files_go_through_the_spool_in_batches(tmp_path):
    with SipWriter(tmp_path, info()) as sip:
        for number in range(1203):
            sip.add_data(f"{number // 100}/f{number}.txt", io.BytesIO(b"x%d\n" % number),
                         representation="rep1" if number % 400 else "rep2")
        path = sip.finish()
    report = validate_package(path)
    assert report.valid and len(report.files) > 1203
    rep2 = etree.parse(str(path / "representations/rep2/METS.xml"))
    assert [f.get("ID") for f in rep2.iter(f"{{{mets.METS}}}file")] == [
        "file-1", "file-401", "file-801", "file-1201"]
    objects = etree.parse(str(path / "metadata/preservation/premis.xml")).findall(
        f"{{{premis.PREMIS}}}object")
    assert len(objects) == 1203
    assert premis_schema(premis.PREMIS).validate(etree.parse(
        str(path / "metadata/preservation/premis.xml")))
