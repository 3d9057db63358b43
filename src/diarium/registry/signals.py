"""Signals the registry sends about its registrations, for apps above it that keep views
of them (the public portal's projection) without the registry importing them.

`registrations_changed` is sent by the registry's write services inside their
transaction, after the change is saved: a receiver that writes in the same database
commits or rolls back with the change itself. It names the cases touched (a document's
change names its case); receivers read what they need themselves, except for cases just
opened: those are handed over as the objects saved (`opened`), which hold every field and
have nothing related yet, so that nobody reads them back.

`cases_opening` is sent before a case's number is taken (outside the transaction when
opening a case is the whole transaction): a receiver writes there what needs no number
(the public board row), so that it is not done while the series' number is locked
(docs/performance.md section 2). What it writes must be right whether or not the case is
then opened."""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent with case_ids: a list of the cases whose registration (the case, its documents,
# parties, markings, files or renditions) changed, and new: True when the cases were
# opened in this transaction (they have no documents, parties or earlier views yet); then
# also cases: the Case objects as saved, with their authority and provision objects.
registrations_changed = Signal()

# Sent with authority_ids: the boards in which cases are about to be opened.
cases_opening = Signal()


def opening(authority_ids: Iterable) -> None:
    """Tell the receivers that cases are about to be opened in these boards."""
    ids = list(dict.fromkeys(authority_ids))
    if ids:
        cases_opening.send(sender="registry", authority_ids=ids)


def changed(case_ids: Iterable) -> None:
    """Tell the receivers that these cases changed (inside the writing transaction)."""
    ids = list(dict.fromkeys(case_ids))
    if ids:
        registrations_changed.send(sender="registry", case_ids=ids, new=False)


def opened(cases: Iterable) -> None:
    """Tell the receivers that these cases were opened in this transaction, handing them
    the objects saved (they have no documents, parties nor related cases yet)."""
    cases = list(cases)
    if cases:
        registrations_changed.send(sender="registry", case_ids=[c.pk for c in cases],
                                   new=True, cases=cases)
