"""Preservation events in words, in the reader's language.

An event's summary is stored as a code with its figures (`PreservationEvent.summary`,
`{"code": ..., "params": {...}}`) and put in words when it is shown: Swedish in the Swedish
UI, English in the English one, with plural forms ("1 varning", "2 varningar"). The English
words are also the event's `detail`, which the AIP's PREMIS metadata carries. An event
without a summary (rows older than the field, or a failure that carries another system's
own error text) shows its detail as it is: technical detail may stay technical, the
summaries are what a reader meets first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diarium.archive.aip.inventory import PlannedEvent


def _warnings(n: int) -> str:
    return ngettext("%(n)s warning", "%(n)s warnings", n) % {"n": n}


def _errors(n: int) -> str:
    return ngettext("%(n)s error", "%(n)s errors", n) % {"n": n}


def _files(n: int) -> str:
    return ngettext("%(n)s file", "%(n)s files", n) % {"n": n}


def _valid(p: dict) -> str:
    head = _("Valid as %(rules)s") % {"rules": p["rules"]}
    if p.get("fgs"):
        head += " (FGS Paketstruktur 2.0)"
    if p.get("strict"):
        head += _(", strict representation METS")
    checked = ngettext("%(n)s file checked", "%(n)s files checked", p["files"]) % {
        "n": p["files"]}
    return f"{head}: {_warnings(p['warnings'])}, {checked}"


def _invalid(p: dict) -> str:
    return _("Not valid: %(errors)s (%(requirements)s), %(warnings)s") % {
        "errors": _errors(p["errors"]), "requirements": p["requirements"],
        "warnings": _warnings(p["warnings"])}


def _ingest_fixity(p: dict) -> str:
    return ngettext(
        "%(n)s file: the size and checksum the SIP declares matched; SHA-256 computed",
        "%(n)s files: the sizes and checksums the SIP declares matched; SHA-256 computed "
        "for every file", p["files"]) % {"n": p["files"]}


def _aip_made(p: dict) -> str:
    return _("AIP %(aip)s made from SIP %(sip)s delivered under submission agreement "
             "%(agreement)s") % p


def _copy_problems(p: dict) -> str:
    """A copy that does not verify (storage.verify.Verdict): what is wrong with it."""
    if p.get("gone"):
        return _("%(location)s: the copy is missing") % p
    parts = []
    for key, words in (
            ("missing", lambda n: ngettext("%(n)s file missing", "%(n)s files missing", n)),
            ("changed", lambda n: ngettext("%(n)s file changed", "%(n)s files changed", n)),
            ("unexpected", lambda n: ngettext("%(n)s unexpected file",
                                              "%(n)s unexpected files", n))):
        paths = p.get(key) or []
        if paths:
            count = p.get(f"{key}_count", len(paths))
            more = " …" if count > len(paths) else ""
            parts.append(f"{words(count) % {'n': count}}: {', '.join(paths)}{more}")
    return f"{p['location']}: " + ("; ".join(parts) or _("all files match"))


def _dissemination(p: dict) -> str:
    refused = ngettext("%(n)s record refused", "%(n)s records refused", p["refused"]) % {
        "n": p["refused"]}
    masked = ngettext("%(n)s masked", "%(n)s masked", p["masked"]) % {"n": p["masked"]}
    return _("DIP %(objid)s to %(recipient)s: %(files)s, %(refused)s, %(masked)s; SHA-256 "
             "%(sha256)s") % {**p, "files": _files(p["files"]), "refused": refused,
                              "masked": masked}


def _copy_disposed(p: dict) -> str:
    removed = ", ".join(p.get("removed") or []) or _("nothing was in place")
    return _("%(location)s: disposed of under %(decision)s (disposal list %(list)s); "
             "removed: %(removed)s") % {**p, "removed": removed}


TEXTS: dict[str, Callable[[dict], str]] = {
    "validation.valid": _valid,
    "validation.invalid": _invalid,
    "ingest.fixity": _ingest_fixity,
    "ingest.aip_made": _aip_made,
    "ingest.restarted": lambda p: _(
        "An earlier attempt stopped before any copy was in place; starting again."),
    "copy.written": lambda p: _("Written, flushed, read back and verified"),
    "copy.copied": lambda p: _("Copied from %(source)s, read back and verified") % p,
    "copy.found": lambda p: _("Found in place after an interrupted ingest; verified"),
    "copy.problems": _copy_problems,
    "fixity.ok": lambda p: _("%(location)s: all files match the inventory (SHA-256)") % p,
    "dissemination": _dissemination,
    "deletion.copy": _copy_disposed,
    "deletion.dip": lambda p: _(
        "DIP %(file)s removed from the server (disposal list %(list)s)") % p,
}


@dataclass(frozen=True)
class Summary:
    """One event's summary: a code of TEXTS and its figures (JSON values)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """In the active language."""
        return TEXTS[self.code](self.params)

    def english(self) -> str:
        """The event's detail (and PREMIS eventDetail)."""
        with translation.override("en"):
            return self.text()

    def stored(self) -> dict:
        return {"code": self.code, "params": self.params}


def planned(event_type: str, outcome: str, summary: Summary) -> PlannedEvent:
    """An event for the AIP's PREMIS and the database, its detail the English words."""
    return PlannedEvent(event_type, outcome, summary.english(), summary=summary.stored())


def shown(event) -> str:
    """The event's summary in the active language, else its detail as it is."""
    data = event.summary or {}
    render = TEXTS.get(data.get("code", ""))
    if render is None:
        return event.detail
    try:
        return render(data.get("params") or {})
    except (KeyError, TypeError, ValueError):  # a row written by other code: its detail
        return event.detail
