"""Where the board's own documents go in the document management plan: the meeting's case
is classified as "Genomföra sammanträden" and its documents get the record types
"Kallelse", "Protokoll" and "Protokollsutdrag" when the authority's plan in force has
them (the sample plan, SKR's KLASSA style, does); otherwise they stay unclassified, as a
registration without a record type is."""

import datetime as dt

from django.core.exceptions import ValidationError

from diarium.plan import selectors as plan
from diarium.registry import enforcement

MEETING_PROCESS = "1.2.2"
NOTICE, MINUTES, EXTRACT = "Kallelse", "Protokoll", "Protokollsutdrag"


def meeting_process(authority_id, on: dt.date) -> str:
    """The process code for a meeting's case when the plan in force has it, else ""."""
    found = plan.process_in_force(authority_id, MEETING_PROCESS, on)
    return MEETING_PROCESS if found is not None and not enforcement.check_classification(
        authority_id, MEETING_PROCESS, on) else ""


def record_type(authority_id, name: str, on: dt.date) -> str | None:
    """The record type's name when the plan in force has it, else None."""
    try:
        return name if enforcement.resolve_rule(authority_id, name, on) else None
    except ValidationError:
        return None
