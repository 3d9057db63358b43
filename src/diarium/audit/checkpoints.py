"""Anchored checkpoints of the audit chains.

The hash chains show that no event was changed since it was written, but someone who can
write to the database could delete an event and recompute every later hash. A checkpoint
records every chain's head (sequence number and hash) at one moment, signed with a key the
database does not hold (audit/signing.py), and is written once to several places outside
the database (a folder of its own, and the e-archive's locations through a registered
sink). `verify_checkpoints` then compares the log with every checkpoint it can trust: an
event that a checkpoint recorded must still be there with the same hash.

Each checkpoint also names the SHA-256 of the one before it, so removing a checkpoint file
from one place is visible against the copies elsewhere."""

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from diarium.audit import signing, timestamping
from diarium.audit.models import AuditEvent, ChainHead

FORMAT = "diarium-audit-checkpoint/1"
PREFIX = "checkpoint-"


class Sink(Protocol):
    """A place that keeps checkpoint files: written once, never overwritten."""

    name: str

    def write_once(self, name: str, data: bytes) -> None: ...

    def read_all(self) -> Iterator[tuple[str, bytes]]: ...


@dataclass(frozen=True)
class FolderSink:
    path: Path

    @property
    def name(self) -> str:
        return str(self.path)

    def write_once(self, name: str, data: bytes) -> None:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        folder = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def read_all(self) -> Iterator[tuple[str, bytes]]:
        if not self.path.is_dir():
            return
        for entry in sorted(self.path.glob(f"{PREFIX}*.json")):
            yield entry.name, entry.read_bytes()


# Higher apps (the e-archive) add their write-once locations here from AppConfig.ready().
_extra_sinks: list[Callable[[], Iterable[Sink]]] = []


def register_sinks(provider: Callable[[], Iterable[Sink]]) -> None:
    if provider not in _extra_sinks:
        _extra_sinks.append(provider)


def sinks() -> list[Sink]:
    folders = getattr(settings, "AUDIT_CHECKPOINT_DIRS", None) or [
        Path(settings.DATA_DIR) / "audit-checkpoints"
    ]
    found: list[Sink] = [FolderSink(Path(folder)) for folder in folders]
    for provider in _extra_sinks:
        found.extend(provider())
    return found


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_heads() -> list[dict]:
    return [
        {"chain": head.chain, "seq": head.last_seq, "hash": head.last_hash}
        for head in ChainHead.objects.order_by("chain")
    ]


@dataclass(frozen=True)
class Checkpoint:
    name: str
    body: dict
    signature: bytes
    raw: bytes
    timestamp: bytes | None = None  # an RFC 3161 token over the signed body

    @property
    def created_at(self) -> str:
        return self.body["created_at"]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @classmethod
    def parse(cls, name: str, raw: bytes) -> "Checkpoint":
        document = json.loads(raw)
        signature = base64.b64decode(document.pop("signature"), validate=True)
        token = document.pop("timestamp", None)
        if document.get("format") != FORMAT:
            raise ValueError(f"unknown checkpoint format {document.get('format')!r}")
        return cls(name=name, body=document, signature=signature, raw=raw,
                   timestamp=base64.b64decode(token, validate=True) if token else None)


def _latest(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    return max(checkpoints, key=lambda c: (c.created_at, c.name), default=None)


def create_checkpoint(*, trigger: str) -> Checkpoint:
    """Sign the current chain heads and write the checkpoint to every sink. `trigger` says
    why (schedule, disposal, manual). Reads committed heads: call it outside a transaction
    or after the change it anchors has committed."""
    signer = signing.load_signer(create=True)
    previous = _latest(read_checkpoints()[0])
    now = timezone.now()
    body = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "trigger": trigger,
        "key_id": signer.key_id,
        "previous": previous.digest if previous else None,
        "chains": chain_heads(),
    }
    signature = signer.sign(_canonical(body))
    document = {**body, "signature": base64.b64encode(signature).decode()}
    token = None
    if getattr(settings, "AUDIT_TSA_URL", ""):
        token = timestamping.request_token(settings.AUDIT_TSA_URL, _canonical(body))
        document["timestamp"] = base64.b64encode(token).decode()
    raw = json.dumps(document, indent=1, sort_keys=True).encode()
    name = f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(4)}.json"
    for sink in sinks():
        sink.write_once(name, raw)
    return Checkpoint(name=name, body=body, signature=signature, raw=raw, timestamp=token)


@dataclass(frozen=True)
class Problem:
    """Something verification found: a checkpoint it cannot trust, or a chain that no
    longer matches a checkpoint."""

    message: str
    chain: str | None = None
    event_id: int | None = None

    def __str__(self) -> str:
        return self.message


