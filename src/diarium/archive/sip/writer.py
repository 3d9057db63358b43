"""The streaming SIP writer.

    with SipWriter(out_dir, info, as_zip=True) as sip:
        sip.add_data("3/beslut.pdf", stream, original_name="beslut.pdf")
        sip.add_descriptive("erms.xml", erms_bytes, other_mdtype="ERMS", version="2.1.2")
        sip.add_schema("ERMS.xsd", path_to_schema)
    path = sip.path  # out_dir/<OBJID>/ or out_dir/<OBJID>.zip

Layout (E-ARK CSIP/SIP 2.1 = FGS Paketstruktur 2.0):
    METS.xml
    metadata/descriptive/…   dmdSec
    metadata/preservation/premis.xml, metadata/other/…   amdSec/digiprovMD
    representations/rep1/METS.xml, representations/rep1/data/…
    schemas/…   every XML schema the package uses
    documentation/…

Content is hashed while it is written. The package is built under a temporary name and
renamed into place by `finish()`; an exception inside the `with` block (or an explicit
`abort()`) removes the temporary package, so nothing partial is ever left under the real
name."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from diarium.archive.validation.formats import identify
from diarium.archive.validation.vocabularies import media_type_problem

from .mets import MetadataRef, package_mets, representation_mets
from .model import REPRESENTATION, FileEntry, PackageInfo, timestamp
from .paths import portable_name, safe_relative
from .premis import premis_xml
from .sinks import DirectorySink, Sink, Written, ZipSink

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_SCHEMAS = ("mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd",
                "DILCISExtensionSIPMETS.xsd", "premis-v3-0.xsd")


class SipWriter:
    def __init__(self, out_dir: Path, info: PackageInfo, *, as_zip: bool = False,
                 replace: bool = False):
        if portable_name(info.objid) != info.objid or "/" in info.objid:
            raise ValueError(f"package id {info.objid!r} cannot be a folder name")
        self.info = info
        self.replace = replace
        out_dir = Path(out_dir)
        self.path = out_dir / (f"{info.objid}.zip" if as_zip else info.objid)
        self._sink: Sink = (ZipSink(self.path, info.objid) if as_zip
                            else DirectorySink(self.path))
        self._data: dict[str, list[FileEntry]] = {}  # representation name -> its files
        self._metadata: list[MetadataRef] = []
        self._documentation: list[FileEntry] = []
        self._schemas: list[FileEntry] = []
        self._done = False

    # -- context manager: abort on any exception -----------------------------------------
    def __enter__(self) -> SipWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None or not self._done:
            self.abort()

    def abort(self) -> None:
        if not self._done:
            self._sink.abort()
            self._done = True

    # -- adding content ----------------------------------------------------------------
    def _entry(self, written: Written, mimetype: str | None, original_name: str, ident: str,
               created: str | None) -> FileEntry:
        name = written.path.rsplit("/", 1)[-1]
        fmt = identify(written.head, written.tail, name)
        return FileEntry(path=written.path, size=written.size, sha256=written.sha256,
                         mimetype=_media_type(mimetype, fmt.mimetype, name), format=fmt,
                         created=created or timestamp(), original_name=original_name,
                         ident=ident)

    def add_data(self, relative: str, stream: BinaryIO, *, mimetype: str | None = None,
                 original_name: str = "", created: str | None = None,
                 representation: str = REPRESENTATION) -> FileEntry:
        """A content file, at representations/<representation>/data/<relative>."""
        relative = safe_relative(relative)
        if portable_name(representation) != representation:
            raise ValueError(f"representation {representation!r} cannot be a folder name")
        written = self._sink.write_stream(
            f"representations/{representation}/data/{relative}", stream)
        number = sum(len(entries) for entries in self._data.values()) + 1
        entry = self._entry(written, mimetype, original_name, f"file-{number}", created)
        self._data.setdefault(representation, []).append(entry)
        return entry

    def add_descriptive(self, name: str, data: bytes, *, mdtype: str = "OTHER",
                        other_mdtype: str = "", version: str = "",
                        mimetype: str = "application/xml") -> FileEntry:
        return self._metadata_file("descriptive", "dmd", name, data, mdtype, other_mdtype,
                                   version, mimetype)

    def add_provenance(self, name: str, data: bytes, *, other_mdtype: str,
                       mimetype: str = "application/json", folder: str = "other") -> FileEntry:
        """Provenance metadata (e.g. the audit history) referenced from digiprovMD."""
        return self._metadata_file(folder, "digiprov", name, data, "OTHER", other_mdtype, "",
                                   mimetype)

    def _metadata_file(self, folder: str, kind: str, name: str, data: bytes, mdtype: str,
                       other: str, version: str, mimetype: str) -> FileEntry:
        written = self._sink.write_bytes(f"metadata/{folder}/{safe_relative(name)}", data)
        ident = f"{kind}-{len(self._metadata) + 1}"
        entry = self._entry(written, mimetype, "", ident, None)
        self._metadata.append(MetadataRef(ident, kind, entry, mdtype, other, version))
        return entry

    def add_documentation(self, name: str, data: bytes, mimetype: str = "text/plain") -> None:
        written = self._sink.write_bytes(f"documentation/{safe_relative(name)}", data)
        ident = f"doc-{len(self._documentation) + 1}"
        self._documentation.append(self._entry(written, mimetype, "", ident, None))

    def add_schema(self, name: str, source: Path) -> None:
        if any(e.path == f"schemas/{name}" for e in self._schemas):
            return
        with open(source, "rb") as stream:
            written = self._sink.write_stream(f"schemas/{safe_relative(name)}", stream)
        ident = f"schema-{len(self._schemas) + 1}"
        self._schemas.append(self._entry(written, "application/xml", "", ident, None))

    # -- finishing -----------------------------------------------------------------------
    def finish(self) -> Path:
        """Write PREMIS and the METS documents and move the package into place."""
        if self._done:
            raise RuntimeError("the package was already finished or aborted")
        for name in BASE_SCHEMAS:
            self.add_schema(name, SCHEMA_DIR / name)
        described = [r.entry for r in self._metadata if r.kind == "dmd"] + self.data_entries
        premis = self._sink.write_bytes("metadata/preservation/premis.xml",
                                        premis_xml(self.info, described))
        entry = self._entry(premis, "application/xml", "", "premis", None)
        self._metadata.append(MetadataRef("digiprov-premis", "digiprov", entry, "PREMIS",
                                          version="3.0"))
        representations = []
        for name in sorted(self._data):
            written = self._sink.write_bytes(
                f"representations/{name}/METS.xml",
                representation_mets(self.info, name, self._data[name]))
            representations.append(
                (name, self._entry(written, "application/xml", "", f"mets-{name}", None)))
        self._sink.write_bytes("METS.xml", package_mets(
            self.info, self._metadata, self._documentation, self._schemas, representations))
        path = self._sink.commit(replace=self.replace)
        self._done = True
        return path

    @property
    def data_entries(self) -> list[FileEntry]:
        return [entry for name in sorted(self._data) for entry in self._data[name]]


def _media_type(declared: str | None, identified: str, name: str) -> str:
    """The declared type when it is a registered IANA media type, else what the content or
    the name says, else application/octet-stream."""
    guessed, _ = mimetypes.guess_type(name)
    for candidate in (declared, identified, guessed):
        if candidate and media_type_problem(candidate) is None:
            return candidate.split(";", 1)[0].strip()
    return "application/octet-stream"
