"""CITS ERMS (FGS Ärendehantering 2.0) export of closed cases. See docs/erms-export.md."""

from .export import ContentMismatch, NotExportable, closed_cases_to_export, export_case_sip
from .schema import ErmsInvalid, Problem, check_erms, erms_problems
from .state import ExportRecord, export_records, exported_package, package_id

__all__ = ["ContentMismatch", "ErmsInvalid", "ExportRecord", "NotExportable", "Problem",
           "check_erms", "closed_cases_to_export", "erms_problems", "export_case_sip",
           "export_records", "exported_package", "package_id"]