def read_checkpoints() -> tuple[list[Checkpoint], list[Problem]]:
    """Every distinct checkpoint from every sink, with the files that could not be read."""
    found: dict[str, Checkpoint] = {}
    problems: list[Problem] = []
    for sink in sinks():
        for name, raw in sink.read_all():
            try:
                checkpoint = Checkpoint.parse(name, raw)
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(Problem(f"checkpoint {name} in {sink.name} unreadable: {exc}"))
                continue
            found.setdefault(checkpoint.digest, checkpoint)
    return sorted(found.values(), key=lambda c: (c.created_at, c.name)), problems


def _trusted(checkpoints: list[Checkpoint]) -> tuple[list[Checkpoint], list[Problem]]:
    keys = signing.trusted_keys()
    good, problems = [], []
    for checkpoint in checkpoints:
        key = keys.get(checkpoint.body.get("key_id", ""))
        if key is None:
            problems.append(Problem(f"checkpoint {checkpoint.name} is signed by an untrusted "
                                    f"key {checkpoint.body.get('key_id')}: refused"))
        elif not signing.signature_valid(key, _canonical(checkpoint.body), checkpoint.signature):
            problems.append(Problem(f"checkpoint {checkpoint.name}: signature invalid: refused"))
        else:
            problem = _timestamp_problem(checkpoint)
            if problem:
                problems.append(problem)
            else:
                good.append(checkpoint)
    return good, problems


def _timestamp_problem(checkpoint: Checkpoint) -> Problem | None:
    """A timestamp that is there must hold; it is checked when TSA certificates are
    trusted (AUDIT_TSA_TRUST)."""
    trusted = getattr(settings, "AUDIT_TSA_TRUST", [])
    if checkpoint.timestamp is None or not trusted:
        return None
    try:
        timestamping.verify_token(checkpoint.timestamp, _canonical(checkpoint.body), trusted)
    except timestamping.TimestampFailed as exc:
        return Problem(f"checkpoint {checkpoint.name}: timestamp refused: {exc}")
    return None


def _chain_problem(chain: str, entries: list[tuple[Checkpoint, int, str]]) -> Problem | None:
    """Walk one chain's recorded heads oldest first; the first that no longer matches the
    log is reported with the first event after the last checkpoint that still matched."""
    recorded = dict(
        AuditEvent.objects.filter(chain=chain, seq__in=[seq for _, seq, _ in entries if seq])
        .values_list("seq", "hash")
    )
    last_good: tuple[Checkpoint, int] | None = None
    for checkpoint, seq, digest in entries:
        if seq == 0 or recorded.get(seq) == digest:
            last_good = (checkpoint, seq)
            continue
        after_seq = last_good[1] if last_good else 0
        first = AuditEvent.objects.filter(chain=chain, seq__gt=after_seq).order_by("seq").first()
        since = f"checkpoint {last_good[0].name}" if last_good else "the start of the chain"
        actual = "missing" if seq not in recorded else f"hash {recorded[seq][:12]}…"
        where = f"event {first.id} (seq {first.seq})" if first else f"seq {after_seq + 1}"
        return Problem(
            f"chain {chain} was rewritten: checkpoint {checkpoint.name} recorded seq {seq} "
            f"with hash {digest[:12]}…, the log has {actual}; the first event after "
            f"{since} that can no longer be trusted is {where}",
            chain=chain, event_id=first.id if first else None,
        )
    return None


def _missing_links(good: list[Checkpoint]) -> list[Problem]:
    """A checkpoint names its predecessor: one that is gone from every place is noticed."""
    known = {checkpoint.digest for checkpoint in good}
    return [
        Problem(f"checkpoint {c.name} follows a checkpoint that is missing everywhere "
                f"(SHA-256 {c.body['previous'][:12]}…)")
        for c in good
        if c.body.get("previous") and c.body["previous"] not in known
    ]


def verify_checkpoints() -> tuple[int, list[Problem]]:
    """(number of trusted checkpoints, problems). No problems means every event that any
    trusted checkpoint recorded is still in the log with the recorded hash."""
    checkpoints, problems = read_checkpoints()
    good, refused = _trusted(checkpoints)
    problems += refused
    per_chain: dict[str, list[tuple[Checkpoint, int, str]]] = {}
    for checkpoint in good:
        for head in checkpoint.body["chains"]:
            per_chain.setdefault(head["chain"], []).append(
                (checkpoint, int(head["seq"]), head["hash"])
            )
    problems += _missing_links(good)
    for chain in sorted(per_chain):
        problem = _chain_problem(chain, per_chain[chain])
        if problem:
            problems.append(problem)
    return len(good), problems
