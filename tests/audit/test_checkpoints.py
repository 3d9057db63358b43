"""Anchored checkpoints: a rewrite of a whole chain (delete an event, recompute every later
hash) passes the chain walk but not the signed checkpoints."""

import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from diarium.audit import checkpoints
from diarium.audit.models import AuditEvent, ChainHead
from diarium.audit.services import event_hash
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchors(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = str(tmp_path / "keys" / "audit.pem")
    settings.AUDIT_TRUSTED_KEYS = []
    settings.AUDIT_CHECKPOINT_DIRS = [str(tmp_path / "one"), str(tmp_path / "two")]
    call_command("audit", "keygen", "--out", settings.AUDIT_SIGNING_KEY)
    return tmp_path


@pytest.fixture
def registry():
    ser = f.series(f.authority("KS"), "KS")
    reg = f.user("reg", roles={ser.authority: "registrar"})
    return reg, ser


def _add_cases(registry, count: int) -> None:
    reg, ser = registry
    for n in range(count):
        f.case(reg, ser, title=f"Ärende {n}")


def _busiest_chain() -> str:
    return max(ChainHead.objects.all(), key=lambda head: head.last_seq).chain


def _delete_and_rehash(chain: str, seq: int) -> None:
    """What an administrator with database access could do: remove one event and rebuild
    every later one so that the chain walk finds nothing wrong."""
    AuditEvent.objects.filter(chain=chain, seq=seq).delete()
    prev = AuditEvent.objects.get(chain=chain, seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(chain=chain, seq__gt=seq).order_by("seq"):
        event.seq -= 1
        event.prev_hash = prev
        event.hash = event_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            seq=event.seq, prev_hash=event.prev_hash, hash=event.hash
        )
        prev = event.hash
    ChainHead.objects.filter(chain=chain).update(
        last_seq=AuditEvent.objects.filter(chain=chain).count(), last_hash=prev
    )


def test_checkpoint_is_written_to_every_place_and_verifies(registry, anchors, capsys):
    _add_cases(registry, 2)
    call_command("audit", "checkpoint")
    one = sorted((anchors / "one").iterdir())
    two = sorted((anchors / "two").iterdir())
    assert len(one) == 1 and [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    body = json.loads(one[0].read_text())
    assert {c["chain"] for c in body["chains"]} == set(
        ChainHead.objects.values_list("chain", flat=True)
    )
    call_command("audit", "verify")
    assert "matches 1 signed checkpoint" in capsys.readouterr().out


def test_delete_and_rehash_passes_the_walk_but_not_the_checkpoint(registry):
    _add_cases(registry, 3)
    chain = _busiest_chain()
    call_command("audit", "checkpoint")
    _delete_and_rehash(chain, seq=2)
    from diarium.audit.selectors import verify_chains

    assert all(broken is None for _, broken in verify_chains())  # the walk is fooled
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    first = AuditEvent.objects.get(chain=chain, seq=1)
    assert f"chain {chain} was rewritten" in str(err.value)
    assert f"event {first.id} (seq 1)" in str(err.value)


def test_the_first_event_after_the_last_good_checkpoint_is_named(registry):
    _add_cases(registry, 2)
    chain = _busiest_chain()
    call_command("audit", "checkpoint")
    good_seq = ChainHead.objects.get(chain=chain).last_seq
    _add_cases(registry, 2)
    call_command("audit", "checkpoint")
    _delete_and_rehash(chain, seq=good_seq + 2)
    anchored, problems = checkpoints.verify_checkpoints()
    assert anchored == 2 and len(problems) == 1
    named = AuditEvent.objects.get(chain=chain, seq=good_seq + 1)
    assert problems[0].event_id == named.id
    assert "the first event after checkpoint checkpoint-" in str(problems[0])


def test_a_checkpoint_signed_with_another_key_is_refused(registry, settings, anchors):
    _add_cases(registry, 1)
    trusted = settings.AUDIT_SIGNING_KEY
    other = str(anchors / "keys" / "other.pem")
    call_command("audit", "keygen", "--out", other)
    settings.AUDIT_SIGNING_KEY = other
    call_command("audit", "checkpoint")
    settings.AUDIT_SIGNING_KEY = trusted
    settings.AUDIT_TRUSTED_KEYS = [trusted]
    with pytest.raises(CommandError, match="signed by an untrusted key"):
        call_command("audit", "verify")


def test_an_edited_checkpoint_file_is_refused(registry, anchors):
    _add_cases(registry, 1)
    call_command("audit", "checkpoint")
    for folder in ("one", "two"):
        path = next((anchors / folder).iterdir())
        document = json.loads(path.read_text())
        document["chains"][0]["seq"] += 1
        path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="signature invalid"):
        call_command("audit", "verify")


def test_a_checkpoint_removed_everywhere_is_noticed_by_its_successor(registry, anchors):
    _add_cases(registry, 1)
    call_command("audit", "checkpoint")
    first = sorted(p.name for p in (anchors / "one").iterdir())[0]
    call_command("audit", "checkpoint")
    for folder in ("one", "two"):
        (anchors / folder / first).unlink()
    with pytest.raises(CommandError, match="missing everywhere"):
        call_command("audit", "verify")


def test_keys_are_private_and_never_overwritten(settings):
    path = Path(settings.AUDIT_SIGNING_KEY)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("audit", "keygen", "--out", str(path))


def test_checkpoint_files_are_written_once(registry, anchors):
    _add_cases(registry, 1)
    checkpoint = checkpoints.create_checkpoint(trigger="manual")
    with pytest.raises(FileExistsError):
        checkpoints.FolderSink(anchors / "one").write_once(checkpoint.name, b"{}")


def test_checkpoints_carry_a_trusted_timestamp(registry, settings, anchors, capsys):
    from tests import pki
    from tests.tsa import running_tsa

    ca = pki.root_ca()
    settings.AUDIT_TSA_TRUST = [str(ca.write_pem(anchors / "tsa-root.pem"))]
    _add_cases(registry, 1)
    with running_tsa(pki.tsa_certificate(ca)) as url:
        settings.AUDIT_TSA_URL = url
        checkpoint = checkpoints.create_checkpoint(trigger="manual")
    assert checkpoint.timestamp
    call_command("audit", "verify")
    assert "matches 1 signed checkpoint" in capsys.readouterr().out


def test_a_timestamp_from_an_untrusted_tsa_is_refused(registry, settings, anchors):
    from tests import pki
    from tests.tsa import running_tsa

    settings.AUDIT_TSA_TRUST = [str(pki.root_ca("Annan CA").write_pem(anchors / "other.pem"))]
    _add_cases(registry, 1)
    with running_tsa(pki.tsa_certificate(pki.root_ca())) as url:
        settings.AUDIT_TSA_URL = url
        checkpoints.create_checkpoint(trigger="manual")
    with pytest.raises(CommandError, match="timestamp refused"):
        call_command("audit", "verify")


def test_an_unreachable_tsa_stops_the_checkpoint_with_a_reason(registry, settings, anchors):
    _add_cases(registry, 1)
    settings.AUDIT_TSA_URL = "http://127.0.0.1:9/"
    with pytest.raises(CommandError, match="did not answer"):
        call_command("audit", "checkpoint")
    assert not list((anchors / "one").glob("checkpoint-*"))
