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
name.

Memory stays flat in the number of files: each content file's METS file element and PREMIS
object are serialised in batches into an anonymous temporary file as the file is added
(`_Spool`), and `finish()` streams them into the representation METS and premis.xml between
the parts written around them. Nothing per file is kept but the package path (the sink
refuses a second file whose path differs only in letter case)."""

from __future__ import annotations

import io
import mimetypes
import tempfile
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol

from diarium.archive.validation.formats import identify
from diarium.archive.validation.vocabularies import media_type_problem

from .mets import FileBatch, MetadataRef, package_mets, representation_mets_parts
from .model import REPRESENTATION, FileEntry, PackageInfo, timestamp
from .paths import portable_name, safe_relative
from .premis import ObjectBatch, premis_parts
from .sinks import DirectorySink, Sink, Written, ZipSink

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
BASE_SCHEMAS = ("mets.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd",
                "DILCISExtensionSIPMETS.xsd", "premis-v3-0.xsd")


class _Batch(Protocol):
    separator: bytes

    def add(self, entry: FileEntry) -> bool: ...

    def take(self) -> bytes: ...


class _Spool:
    """Serialised elements of one kind, in an anonymous temporary file."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.count = 0
        self._pending = 0

    def add(self, entry: FileEntry) -> None:
        self.count += 1
        self._pending += 1
        if self.batch.add(entry):
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self.file.write((self.batch.separator if self.file.tell() else b"")
                            + self.batch.take())
            self._pending = 0

    def stream(self, head: bytes, tail: bytes) -> BinaryIO:
        """head, the spooled elements, tail: one stream to copy into the package."""
        self._flush()
        self.file.seek(0)
        return _Concatenated([io.BytesIO(head), self.file, io.BytesIO(tail)])

    def close(self) -> None:
        self.file.close()


class _Concatenated(io.RawIOBase):
    def __init__(self, streams: list[BinaryIO]) -> None:
        super().__init__()
        self._streams = streams

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while self._streams:
            data = self._streams[0].read(size)
            if data:
                return data
            self._streams.pop(0)
        return b""


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
        # representation name -> its METS file elements and PREMIS objects, spooled
        self._mets: dict[str, _Spool] = {}
        self._premis: dict[str, _Spool] = {}
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
        self._close_spools()

    def _close_spools(self) -> None:
        for spool in (*self._mets.values(), *self._premis.values()):
            spool.close()

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
        if representation not in self._mets and portable_name(representation) != representation:
            raise ValueError(f"representation {representation!r} cannot be a folder name")
        written = self._sink.write_stream(
            f"representations/{representation}/data/{relative}", stream)
        entry = self._entry(written, mimetype, original_name, f"file-{self.data_count + 1}",
                            created)
        if representation not in self._mets:
            self._mets[representation] = _Spool(
                FileBatch(self.info, f"representations/{representation}"))
            self._premis[representation] = _Spool(ObjectBatch())
        self._mets[representation].add(entry)
        self._premis[representation].add(entry)
        return entry

    def add_descriptive(self, name: str, data: bytes | BinaryIO, *, mdtype: str = "OTHER",
                        other_mdtype: str = "", version: str = "",
                        mimetype: str = "application/xml") -> FileEntry:
        """data: the document, or a stream to copy it from."""
        return self._metadata_file("descriptive", "dmd", name, data, mdtype, other_mdtype,
                                   version, mimetype)

    def add_provenance(self, name: str, data: bytes, *, other_mdtype: str,
                       mimetype: str = "application/json", folder: str = "other") -> FileEntry:
        """Provenance metadata (e.g. the audit history) referenced from digiprovMD."""
        return self._metadata_file(folder, "digiprov", name, data, "OTHER", other_mdtype, "",
                                   mimetype)

    def _metadata_file(self, folder: str, kind: str, name: str, data: bytes | BinaryIO,
                       mdtype: str, other: str, version: str, mimetype: str) -> FileEntry:
        path = f"metadata/{folder}/{safe_relative(name)}"
        written = (self._sink.write_bytes(path, data) if isinstance(data, bytes)
                   else self._sink.write_stream(path, data))
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
        names = sorted(self._mets)
        head, tail = premis_parts(self.info, [r.entry for r in self._metadata
                                              if r.kind == "dmd"])
        premis = self._sink.write_stream("metadata/preservation/premis.xml",
                                         self._joined_premis(names, head, tail))
        entry = self._entry(premis, "application/xml", "", "premis", None)
        self._metadata.append(MetadataRef("digiprov-premis", "digiprov", entry, "PREMIS",
                                          version="3.0"))
        representations = []
        for name in names:
            written = self._sink.write_stream(
                f"representations/{name}/METS.xml",
                self._mets[name].stream(*representation_mets_parts(self.info, name)))
            representations.append(
                (name, self._entry(written, "application/xml", "", f"mets-{name}", None)))
        self._sink.write_bytes("METS.xml", package_mets(
            self.info, self._metadata, self._documentation, self._schemas, representations))
        path = self._sink.commit(replace=self.replace)
        self._done = True
        self._close_spools()
        return path

    def _joined_premis(self, names: list[str], head: bytes, tail: bytes) -> BinaryIO:
        """The objects of several representations, one after the other."""
        separator = ObjectBatch.separator
        streams: list[BinaryIO] = [io.BytesIO(head)]
        for number, name in enumerate(names):
            if number:
                streams.append(io.BytesIO(separator))
            streams.append(self._premis[name].stream(b"", b""))
        streams.append(io.BytesIO(tail))
        return _Concatenated(streams)

    @property
    def data_count(self) -> int:
        """How many content files were added."""
        return sum(spool.count for spool in self._mets.values())


def _media_type(declared: str | None, identified: str, name: str) -> str:
    """The declared type when it is a registered IANA media type, else what the content or
    the name says, else application/octet-stream."""
    parts = name.split(".")
    # What mimetypes.guess_type looks at: the last suffix, and the one before it when the
    # last is an encoding (.gz, .bz2, …); "file" stands for the rest of the name.
    suffixes = ".".join(["file", *parts[max(1, len(parts) - 2):]])
    return _chosen_media_type(declared or "", identified, suffixes)


@lru_cache(maxsize=1024)
def _chosen_media_type(declared: str, identified: str, name: str) -> str:
    """_media_type, cached by what decides it: a delivery has few kinds of files and many
    files of each."""
    guessed, _ = mimetypes.guess_type(name)
    for candidate in (declared, identified, guessed):
        if candidate and media_type_problem(candidate) is None:
            return candidate.split(";", 1)[0].strip()
    return "application/octet-stream"
