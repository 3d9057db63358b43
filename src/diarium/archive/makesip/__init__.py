"""make-sip: an E-ARK SIP from a folder of files and a metadata file (docs/make-sip.md)."""

from .build import check, make_sip
from .reading import Issue, MetadataError
from .scan import SourceChanged

__all__ = ["Issue", "MetadataError", "SourceChanged", "check", "make_sip"]
