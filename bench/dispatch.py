"""Dispatch by e-mail: messages per second through Diarium against bare smtplib sending the
same messages to the same SMTP server in the same run.

    python bench/dispatch.py [--recipients 200] [--engine sqlite|postgres]

One aiosmtpd server (in this process, on a free local port, as the tests start it) receives
both phases. A fresh database holds one case with a final decision (its PDF/A made by the
real processing job first, not timed).

- bare: smtplib over one connection, one message per recipient built with the email
  package (From, To, Subject, Message-ID, a text body and the same PDF/A attached);
- diarium: `dispatch_by_email` to the same recipients (checks, the dispatch and recipient
  rows, the audit event, the job) and the job run here as a worker runs it (a message per
  recipient with the cover letter filled in, each outcome stored as it happens).

Small runs only here; the figures are ratios, measured at scale elsewhere."""

import argparse
import io
import os
import smtplib
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tests import smtpserver  # noqa: E402

from _common import engine_env, fresh_database  # noqa: E402

DB = "diarium_bench_dispatch"


def setup_world(server):
    from tests.workers import run_jobs

    from diarium.core.actors import OPERATOR
    from diarium.organisation import services as org
    from diarium.organisation.models import RoleAssignment, User
    from diarium.registry import demo_templates, services
    from diarium.registry.dispatch import setup

    muni = org.create_municipality(OPERATOR, name="Bänkby kommun", code="9902")
    authority = org.create_authority(OPERATOR, muni, code="KS", name="Kommunstyrelsen")
    series = services.create_series(OPERATOR, authority, code="KS", name="KS")
    user = User.objects.create_user("bench", password="x")
    RoleAssignment.objects.create(user=user, authority=authority, role="registrar")
    setup.save_settings(OPERATOR, authority, setup.SettingsData(
        host=server.host, port=server.port, security="none",
        from_address="ks@bankby.example", from_name="Kommunstyrelsen"))
    case = services.open_case(user, series, services.CaseData(title="Bygglov"))
    upload = services.Upload(io.BytesIO(demo_templates.docx_bytes(["Beslut", "Beviljas."])),
                             "beslut.docx")
    import datetime as dt

    doc = services.register_document(user, case, services.DocumentData(
        title="Beslut om bygglov", direction="outgoing",
        document_date=dt.date.today()), [upload])
    run_jobs()
    return user, doc


def bare(server, addresses: list[str], attachment: bytes, subject: str) -> float:
    started = time.perf_counter()
    smtp = smtplib.SMTP(server.host, server.port)
    for address in addresses:
        message = EmailMessage()
        message["From"] = "Kommunstyrelsen <ks@bankby.example>"
        message["To"] = address
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="bankby.example")
        message.set_content("Hej,\n\nHär kommer beslutet.\n")
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="beslut.pdf")
        smtp.send_message(message)
    smtp.quit()
    return time.perf_counter() - started


def through_diarium(user, doc, addresses: list[str]) -> float:
    from tests.workers import run_jobs

    from diarium.registry.dispatch import services as dispatching
    from diarium.registry.dispatch.recipients import RecipientInput

    wanted = dispatching.DispatchRequest(recipients=[
        RecipientInput("email", name=f"Mottagare {n}", email=a)
        for n, a in enumerate(addresses)])
    started = time.perf_counter()
    dispatching.dispatch_by_email(user, doc, wanted)
    run_jobs()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = engine_env(args.engine, Path(tmp) / "data", DB)
        fresh_database(args.engine, env, DB)
        os.environ.update(env, DJANGO_SETTINGS_MODULE="diarium.settings")
        import django

        django.setup()
        from diarium.documents.models import StoredFile
        from diarium.documents.services import open_content
        from diarium.registry.dispatch import letters, services

        server = smtpserver.start()
        try:
            user, doc = setup_world(server)
            pdfa = services.pdfa_of(services.file_to_send(doc))
            with open_content(StoredFile.objects.get(sha256=pdfa)) as stream:
                attachment = stream.read()
            subject = letters.default_subject(doc)
            addresses = [f"mottagare{n}@example.org" for n in range(args.recipients)]
            bare_s = bare(server, addresses, attachment, subject)
            diarium_s = through_diarium(user, doc, addresses)
            assert len(server.received) == 2 * args.recipients, len(server.received)
        finally:
            server.stop()
    n = args.recipients
    print(f"engine={args.engine} recipients={n} attachment={len(attachment)} bytes")
    print(f"bare smtplib:  {n / bare_s:8.1f} messages/s ({bare_s:.2f} s)")
    print(f"diarium:       {n / diarium_s:8.1f} messages/s ({diarium_s:.2f} s)")
    print(f"ratio diarium/bare: {bare_s / diarium_s:.2f}")


if __name__ == "__main__":
    main()
