"""The e-archive's data: archive creators, submission agreements, storage locations,
packages (SIP in, AIP stored) with their inventory, copies, preservation events,
the catalogue derived from each AIP (series, descriptions, records, archived cases),
access (DIP orders, secrecy reviews, deliveries) and disposal (lists, records, holds)."""

from .access import Decision, Delivery, DipOrder, MaskedFile, OrderState, SecrecyReview
from .catalogue import (
    ArchivedCase,
    ArchiveRecord,
    ArchiveSeries,
    PackageDescription,
    RecordKind,
)
from .creators import PROFILE_CHOICES, ArchiveCreator, SubmissionAgreement
from .disposal import (
    ArchiveHold,
    DisposalItem,
    DisposalRecord,
    DisposalRun,
    ItemKind,
    ItemState,
    RunState,
)
from .events import EventType, Outcome, PreservationEvent
from .packages import FINAL_STATES, AIPFile, FileRole, Package, PackageState
from .storage import GOOD_COPY_STATES, CopyState, LocationKind, StorageCopy, StorageLocation

__all__ = [
    "FINAL_STATES",
    "GOOD_COPY_STATES",
    "PROFILE_CHOICES",
    "AIPFile",
    "ArchiveCreator",
    "ArchiveHold",
    "ArchiveRecord",
    "ArchiveSeries",
    "ArchivedCase",
    "CopyState",
    "Decision",
    "Delivery",
    "DipOrder",
    "DisposalItem",
    "DisposalRecord",
    "DisposalRun",
    "EventType",
    "FileRole",
    "ItemKind",
    "ItemState",
    "LocationKind",
    "MaskedFile",
    "OrderState",
    "Outcome",
    "Package",
    "PackageDescription",
    "PackageState",
    "PreservationEvent",
    "RecordKind",
    "RunState",
    "SecrecyReview",
    "StorageCopy",
    "StorageLocation",
    "SubmissionAgreement",
]
