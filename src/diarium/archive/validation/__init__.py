"""E-ARK CSIP 2.1 / SIP 2.1 (FGS Paketstruktur 2.0) package validation.

    report = validate_package("delivery.zip")
    report.valid, report.exit_code, report.findings, report.files
"""

from .report import FileRecord, Finding, Report, Severity
from .validator import PROFILES, validate_open_package, validate_package

__all__ = ["PROFILES", "FileRecord", "Finding", "Report", "Severity", "validate_open_package",
           "validate_package"]
