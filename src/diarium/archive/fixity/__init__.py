"""Fixity audits of stored AIPs, with repair of damaged or missing copies."""

from .audit import AuditResult, audit

__all__ = ["AuditResult", "audit"]
