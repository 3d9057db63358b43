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
