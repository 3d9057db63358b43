"""Request body parsers for the API that refuse hostile input before it costs anything.

The rule they keep: a body is checked for size and nesting before it is parsed, so a
deeply nested or oversized document gets a 400/413 problem instead of a RecursionError
(a 500) or a worker held busy; and an uploaded file is never silently dropped because of
its name (Django's multipart parser discards a file called `..` and the request would
otherwise succeed without it)."""

import codecs
import json
import re

from django.conf import settings
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from diarium.core.errors import TooLarge

# Strings (whose brackets do not count) and the brackets that open or close a level.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")
# Django's multipart parser drops a file part whose name sanitises to nothing; the marker
# keeps the part so that the field can be refused by name (see MultiPartParser below). It
# starts with a control character, which sanitising removes from every real name.
_UNSAFE_NAME = "\x00refused"


def read_limited(stream, limit: int) -> bytes:
    """The whole body, or TooLarge (a 413 problem) as soon as it passes `limit` bytes."""
    if stream is None:
        return b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(limit)
    return body


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True when arrays and objects nest deeper than `limit`. Brackets inside strings do
    not count. Linear in the body's length; the regex does the scanning in C."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # too few brackets to nest that deep: the common case costs two counts
    depth = 0
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser behind a size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) and a nesting
    limit (DIARIUM_MAX_JSON_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        limit = settings.MAX_JSON_DEPTH
        if json_depth_exceeds(body, limit):
            raise ParseError(
                _("JSON nested deeper than %(limit)d levels is refused.") % {"limit": limit}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(body, encoding)
            return json.loads(text, parse_constant=_refuse_constant) if text else None
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not a JSON value")


class FormParser(parsers.FormParser):
    """DRF's form parser behind the same size limit as JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = read_limited(stream, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return super().parse(_Body(body), media_type, parser_context)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        return self.data


class _KeepUnsafeNames(DjangoMultiPartParser):
    def sanitize_file_name(self, file_name):
        return super().sanitize_file_name(file_name) or _UNSAFE_NAME


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, except that a file whose name is a path without a file name
    (`..`, `.`, `a/..`) is refused with a field error instead of being dropped."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            parser = _KeepUnsafeNames(meta, stream, request.upload_handlers, encoding)
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(_("The multipart body is malformed: %(error)s") % {"error": exc}) \
                from exc
        refused = {field for field, uploads in files.lists()
                   if any(upload.name == _UNSAFE_NAME for upload in uploads)}
        if refused:
            message = _("The file name is not a valid file name.")
            raise ValidationError({field: [message] for field in sorted(refused)})
        return parsers.DataAndFiles(data, files)
