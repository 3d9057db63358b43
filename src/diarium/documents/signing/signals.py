"""What others may listen for. `signatures_completed` is sent once, after the commit of the
transaction in which the last signer of a request signed, with:

    request      the documents.SignatureRequest (status completed; `purpose` says who asked,
                 e.g. "board.minutes"; `current` is the fully signed PDF)
    document_id  the registry.Document's UUID
    version_id   the registry.DocumentVersion's UUID that was signed

A receiver must not fail the signing (it runs after the commit): it does its own work in
its own transaction (e.g. the board marks the minutes justerade)."""

from django.dispatch import Signal

signatures_completed = Signal()
