"""E-mail intake from a functional mailbox: messages per second and peak memory for 1,000
messages with attachments read over IMAP (TLS) into the inbox, against a bare imaplib
fetch loop of the same messages from the same server in the same run.

    python bench/imap_intake.py [--messages 1000] [--engine sqlite|postgres]

A real Dovecot (Debian's dovecot-imapd, started here on a free local port as the tests do)
holds N messages, each with a PDF-sized attachment (60 KB) and a text attachment (8 KB).
Each phase runs in its own process, so its peak resident memory (ru_maxrss) is its own:

- bare: log in, UID SEARCH, then UID FETCH BODY.PEEK[] for every message, one at a time
  (what any reader must do at least);
- intake: `registry.intake.polling.poll` on a fresh database: the same fetches, plus
  parsing, hashing, storing the .eml and each attachment by content, and one inbox item
  with its files and audit event per message;
- again: a second poll of the same mailbox (nothing new: what every scheduled poll costs
  while messages wait for their outcome)."""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import engine_env, fresh_database  # noqa: E402

USER, PASSWORD = "ks", "bench-lösen"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare(host: str, port: int, ca: str) -> tuple[int, float]:
    import imaplib
    import ssl

    started = time.perf_counter()
    imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(cafile=ca))
    token = b"\0" + USER.encode() + b"\0" + PASSWORD.encode()
    imap.authenticate("PLAIN", lambda _c: token)
    imap.select("INBOX", readonly=True)
    _s, data = imap.uid("SEARCH", None, "ALL")
    count = 0
    for uid in data[0].split():
        _s, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        count += len(fetched[0][1]) > 0
    imap.logout()
    return count, time.perf_counter() - started


def intake(host: str, port: int, again: bool) -> tuple[int, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    django.setup()
    from diarium.core.actors import OPERATOR
    from diarium.organisation import services as org
    from diarium.organisation.models import Authority
    from diarium.registry import services as registry
    from diarium.registry.intake import polling
    from diarium.registry.intake.models import Mailbox
    from diarium.registry.services import mailboxes

    if not again:
        muni = org.create_municipality(OPERATOR, name="Sjöviks kommun", code="9901")
        authority = org.create_authority(OPERATOR, muni, code="KS", name="Kommunstyrelsen")
        registry.create_series(OPERATOR, authority, code="KS", name="KS")
        mailboxes.create_mailbox(OPERATOR, Authority.objects.get(code="KS"),
                                 mailboxes.MailboxData(name="ks@sjovik.example", host=host,
                                                       port=port, username=USER),
                                 PASSWORD)
    mailbox = Mailbox.objects.select_related("authority").get()
    started = time.perf_counter()
    report = polling.poll(mailbox)
    seconds = time.perf_counter() - started
    if again:  # every message was known: the count is of those checked
        return mailbox.messages.count(), seconds
    return report.new + report.duplicates, seconds


def message(n: int, pdf: bytes, text: bytes) -> bytes:
    import email.utils
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"] = f"Avsändare {n} <a{n}@example.se>", "ks@sjovik.example"
    msg["Subject"] = f"Ansökan nummer {n}"
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = f"<bench-{n}@example.se>"
    msg.set_content(f"Hej!\nHär kommer ansökan nummer {n}.\n")
    msg.add_attachment(pdf + str(n).encode(), maintype="application", subtype="pdf",
                       filename=f"ansökan-{n}.pdf")
    msg.add_attachment(text + str(n).encode(), maintype="text", subtype="plain",
                       filename=f"bilaga-{n}.txt")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def fill(server, count: int) -> None:
    import imaplib

    pdf, text = os.urandom(60 * 1024), b"rad med text\n" * 600
    imap = server.client(USER)
    now = imaplib.Time2Internaldate(time.time())
    for n in range(count):
        imap.append("INBOX", "", now, message(n, pdf, text))
    imap.logout()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--phase")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--ca")
    args = parser.parse_args()
    if args.phase:
        if args.phase == "bare":
            count, seconds = bare(args.host, args.port, args.ca)
        else:
            count, seconds = intake(args.host, args.port, again=args.phase == "again")
        print(f"{count} {seconds} {peak_mb()}")
        return
    from tests import imapserver

    with tempfile.TemporaryDirectory() as tmp:
        server = imapserver.start(Path(tmp), {USER: PASSWORD})
        try:
            started = time.perf_counter()
            fill(server, args.messages)
            print(f"{args.messages} messages appended in {time.perf_counter() - started:.1f} s")
            env = engine_env(args.engine, Path(tmp) / "data", "diarium_bench_imap")
            env["DIARIUM_MAIL_CA_FILE"] = str(server.ca_file)
            fresh_database(args.engine, env, "diarium_bench_imap")
            results = {}
            for name in ("bare", "intake", "again"):
                out = subprocess.run(
                    [sys.executable, __file__, "--phase", name, "--host", server.host,
                     "--port", str(server.port), "--ca", str(server.ca_file)],
                    env=env, check=True, text=True, capture_output=True).stdout
                count, seconds, peak = (float(x) for x in out.strip().splitlines()[-1].split())
                results[name] = (count, seconds, peak)
                what = "known messages checked" if name == "again" else "messages"
                print(f"{name:7s} {int(count):5d} {what} in {seconds:7.2f} s "
                      f"= {count / seconds:7.1f}/s, peak RSS {peak:6.1f} MB")
        finally:
            server.stop()
    (_c, bare_s, bare_mb), (_c2, in_s, in_mb) = results["bare"], results["intake"]
    print(f"ratio intake/bare: time {in_s / bare_s:.1f}, peak memory {in_mb / bare_mb:.2f}")


if __name__ == "__main__":
    main()
