"""After the METS documents are read: stream every referenced file once, compare its size
and checksum with what the METS says, identify its format, and build the file inventory."""

from __future__ import annotations

from .context import Context, Expected
from .fixity import ScanResult, converted_digest
from .report import FileRecord, Severity

# Only text files this small get the second, line-ending-converted look.
MAX_CRLF_RECHECK = 64 << 20


def verify_files(ctx: Context, tolerate_line_endings: bool = False) -> list[FileRecord]:
    requests: dict[str, set[str]] = {}
    shared: dict[frozenset[str], set[str]] = {}  # one set per combination, not per file
    for expected in ctx.expected:
        algorithms = requests.get(expected.path, set())
        if expected.checksum_type and expected.checksum_type not in algorithms:
            wanted = frozenset(algorithms | {expected.checksum_type})
            requests[expected.path] = shared.setdefault(wanted, set(wanted))
        elif expected.path not in requests:
            requests[expected.path] = shared.setdefault(frozenset(), set())
    results = ctx.package.scan(requests)
    records: dict[str, FileRecord] = {}
    for expected in ctx.expected:
        result = results.get(expected.path)
        if result is None:
            continue
        record = records.get(expected.path)
        if record is None:
            found = result.format
            record = records[expected.path] = FileRecord(
                path=expected.path,
                size=result.size,
                declared_mimetype=expected.mimetype,
                puid=found.puid,
                format_name=found.name,
                format_version=found.version,
                sha256=result.digests.get("SHA-256", ""),
            )
        _compare(ctx, expected, result, record, tolerate_line_endings)
    return sorted(records.values(), key=lambda r: r.path)


def _converted(ctx: Context, expected: Expected, result: ScanResult) -> bool:
    """True when the file matches the METS once its line endings are converted (LF <-> CRLF)."""
    if not expected.checksum_type or result.size > MAX_CRLF_RECHECK or result.binary:
        return False
    for to_crlf in (True, False):
        with ctx.package.open_member(expected.path) as stream:
            converted = converted_digest(stream, expected.checksum_type, to_crlf)
        if converted is not None and converted[1] == expected.checksum and \
                expected.size in (None, converted[0]):
            return True
    return False


def _compare(ctx: Context, expected: Expected, result: ScanResult, record: FileRecord,
             tolerate_line_endings: bool) -> None:
    reqs = expected.requirements
    actual = result.digests.get(expected.checksum_type, "") if expected.checksum_type else ""
    size_wrong = expected.size is not None and expected.size != result.size
    checksum_wrong = bool(expected.checksum_type) and actual.lower() != expected.checksum
    if expected.checksum_type:
        record.checksum_type = expected.checksum_type
        record.checksum_ok = not checksum_wrong if record.checksum_ok is None else (
            record.checksum_ok and not checksum_wrong)
    if not (size_wrong or checksum_wrong):
        return
    if _converted(ctx, expected, result):
        severity = Severity.WARN if tolerate_line_endings else Severity.ERROR
        ctx.add(reqs["CHECKSUM"],
                f"{expected.path}: storlek och kontrollsumma stämmer bara om radsluten "
                "konverteras (LF/CRLF); filen har konverterats under överföringen (t.ex. FTP i "
                "ASCII-läge eller git)",
                f"{expected.path}: size and checksum only match with converted line endings "
                "(LF/CRLF); the file was converted in transit (e.g. FTP ASCII mode or git)",
                expected.location, severity)
        return
    if size_wrong:
        ctx.error(reqs["SIZE"], f"{expected.path}: SIZE är {expected.size} byte men filen är "
                  f"{result.size} byte", f"{expected.path}: SIZE is {expected.size} bytes but "
                  f"the file has {result.size} bytes", expected.location)
    if checksum_wrong:
        ctx.error(reqs["CHECKSUM"], f"{expected.path}: fel kontrollsumma ({expected.checksum_type}"
                  f" är {actual}, METS anger {expected.checksum})",
                  f"{expected.path}: wrong checksum ({expected.checksum_type} is {actual}, the "
                  f"METS says {expected.checksum})", expected.location)
