"""What of the registry goes into the search index."""

from diarium.registry.models import Case, Document
from diarium.search.backends import Entry, index, remove_keys


def case_entry(case: Case, party_names: list[str]) -> Entry:
    text = " ".join([case.diary_number, case.title, case.public_title, *party_names])
    return Entry(f"case:{case.pk}", case.pk, case.is_secret, text)


def document_entry(doc: Document) -> Entry:
    record_type = doc.rule.name if doc.rule_id else ""  # the plan's name for it
    text = " ".join([doc.title, doc.public_title, doc.sender_recipient, record_type])
    return Entry(f"document:{doc.pk}", doc.case_id, doc.is_secret, text)


def index_case(case: Case) -> None:
    names = list(case.case_parties.values_list("party__name", flat=True))
    index([case_entry(case, names)])


def index_document(doc: Document) -> None:
    index([document_entry(doc)])


def remove_document(doc: Document) -> None:
    """Take a document out of the index (it was disposed of)."""
    remove_keys([f"document:{doc.pk}"])


def index_many(cases: list[tuple[Case, list[str]]], documents: list[Document]) -> None:
    """Index many cases (each with its parties' names) and documents at once."""
    index([case_entry(case, names) for case, names in cases]
          + [document_entry(doc) for doc in documents])
