"""Fixity audits: a damaged or missing copy is found, reported and repaired from a good one,
verified after the repair, and every step is a preservation event."""

from __future__ import annotations

import io
import os
import shutil
import stat

import pytest
from django.core.management import CommandError, call_command

from diarium.archive.fixity import audit
from diarium.archive.ingest import ingest_package
from diarium.archive.models import CopyState, EventType, Outcome, PreservationEvent, StorageCopy
from diarium.core.actors import FIXITY, INGEST

from .conftest import aip_folders, sip

pytestmark = pytest.mark.django_db
DATA = "submission/representations/rep1/data/beslut.txt"


@pytest.fixture
def archived(tmp_path, locations, agreement):
    package = ingest_package(INGEST, sip(tmp_path / "in"), agreement)
    assert package.state == "archived", package.error
    return package


def flip_byte(path) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[0] ^= 0x01
    path.write_bytes(bytes(data))
    os.chmod(path, 0o444)


def remove(folder) -> None:
    for root, dirs, _files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o700)
    shutil.rmtree(folder)


def events(package, kind, outcome):
    return PreservationEvent.objects.filter(package=package, event_type=kind, outcome=outcome)


def test_an_intact_archive_passes_and_is_recorded(archived, locations):
    result = audit(FIXITY, workers=2)
    assert result.ok and result.copies == 2 and result.good == 2 and not result.damaged
    assert result.bytes_read == 2 * archived.size
    assert events(archived, EventType.FIXITY_CHECK, Outcome.SUCCESS).filter(
        location__isnull=False).count() == 2


def test_a_flipped_byte_is_detected_and_repaired(archived, locations):
    [folder] = aip_folders(locations[1], archived)
    flip_byte(folder / DATA)
    result = audit(FIXITY)
    assert len(result.damaged) == 1 and "copy-2" in result.damaged[0] and DATA in \
        result.damaged[0]
    assert result.repaired and result.ok
    copy = StorageCopy.objects.get(package=archived, location__name="copy-2")
    assert copy.state == CopyState.REPAIRED and copy.verified_at
    assert events(archived, EventType.FIXITY_CHECK, Outcome.FAILURE).count() == 1
    assert events(archived, EventType.REPAIR, Outcome.SUCCESS).count() == 1
    [repaired] = aip_folders(locations[1], archived)
    good = aip_folders(locations[0], archived)[0] / DATA
    assert (repaired / DATA).read_bytes() == good.read_bytes()
    # The damaged copy is kept aside as evidence, never silently deleted.
    assert len(list((locations[1] / ".damaged").iterdir())) == 1
    again = audit(FIXITY)
    assert again.ok and again.good == 2 and not again.damaged
    assert StorageCopy.objects.get(package=archived, location__name="copy-2").state == \
        CopyState.VERIFIED


def test_a_missing_copy_is_repaired(archived, locations):
    [folder] = aip_folders(locations[0], archived)
    remove(folder)
    result = audit(FIXITY, location="copy-1")
    assert result.copies == 1 and "missing" in result.damaged[0] and result.repaired
    assert aip_folders(locations[0], archived)
    assert audit(FIXITY).good == 2


def test_an_extra_file_counts_as_damage(archived, locations):
    [folder] = aip_folders(locations[0], archived)
    os.chmod(folder, 0o700)
    (folder / "intruder.txt").write_bytes(b"x")
    result = audit(FIXITY, repair=False)
    assert not result.ok and "unexpected" in result.damaged[0]
    assert StorageCopy.objects.get(package=archived, location__name="copy-1").state == \
        CopyState.DAMAGED


def test_both_copies_damaged_cannot_be_repaired(archived, locations):
    for location in locations:
        flip_byte(aip_folders(location, archived)[0] / DATA)
    result = audit(FIXITY)
    assert not result.ok and len(result.unrepaired) == 2


def test_verify_command_throttles_and_reports(archived, locations):
    out, err = io.StringIO(), io.StringIO()
    call_command("archive", "verify", "--max-mb-per-second", "50", "--workers", "2",
                 stdout=out, stderr=err)
    assert "2 copies checked, 2 good" in out.getvalue()
    assert "verify" in err.getvalue() and "MB/s" in err.getvalue()
    flip_byte(aip_folders(locations[0], archived)[0] / DATA)
    flip_byte(aip_folders(locations[1], archived)[0] / DATA)
    with pytest.raises(CommandError) as failed:
        call_command("archive", "verify", "--quiet", stdout=io.StringIO())
    assert failed.value.returncode == 1
