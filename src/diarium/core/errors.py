"""Exceptions that any layer may raise and the problem responses translate."""


class TooLarge(Exception):
    """Content over a configured size limit (an upload, a file, a request body)."""

    def __init__(self, limit: int):
        super().__init__(f"content exceeds the limit of {limit} bytes")
        self.limit = limit
