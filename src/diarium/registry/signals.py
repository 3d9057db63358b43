"""Signals the registry sends about its registrations, for apps above it that keep views
of them (the public portal's projection) without the registry importing them.

`registrations_changed` is sent by the registry's write services inside their
transaction, after the change is saved: a receiver that writes in the same database
commits or rolls back with the change itself. It names the cases touched (a document's
change names its case); receivers read what they need themselves."""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with case_ids: a list of the cases whose registration (the case, its documents,
# parties, markings, files or renditions) changed, and new: True when the cases were
# opened in this transaction (they have no documents, parties or earlier views yet).
registrations_changed = Signal()


def changed(case_ids: Iterable, *, new: bool = False) -> None:
    """Tell the receivers that these cases changed (inside the writing transaction)."""
    ids = list(dict.fromkeys(case_ids))
    if ids:
        registrations_changed.send(sender="registry", case_ids=ids, new=new)
