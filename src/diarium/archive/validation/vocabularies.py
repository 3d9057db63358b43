"""Controlled vocabularies of E-ARK CSIP 2.1 and SIP 2.1, and the IANA media type check."""

from __future__ import annotations

import mimetypes
import re
from functools import cache
from pathlib import Path

CONTENT_CATEGORIES = {
    "Textual works – Print", "Textual works – Digital", "Textual works – Electronic Serials",
    "Digital Musical Composition (score-based representations)", "Musical Scores - Print",
    "Musical Scores - Digital", "Photographs – Print", "Photographs – Digital",
    "Other Graphic Images – Print", "Other Graphic Images – Digital", "Microforms",
    "Audio – On Tangible Medium (digital or analog)", "Audio – Media-independent (digital)",
    "Motion Pictures – Digital and Physical Media", "Video – File-based and Physical Media",
    "Software", "Software and Video Games", "Email", "Datasets", "Geospatial Data",
    "Geographic Information System (GIS) - Vector Data", "GIS Raster and Georeferenced Images",
    "GIS Vector and Raster Combined", "Non-GIS Cartographic", "2D and 3D Computer Aided Design",
    "Design (schematics, architectural drawings) - Print",
    "Scanned 3D Objects (output from photogrammetry scanning)", "Databases", "Websites",
    "Web Archives", "Collection", "Event", "Image", "Interactive resource", "Moving image",
    "Sound", "Still image", "Text", "Physical object", "Service", "Mixed", "Other",
}
CONTENT_CATEGORIES_FOLDED = {c.casefold() for c in CONTENT_CATEGORIES}
# The vocabulary file and the extension schema spell a few values differently: accept both.
CONTENT_INFORMATION_TYPES = {
    "ERMS", "SIARD1", "SIARD2", "SIARDDK", "GeoData", "citscarchival_v1_0",
    "cscarchival_v1_0", "citcarchival_v1_0", "citsarchival_v1_0", "csarchival_v1_0",
    "citserms_v2_1", "citserms_v3_0", "citspremis_v1_0", "cspremis_v1_0", "citsehpj_v1_0",
    "citsehpj_v2_0", "citsehcr_v1_0", "citssiard_v1_0", "citsgeospatial_v3_0",
    "cits3dpm_v1_0", "MIXED", "OTHER",
}
OAIS_PACKAGE_TYPES = {"SIP", "AIP", "DIP", "AIU", "AIC"}
NOTE_TYPES = {"SOFTWARE VERSION", "IDENTIFICATIONCODE"}
STATUS = {"SUPERSEDED", "CURRENT"}
FILE_GROUP_LABELS = ("Documentation", "Schemas", "Representations", "Metadata")
RECORD_STATUS = {"NEW", "SUPPLEMENT", "REPLACEMENT", "TEST", "VERSION", "DELETE", "OTHER"}
ALT_RECORD_ID_TYPES = {"SUBMISSIONAGREEMENT", "PREVIOUSSUBMISSIONAGREEMENT", "REFERENCECODE",
                       "PREVIOUSREFERENCECODE"}

CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"

# RFC 6838: top-level types registered with IANA, and the restricted-name syntax.
TOP_LEVEL_TYPES = {"application", "audio", "example", "font", "haptics", "image", "message",
                   "model", "multipart", "text", "video"}
_RESTRICTED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")
# Types E-ARK packages commonly carry that a system's mime.types may lack.
_EXTRA_REGISTERED = {
    "application/xml", "text/xml", "application/pdf", "text/plain", "text/csv",
    "application/json", "application/zip", "application/gzip", "image/tiff", "image/png",
    "image/jpeg", "image/jp2", "image/gif", "image/svg+xml", "audio/mpeg", "audio/wav",
    "video/mp4", "application/octet-stream", "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet", "message/rfc822", "text/html",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword", "application/vnd.ms-excel", "application/xml-dtd",
}


@cache
def registered_media_types() -> frozenset[str]:
    """Media types known to be registered: Python's table, the system's mime.types files
    (all entries, also those without a file extension) and a few archive staples."""
    mimetypes.init()
    known = set(mimetypes.types_map.values()) | set(mimetypes.common_types.values())
    for name in mimetypes.knownfiles:
        path = Path(name)
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            fields = line.split("#", 1)[0].split()
            if fields and "/" in fields[0]:
                known.add(fields[0])
    return frozenset(t.lower() for t in known | _EXTRA_REGISTERED)


def media_type_problem(value: str) -> tuple[str, str] | None:
    """None when `value` is a registered IANA media type, else (Swedish, English) reason."""
    essence = value.split(";", 1)[0].strip()
    top, _, sub = essence.partition("/")
    if not sub or not _RESTRICTED_NAME.match(top) or not _RESTRICTED_NAME.match(sub):
        return ("har inte formen typ/undertyp", "is not of the form type/subtype")
    if top.lower() not in TOP_LEVEL_TYPES:
        return (f"'{top}' är ingen registrerad toppnivåtyp hos IANA",
                f"'{top}' is not an IANA top-level type")
    if essence.lower() not in registered_media_types():
        return ("är ingen registrerad medietyp hos IANA", "is not an IANA-registered media type")
    return None
