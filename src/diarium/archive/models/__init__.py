"""The e-archive's data: archive creators, submission agreements, storage locations,
packages (SIP in, AIP stored) with their inventory, copies, preservation events and jobs."""

from .creators import PROFILE_CHOICES, ArchiveCreator, SubmissionAgreement
from .events import EventType, IngestJob, JobStatus, Outcome, PreservationEvent
from .packages import FINAL_STATES, AIPFile, FileRole, Package, PackageState
from .storage import GOOD_COPY_STATES, CopyState, LocationKind, StorageCopy, StorageLocation

__all__ = [
    "FINAL_STATES",
    "GOOD_COPY_STATES",
    "PROFILE_CHOICES",
    "AIPFile",
    "ArchiveCreator",
    "CopyState",
    "EventType",
    "FileRole",
    "IngestJob",
    "JobStatus",
    "LocationKind",
    "Outcome",
    "Package",
    "PackageState",
    "PreservationEvent",
    "StorageCopy",
    "StorageLocation",
    "SubmissionAgreement",
]
