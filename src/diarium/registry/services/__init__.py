"""Every write to the registry: one function per use case, transactional, audited.

Views, the API, the command line and tasks all call these; none writes a model itself.
The use cases live in one module per kind of record; this package exposes them all."""

from diarium.registry.services._common import (
    MAX_NAME_LENGTH,
    CaseData,
    Secrecy,
    StoredUpload,
    Upload,
    case_snapshot,
    document_snapshot,
    require_may_add,
)
from diarium.registry.services.cases import (
    close_case,
    grant_case_access,
    open_case,
    relate_cases,
    reopen_case,
    set_dormant,
    update_case,
    void_case,
)
from diarium.registry.services.documents import (
    DocumentData,
    default_secrecy,
    note_shown,
    register_document,
    register_in_new_case,
    register_stored_document,
    register_stored_in_new_case,
    safe_file_name,
    store_uploads,
    void_document,
)
from diarium.registry.services.inbox import (
    dismiss_inbox_item,
    keep_inbox_item,
    place_inbox_item,
    place_inbox_item_in_new_case,
    receive_mail,
    receive_message,
    receive_refused_message,
)
from diarium.registry.services.parties import add_party, create_party
from diarium.registry.services.series import create_series, update_series

__all__ = [
    "MAX_NAME_LENGTH",
    "CaseData",
    "DocumentData",
    "Secrecy",
    "StoredUpload",
    "Upload",
    "add_party",
    "case_snapshot",
    "close_case",
    "create_party",
    "create_series",
    "default_secrecy",
    "dismiss_inbox_item",
    "document_snapshot",
    "grant_case_access",
    "keep_inbox_item",
    "note_shown",
    "open_case",
    "place_inbox_item",
    "place_inbox_item_in_new_case",
    "receive_mail",
    "receive_message",
    "receive_refused_message",
    "register_document",
    "register_in_new_case",
    "register_stored_document",
    "register_stored_in_new_case",
    "relate_cases",
    "reopen_case",
    "require_may_add",
    "safe_file_name",
    "set_dormant",
    "store_uploads",
    "update_case",
    "update_series",
    "void_case",
    "void_document",
]
