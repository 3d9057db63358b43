"""Signals the plan sends for apps above it (the public portal's projection)."""

from django.dispatch import Signal

# Sent with record_type_ids inside the writing transaction when whether a record type's
# documents may be published changed.
record_types_changed = Signal()
