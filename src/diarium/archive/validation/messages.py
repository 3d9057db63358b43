"""Building findings. Checks give their message in Swedish and English; the package readers
use the shared templates below."""

from __future__ import annotations

from .report import Finding, Severity
from .requirements import default_severity


def make(
    requirement: str,
    sv: str,
    en: str,
    location: str = "",
    severity: Severity | None = None,
    version: str = "2.1",
) -> Finding:
    return Finding(requirement, severity or default_severity(requirement, version), sv, en,
                   location)


# (requirement, key) -> (Swedish, English); {path} and {detail} are filled in.
TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    ("PACKAGE", "not_found"): (
        "Paketet finns inte: {path}",
        "The package does not exist: {path}",
    ),
    ("PACKAGE", "not_a_package"): (
        "Varken en mapp, en ZIP-fil eller en TAR-fil: {path}",
        "Neither a folder, a ZIP file nor a TAR file: {path}",
    ),
    ("SAFE-ARCHIVE", "corrupt"): (
        "Arkivfilen är trasig eller avkortad och kan inte läsas: {detail}",
        "The archive file is corrupt or truncated and cannot be read: {detail}",
    ),
    ("SAFE-ARCHIVE", "member_unreadable"): (
        "Filen {path} i arkivet kan inte läsas: {detail}",
        "The file {path} in the archive cannot be read: {detail}",
    ),
    ("SAFE-PATH", "unsafe"): (
        "Osäker sökväg i arkivet (absolut eller med ..), filen hoppas över: {path}",
        "Unsafe path in the archive (absolute or with ..), the member is skipped: {path}",
    ),
    ("SAFE-PATH", "duplicate"): (
        "Samma sökväg förekommer två gånger i paketet: {path}",
        "The same path occurs twice in the package: {path}",
    ),
    ("SAFE-LINK", "link"): (
        "Symbolisk länk eller hård länk i paketet, den följs inte: {path}",
        "Symbolic or hard link in the package, it is not followed: {path}",
    ),
    ("SAFE-LINK", "special"): (
        "Specialfil (enhet, FIFO eller socket) i paketet hoppas över: {path}",
        "Special file (device, FIFO or socket) in the package is skipped: {path}",
    ),
    ("SAFE-LINK", "package_symlink"): (
        "Paketet är en symbolisk länk och läses inte: {path}",
        "The package is a symbolic link and is not read: {path}",
    ),
    ("SAFE-SIZE", "too_many"): (
        "Paketet har fler filer än gränsen {detail}",
        "The package has more members than the limit {detail}",
    ),
    ("SAFE-SIZE", "member_too_large"): (
        "Filen {path} är större än gränsen ({detail} byte) och läses inte",
        "The file {path} is larger than the limit ({detail} bytes) and is not read",
    ),
    ("SAFE-SIZE", "bomb"): (
        "Filen {path} packas upp till {detail} byte, mer än 1000 gånger sin packade storlek "
        "(dekomprimeringsbomb), och läses inte",
        "The file {path} expands to {detail} bytes, over 1000 times its compressed size "
        "(decompression bomb), and is not read",
    ),
    ("SAFE-SIZE", "encrypted"): (
        "Filen {path} är krypterad och kan inte kontrolleras",
        "The file {path} is encrypted and cannot be checked",
    ),
    ("CSIPSTR1", "no_single_root"): (
        "Arkivfilen packas inte upp till en enda rotmapp",
        "The archive does not unpack to a single root folder",
    ),
}


def finding(
    requirement: str,
    key: str,
    location: str = "",
    severity: Severity | None = None,
    path: str = "",
    detail: object = "",
) -> Finding:
    sv, en = TEMPLATES[(requirement, key)]
    return make(
        requirement,
        sv.format(path=path, detail=detail),
        en.format(path=path, detail=detail),
        location,
        severity,
    )
