"""E-mail messages for the tests, made with the standard library: ordinary ones with
attachments, and hostile ones (a huge attachment, a path in a file name, a MIME bomb)."""

from __future__ import annotations

import email.utils
from email.message import EmailMessage


def message(subject: str = "Synpunkt på detaljplan", *, sender: str = "Anna <anna@example.se>",
            body: str = "Hej!\nJag har synpunkter på planen.\n",
            attachments: list[tuple[str, bytes, str]] = (), message_id: str | None = None,
            to: str = "kommunstyrelsen@sjovik.se") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="example.se")
    msg.set_content(body)
    for name, data, content_type in attachments:
        main, sub = content_type.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def mime_bomb(depth: int = 200, subject: str = "Bomb") -> bytes:
    head = (f"From: x@example.se\r\nSubject: {subject}\r\nMessage-ID: <bomb{depth}@example.se>"
            "\r\nMIME-Version: 1.0\r\n")
    out = [head]
    for i in range(depth):
        out.append(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n')
    out.append("Content-Type: text/plain\r\n\r\nhej\r\n")
    out.extend(f"--b{i}--\r\n" for i in reversed(range(depth)))
    return "".join(out).encode()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def outlook_msg(subject: str = "Ansökan om bygglov", *, sender: str = "anna@example.se",
                body: str = "Hej, här kommer ansökan.",
                attachments: list[tuple[str, bytes]] = (),
                message_id: str = "<outlook-1@example.se>") -> bytes:
    """A minimal Outlook .msg (a compound file of MAPI properties), written with
    extract-msg's OLE writer: subject, sender, body, Message-ID and attachments by value."""
    import struct
    import tempfile
    from pathlib import Path

    from extract_msg.ole_writer import OleWriter

    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    def props(header: bytes, entries: list[tuple[int, int, bytes]]) -> bytes:
        out = header
        for tag, flags, value in entries:
            out += struct.pack("<II", tag, flags) + value.ljust(8, b"\0")[:8]
        return out

    def variable(tag: int, data: bytes) -> tuple[int, int, bytes]:
        return tag, 6, struct.pack("<II", len(data) + (2 if tag & 0xFFFF == 0x1F else 0), 0)

    writer = OleWriter()
    # The named-property map, empty (the reader requires its three streams).
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    strings = {
        0x001A001F: "IPM.Note", 0x0037001F: subject, 0x0C1A001F: sender,
        0x0C1F001F: sender, 0x1000001F: body, 0x1035001F: message_id,
        0x0E1D001F: subject,
    }
    entries = []
    for tag, value in strings.items():
        writer.addEntry(f"__substg1.0_{tag:08X}", text(value))
        entries.append(variable(tag, text(value)))
    for n, (name, data) in enumerate(attachments):
        storage = f"__attach_version1.0_#{n:08X}"
        writer.addEntry(storage, storage=True)
        writer.addEntry(f"{storage}/__substg1.0_3707001F", text(name))
        writer.addEntry(f"{storage}/__substg1.0_3704001F", text(name))
        writer.addEntry(f"{storage}/__substg1.0_37010102", data)
        writer.addEntry(f"{storage}/__properties_version1.0", props(b"\0" * 8, [
            variable(0x3707001F, text(name)), variable(0x3704001F, text(name)),
            (0x37010102, 6, struct.pack("<II", len(data), 0)),
            (0x37050003, 6, struct.pack("<I", 1)),  # attach method: by value
        ]))
    header = b"\0" * 8 + struct.pack("<IIII", 0, len(attachments), 0, len(attachments))
    header += b"\0" * 8
    writer.addEntry("__properties_version1.0", props(header, entries))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "message.msg"
        writer.write(path)
        return path.read_bytes()
