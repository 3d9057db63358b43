"""Lawful disposal (gallring) in the e-archive: disposal lists drawn up from the plan's
disposal dates (build), approved by a second person (services), executed (execute, items)
with a certificate (certificate). See docs/disposal.md."""

from .build import create_run
from .execute import DisposalBusy, check_executable, execute
from .services import approve, place_hold, reject, release_hold

__all__ = ["DisposalBusy", "approve", "check_executable", "create_run", "execute",
           "place_hold", "reject", "release_hold"]
