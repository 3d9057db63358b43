"""What of the registry goes into the search index: a case's number, titles and parties;
a document's descriptions; and the text inside each of its files (extracted or OCR-ed by
the processing job, documents/processing.py). A file's text is as secret as its document:
a marked document, a draft, or a document in a marked case (each entry is `restricted`
then, kept in step with the case's marking by index_case; see selectors._text_q) is found
by its text only by the case's access group.

Personnummer written in free text or inside files are indexed masked (19811218-XXXX): the
text search must not confirm a number to someone who may not read it. Those who may find
cases by identity number with the search's party field (registry/selectors.py)."""

from diarium.documents.models import ExtractedText
from diarium.registry.identity import mask_identity_numbers
from diarium.registry.models import Case, Document, DocumentStatus
from diarium.search.backends import Entry, index, mark_case, place_case, remove_keys


def case_entry(case: Case, party_names: list[str]) -> Entry:
    text = " ".join([case.diary_number, case.title, case.public_title, *party_names])
    return Entry(f"case:{case.pk}", case.pk, case.is_secret, mask_identity_numbers(text),
                 authority=case.authority_id, case_secret=case.is_secret,
                 opened_at=case.opened_at)


def _secret(doc: Document) -> bool:
    # A draft's words are found by the case's access group only, like a secret document's.
    return doc.is_secret or doc.is_draft


def document_entry(doc: Document) -> Entry:
    record_type = doc.rule.name if doc.rule_id else ""  # the plan's name for it
    text = " ".join([doc.title, doc.public_title, doc.sender_recipient, record_type])
    return Entry(f"document:{doc.pk}", doc.case_id, _secret(doc), mask_identity_numbers(text),
                 authority=doc.case.authority_id, case_secret=doc.case.is_secret,
                 opened_at=doc.case.opened_at)


def file_key(file_id) -> str:
    return f"file:{file_id}"


def file_entries(doc: Document) -> list[Entry]:
    """One entry per file of the document whose text has been extracted."""
    if doc.status == DocumentStatus.DISPOSED:
        return []
    files = list(doc.files.values_list("pk", "content_id"))
    texts = dict(ExtractedText.objects.filter(source__in=[c for _pk, c in files])
                 .values_list("source", "text"))
    return [Entry(file_key(pk), doc.case_id, _secret(doc),
                  mask_identity_numbers(texts[content]),
                  authority=doc.case.authority_id, case_secret=doc.case.is_secret,
                  opened_at=doc.case.opened_at)
            for pk, content in files if texts.get(content)]


def index_case(case: Case, *, new: bool = False) -> None:
    """Index the case's own entry, and keep its documents' and files' entries in step
    with its marking (search/models.py). A new case has no parties nor documents yet."""
    names = [] if new else list(case.case_parties.values_list("party__name", flat=True))
    if not new:
        place_case(case.pk, case.opened_at)
    index([case_entry(case, names)], new_case=new)
    if not new:
        mark_case(case.pk, case.is_secret)


def index_document(doc: Document) -> None:
    index([document_entry(doc), *file_entries(doc)])


def remove_document(doc: Document) -> None:
    """Take a document and its files' text out of the index (it was disposed of)."""
    files = [file_key(pk) for pk in doc.files.values_list("pk", flat=True)]
    remove_keys([f"document:{doc.pk}", *files])


def index_many(cases: list[tuple[Case, list[str]]], documents: list[Document]) -> None:
    """Index many cases (each with its parties' names) and documents at once."""
    index([case_entry(case, names) for case, names in cases]
          + [document_entry(doc) for doc in documents])
