"""Exceptions that any layer may raise and the problem responses translate."""

from django.core.exceptions import ValidationError


class TooLarge(Exception):
    """Content over a configured size limit (an upload, a file, a request body)."""

    def __init__(self, limit: int):
        super().__init__(f"content exceeds the limit of {limit} bytes")
        self.limit = limit


class Conflict(ValidationError):
    """A request that is valid in itself but clashes with the record's state (a document
    checked out by someone else, a final that is not to change): 409 in the API, the
    message on the page, like any ValidationError."""
