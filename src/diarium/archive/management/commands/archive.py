"""`diarium archive <subcommand>`: e-archive tools.

    diarium archive validate PATH [--json] [--lang en] [--profile auto|csip|sip] [--files]
                                  [--strict] [--all]
    diarium archive export-cases [--authority KS] [--out DIR] [--since DATE] [--zip] …
                                 [--ingest [--keep] [--user NAME] [--watch [--interval S]]]
    diarium archive reindex [--package ID] [--missing]
    diarium archive make-sip SOURCE --metadata FILE --out DIR [--zip] [--replace]
    diarium archive ingest PATH... [--agreement REF] [--user NAME] [--quiet]
    diarium archive verify [--location NAME] [--package ID] [--max-mb-per-second N] [--workers N]
    diarium archive agreement add|list ...
    diarium archive dispose RUN_ID [--user NAME] [--quiet]

Exit codes of `validate`: 0 valid, 1 a MUST requirement is broken, 2 the package cannot be
read at all. More subcommands (ingest, verify, export-cases, make-sip) plug in as further
sub-parsers with a handler each."""

from __future__ import annotations

import json
import re
from collections import Counter

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diarium.archive.cli import agreement as agreement_cli
from diarium.archive.cli import dispose as dispose_cli
from diarium.archive.cli import ingest as ingest_cli
from diarium.archive.cli import reindex as reindex_cli
from diarium.archive.cli import verify as verify_cli
from diarium.archive.erms import cli as export_cli
from diarium.archive.makesip import cli as make_sip_cli
from diarium.archive.validation import PROFILES, Report, Severity, validate_package
from diarium.archive.validation.requirements import title

_ORDER = {Severity.ERROR: 0, Severity.WARN: 1, Severity.INFO: 2}
_LABELS = {
    "sv": {"package": "Paket", "profile": "regler", "valid": "GILTIGT", "invalid": "EJ GILTIGT",
           "unreadable": "KAN INTE LÄSAS", "summary": "{e} fel, {w} varningar, {i} upplysningar",
           "files": "Filer kontrollerade", "formats": "Format", "strict": "strikt",
           "more": "… och {n} till av samma slag (visa alla med --all)"},
    "en": {"package": "Package", "profile": "rules", "valid": "VALID", "invalid": "NOT VALID",
           "unreadable": "CANNOT BE READ", "summary": "{e} errors, {w} warnings, {i} notes",
           "files": "Files checked", "formats": "Formats", "strict": "strict",
           "more": "… and {n} more of the same kind (list them all with --all)"},
}


# Sub-commands kept in modules of their own (diarium.archive.cli): add_parser and run.
MODULES = {"ingest": ingest_cli, "verify": verify_cli, "agreement": agreement_cli,
           "export-cases": export_cli, "make-sip": make_sip_cli, "reindex": reindex_cli,
           "dispose": dispose_cli}


def _natural(requirement: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", requirement))


class Command(BaseCommand):
    help = "E-archive tools. `diarium archive validate PATH` checks an E-ARK CSIP/SIP package."
    # Django's system checks (models, admin, templates, URLs) are for `diarium check` and
    # the server's start: run before every ingest of a package they cost about 2 s of CPU
    # (docs/performance.md), 7 % of an ingest of 10 000 small files.
    requires_system_checks: list = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="SUBCOMMAND")
        validate = actions.add_parser(
            "validate", help="Check a package (folder, .zip, .tar[.gz]) against E-ARK CSIP/SIP "
            "2.1 (FGS Paketstruktur 2.0) or 2.2.")
        validate.add_argument("path", help="The package: a folder, a ZIP or a TAR file.")
        validate.add_argument("--json", action="store_true", help="Print the report as JSON.")
        validate.add_argument("--lang", choices=["sv", "en"], default="sv",
                              help="Language of the text report (default sv).")
        validate.add_argument("--profile", choices=PROFILES, default="auto",
                              help="Rules to apply (default auto: as the package's declared "
                              "profile says; the version, 2.1 or 2.2, always follows it).")
        validate.add_argument("--files", action="store_true",
                              help="List every checked file with its PRONOM format.")
        validate.add_argument("--strict", action="store_true",
                              help="Package-level rules (the software agent, the Metadata "
                              "division) are errors in representation METS too.")
        validate.add_argument("--all", action="store_true", dest="all_findings",
                              help="Every finding, not the first ten of each requirement.")
        for module in MODULES.values():
            module.add_parser(actions)

    def handle(self, *args, **options) -> None:
        if options["action"] in MODULES:
            MODULES[options["action"]].run(self, **options)
            return
        handlers = {"validate": self._validate}
        handlers[options["action"]](**options)

    def _validate(self, path: str, json: bool, lang: str, profile: str, files: bool,
                  strict: bool, all_findings: bool, **_options) -> None:
        report = validate_package(path, profile=profile, strict=strict, keep_all=all_findings)
        if json:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(self._text(report, lang, files))
        if report.exit_code:
            labels = _LABELS[lang]
            verdict = labels["unreadable"] if report.unreadable else labels["invalid"]
            raise CommandError(f"{report.package}: {verdict}", returncode=report.exit_code)

    def _text(self, report: Report, lang: str, list_files: bool) -> str:
        labels = _LABELS[lang]
        verdict = (labels["unreadable"] if report.unreadable else
                   labels["valid"] if report.valid else labels["invalid"])
        rules = report.rules + (f", {labels['strict']}" if report.strict else "")
        lines = [
            f"{labels['package']}: {report.package}"
            + (f" ({labels['profile']} {rules})" if report.profile else ""),
            f"{verdict}: " + labels["summary"].format(e=report.count(Severity.ERROR),
                                                      w=report.count(Severity.WARN),
                                                      i=report.count(Severity.INFO)),
        ]
        grouped: dict[str, list] = {}
        for finding in report.findings:
            grouped.setdefault(finding.requirement, []).append(finding)
        ordered = sorted(grouped.items(), key=lambda item: (
            min(_ORDER[f.severity] for f in item[1]), _natural(item[0])))
        for requirement, findings in ordered:
            lines.append("")
            lines.append(f"{requirement}  {title(requirement, lang)}")
            for finding in sorted(findings, key=lambda f: _ORDER[f.severity]):
                where = f"  [{finding.location}]" if finding.location else ""
                lines.append(f"  {finding.severity:<5}  {finding.text(lang)}{where}")
            for severity in sorted({f.severity for f in findings}, key=_ORDER.get):
                if omitted := report.omitted[(requirement, severity)]:
                    lines.append(f"  {severity:<5}  {labels['more'].format(n=omitted)}")
        if report.files:
            formats = Counter(r.puid or "?" for r in report.files)
            lines.append("")
            lines.append(f"{labels['files']}: {len(report.files)}; {labels['formats']}: "
                         + ", ".join(f"{p} ×{n}" for p, n in formats.most_common()))
            if list_files:
                for record in report.files:
                    state = {True: "ok", False: "FEL" if lang == "sv" else "BAD",
                             None: "-"}[record.checksum_ok]
                    lines.append(f"  {state:<4} {record.puid or '?':<10} {record.size:>12}  "
                                 f"{record.path}")
        return "\n".join(lines)


def _dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
