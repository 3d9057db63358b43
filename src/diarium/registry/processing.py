"""What happens to a document's files after they are registered or made final: the
background jobs that make renditions, extract text and index it (registry/tasks.py)."""

from __future__ import annotations

from diarium.core.actors import Actor
from diarium.registry.models import Document


def after_files_added(actor: Actor, doc: Document) -> None:
    """Queue the processing of the document's files (in the caller's transaction)."""
