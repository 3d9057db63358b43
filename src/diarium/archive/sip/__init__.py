"""Writing E-ARK SIP 2.1 packages (CSIP 2.1, FGS Paketstruktur 2.0). See writer.SipWriter."""

from .model import ERMS_CONTENT_TYPE, Agent, FileEntry, PackageInfo
from .paths import UnsafePath, path_problem, safe_relative
from .sinks import stale_partials
from .writer import SCHEMA_DIR, SipWriter

__all__ = ["ERMS_CONTENT_TYPE", "SCHEMA_DIR", "Agent", "FileEntry", "PackageInfo", "SipWriter",
           "UnsafePath", "path_problem", "safe_relative", "stale_partials"]
