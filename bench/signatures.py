"""PAdES signatures and validations per second on one core: Diarium's workflow against
pyHanko alone on the same PDF, in the same run.

Signing (B-B): `registry.services.signatures.sign()` per document — the key unsealed and
opened, the signature made by pyHanko as an incremental update, validated against the
trust list (with a CRL), the new PDF, the report JSON and the report's PDF page stored by
SHA-256, the rows and audit events written — against pyHanko's own SimpleSigner signing
the same PDF/A with the same PKCS#12 key (nothing validated, nothing stored).

Validation: `validate_file()` (read from the file store, every check, report JSON and PDF
stored, audit event) against pyHanko's `validate_pdf_signature` on the same signed PDF
with the same trust list and CRL.

The PDF is a one-page PDF/A rendition made once by the processing job (OCRmyPDF). SQLite
in a temporary data dir; the process is pinned to one core.

    .venv/bin/python bench/signatures.py [--count 20]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-lösen"


def prepare(folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    env.update(DIARIUM_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="diarium.settings")
    subprocess.run([sys.executable, "-m", "diarium", "migrate", "-v0"], env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def trust_files(folder: Path, test_pki) -> None:
    from django.conf import settings

    settings.SIGNATURE_TRUST = [str(test_pki.root.write_pem(folder / "root.pem"))]
    settings.SIGNATURE_OTHER_CERTS = [str(test_pki.issuing.write_pem(folder / "issuing.pem"))]
    (folder / "issuing.crl").write_bytes(test_pki.crl)
    settings.SIGNATURE_CRLS = [str(folder / "issuing.crl")]


def documents(count: int, pdf: bytes):
    """`count` final documents holding the same PDF, and the signer with a key."""
    from tests import factories as f

    from diarium.core.jobs.worker import Worker
    from diarium.registry import services

    ks = f.series(f.authority("KS", name="Kommunstyrelsen"), "KS")
    secretary = f.user("sekreterare", roles={ks.authority: "secretary"})
    chair = f.user("ordforande", roles={ks.authority: "officer"})
    case = f.case(secretary, ks, "Sammanträden", responsible_officer=secretary)
    found = []
    for n in range(count):
        doc = services.create_draft(secretary, case, services.DocumentData(
            direction="internal", title=f"Protokoll {n}", document_date=case.opened_at.date()),
            services.Upload(io.BytesIO(pdf), "protokoll.pdf"))
        found.append(services.finalise(secretary, doc))
        if n == 0:
            Worker(burst=True, scheduler=False, poll=0).run()  # the PDF/A rendition, once
    return secretary, chair, found


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bare_signing(pdf: bytes, p12: bytes, count: int) -> tuple[float, bytes]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load_pkcs12_data(p12, [], passphrase=PASSWORD.encode())
    meta = signers.PdfSignatureMetadata(field_name="Signatur1", md_algorithm="sha256",
                                        subfilter=SigSeedSubFilter.PADES)
    start = time.perf_counter()
    for _ in range(count):
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=signer).sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return per_second(count, time.perf_counter() - start), out.getvalue()


def bare_validation(signed: bytes, count: int) -> float:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature

    from diarium.documents.signing.trust import configured_trust

    trust = configured_trust()
    start = time.perf_counter()
    for _ in range(count):
        reader = PdfFileReader(io.BytesIO(signed))
        for embedded in reader.embedded_regular_signatures:
            status = asyncio.run(async_validate_pdf_signature(
                embedded, signer_validation_context=trust.context()))
            assert status.bottom_line
    return per_second(count, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    folder = Path(tempfile.mkdtemp(prefix="diarium-bench-signatures-"))
    try:
        prepare(folder)
        from tests import pki

        from diarium.core.pdf import make_pdf
        from diarium.documents.signing.evidence import read_all
        from diarium.registry.services import signatures

        test_pki = pki.signing_pki(["Anna Ordförande"])
        trust_files(folder, test_pki)
        page = make_pdf("Protokoll")
        page.add_page()
        page.set_font(page.body_font, size=12)
        page.multi_cell(0, 8, "Protokoll fört vid kommunstyrelsens sammanträde.")
        secretary, chair, docs = documents(args.count, bytes(page.output()))
        p12 = pki.pkcs12(test_pki.signers["Anna Ordförande"], PASSWORD.encode(),
                         [test_pki.issuing])
        signatures.register_pkcs12_key(chair, chair, p12, PASSWORD)
        requests = [signatures.request_signatures(secretary, d.final_version,
                                                  [(chair, "ordförande")]) for d in docs]
        source = read_all(requests[0].source)

        start = time.perf_counter()
        for request in requests:
            signatures.sign(chair, request)
        workflow_sign = per_second(len(requests), time.perf_counter() - start)
        bare_sign, bare_signed = bare_signing(source, p12, args.count)

        files = [d.files.get(original_name="protokoll-signerad.pdf") for d in docs]
        start = time.perf_counter()
        for file in files:
            assert signatures.validate_file(secretary, file).valid
        workflow_validate = per_second(len(files), time.perf_counter() - start)
        bare_validate = bare_validation(bare_signed, args.count)

        print(f"PAdES on one core, {args.count} documents, PDF/A of {len(source)} bytes")
        print(f"{'':<28} {'Diarium /s':>11} {'pyHanko /s':>11} {'ratio':>7}")
        for label, ours, theirs in (("signatures (B-B)", workflow_sign, bare_sign),
                                    ("validations", workflow_validate, bare_validate)):
            print(f"{label:<28} {ours:11.1f} {theirs:11.1f} {ours / theirs:7.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
