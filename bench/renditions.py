"""PDF/A renditions per minute with 2 `diarium worker` processes, against a bare
`soffice --convert-to pdf` loop in 2 processes on the same files, in the same run; and OCR
pages per minute through the workers against bare `ocrmypdf -l swe` on the same pages.

The office files are mixed: DOCX (python-docx), and ODT, RTF, XLSX and TXT made from them.
Each is registered in a case (through the registry's services), which queues its
processing job (documents.process: text, PDF/A-2b through LibreOffice with the checks,
preview images, indexing); the rate counts from the first job started to the last one
finished. The bare loop converts each file with its own LibreOffice profile, as the
workers do (one profile per call, so that calls never share state), without PDF/A, checks,
text, previews or storage: the ratio says what all of that and the job machinery cost.

    .venv/bin/python bench/renditions.py [--files 200] [--pages 20]
    DIARIUM_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/diarium_bench \\
        .venv/bin/python bench/renditions.py          (PostgreSQL; dropped and created)"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DIARIUM = [sys.executable, "-m", "diarium"]
WORKERS = 2
KINDS = ("docx", "odt", "rtf", "xlsx", "txt")
SWEDISH = [
    "Kommunstyrelsen föreslås besluta att anta riktlinjerna för digital arkivering.",
    "Förvaltningen har utrett frågan om en ny förskola i Norrby och föreslår att den byggs.",
    "Ärendet har beretts tillsammans med barn- och utbildningsförvaltningen.",
    "Kostnaden beräknas till 42 miljoner kronor, fördelat på tre år.",
]


def make_files(folder: Path, count: int) -> list[Path]:
    """count office files of the KINDS, in turn."""
    from docx import Document as Docx

    folder.mkdir(parents=True)
    seeds = folder / "seeds"
    seeds.mkdir()
    files = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        stem = f"handling-{n:04d}"
        if kind == "txt":
            path = folder / f"{stem}.txt"
            path.write_text("\n".join([f"Handling {n}", *SWEDISH * 3]), encoding="utf-8")
        elif kind == "rtf":
            path = folder / f"{stem}.rtf"
            body = "\\par ".join([f"Handling {n}", *SWEDISH]).encode("ascii", "replace")
            path.write_bytes(b"{\\rtf1\\ansi " + body + b"}")
        else:
            doc = Docx()
            doc.add_heading(f"Tjänsteskrivelse {n}", level=1)
            for paragraph in SWEDISH * 4:
                doc.add_paragraph(paragraph)
            target = folder / f"{stem}.docx" if kind == "docx" else seeds / f"{stem}.docx"
            doc.save(str(target))
            path = folder / f"{stem}.{kind}"
        files.append(path)
    for kind, name in (("odt", "odt"), ("xlsx", "xlsx")):
        batch = [str(seeds / f.with_suffix(".docx").name) for f in files if f.suffix == f".{kind}"]
        if not batch:
            continue
        if kind == "xlsx":  # a table of figures, as a spreadsheet would have
            for source in batch:
                Path(source).with_suffix(".csv").write_text(
                    "År;Kostnad;Intäkt\n2026;42;12\n2027;38;14\n2028;30;15\n", "utf-8")
            batch = [str(Path(b).with_suffix(".csv")) for b in batch]
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", name, "--outdir", str(folder), *batch],
                           check=True, capture_output=True)
    return files


def scanned_pages(folder: Path, count: int) -> list[Path]:
    from tests.documents.samples import scanned_letter

    folder.mkdir(parents=True)
    return [scanned_letter(folder / f"skanning-{n:03d}.jpg",
                           [f"Brev nummer {n} till kommunen", *SWEDISH[:3]])
            for n in range(count)]


# -- the baselines ------------------------------------------------------------------------

def _bare_soffice(paths: list[str], out: str) -> None:
    for path in paths:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(["soffice", "--headless", "--norestore",
                            f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                            "--outdir", out, path], check=True, capture_output=True)


def _bare_ocr(paths: list[str], out: str) -> None:
    for path in paths:
        subprocess.run(["ocrmypdf", "--output-type", "pdfa-2", "-l", "swe", "--quiet",
                        "--jobs", "1", "--image-dpi", "300", path,
                        str(Path(out) / (Path(path).stem + ".pdf"))], check=True)


def bare(target, files: list[Path]) -> float:
    """Seconds for WORKERS processes to go through the files with target."""
    out = tempfile.mkdtemp(prefix="bench-bare-")
    shares = [[str(f) for f in files[i::WORKERS]] for i in range(WORKERS)]
    started = time.perf_counter()
    pool = [multiprocessing.Process(target=target, args=(share, out)) for share in shares]
    for p in pool:
        p.start()
    for p in pool:
        p.join()
        if p.exitcode != 0:
            raise SystemExit("the bare loop failed")
    seconds = time.perf_counter() - started
    shutil.rmtree(out, ignore_errors=True)
    return seconds


# -- through Diarium ----------------------------------------------------------------------

def shell(env: dict, code: str) -> str:
    return subprocess.run([*DIARIUM, "shell", "-v0", "-c", code], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


REGISTER = """
import io, datetime as dt
from pathlib import Path
from diarium.core.jobs.models import Job
from diarium.organisation.models import Authority, Municipality, RoleAssignment, User
from diarium.registry import services
from diarium.registry.models import DiarySeries
muni, _ = Municipality.objects.get_or_create(code="0999", defaults={"name": "Bänkby"})
ks, _ = Authority.objects.get_or_create(code="KS", defaults={"municipality": muni,
                                                              "name": "Kommunstyrelsen"})
series, _ = DiarySeries.objects.get_or_create(code="KS", defaults={"authority": ks,
                                                                   "name": "KS"})
user, made = User.objects.get_or_create(username="bench")
if made:
    RoleAssignment.objects.create(user=user, authority=ks, role="registrar")
Job.objects.all().delete()
case = services.open_case(user, series, services.CaseData(title=TITLE))
for path in PATHS:
    p = Path(path)
    services.register_document(user, case, services.DocumentData(
        direction="incoming", title=p.stem, document_date=dt.date.today()),
        [services.Upload(io.BytesIO(p.read_bytes()), p.name)])
print(Job.objects.filter(state="queued").count())
"""

MEASURE = """
from django.db.models import Max, Min
from diarium.core.jobs.models import Job
from diarium.documents.models import Rendition
bad = list(Job.objects.exclude(state="succeeded").values_list("error", flat=True)[:3])
assert not bad, bad
r = Job.objects.aggregate(a=Min("started_at"), b=Max("finished_at"))
print((r["b"] - r["a"]).total_seconds(), Rendition.objects.filter(state="ok").count())
"""


def through_workers(env: dict, files: list[Path], title: str) -> tuple[float, int]:
    code = REGISTER.replace("TITLE", repr(title)).replace(
        "PATHS", repr([str(f) for f in files]))
    queued = int(shell(env, code).splitlines()[-1])
    assert queued == len(files), (queued, len(files))
    workers = [subprocess.Popen([*DIARIUM, "worker", "--burst", "--no-schedule"], env=env,
                                stdout=subprocess.DEVNULL) for _ in range(WORKERS)]
    for worker in workers:
        if worker.wait() != 0:
            raise SystemExit("a worker failed")
    seconds, made = shell(env, MEASURE).split()
    return float(seconds), int(made)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="diarium-rendition-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIARIUM_")}
    env.update(DIARIUM_DATA_DIR=str(data), DIARIUM_JOB_SCHEDULE="{}",
               DJANGO_SETTINGS_MODULE="diarium.settings", DIARIUM_WORKER_POLL_SECONDS="0.05")
    url = os.environ.get("DIARIUM_BENCH_DATABASE_URL")
    if url:
        from bench.worker_throughput import fresh_database

        fresh_database(url)
        env["DIARIUM_DATABASE_URL"] = url
    subprocess.run([*DIARIUM, "migrate", "-v0"], env=env, check=True)
    print(f"{os.cpu_count()} cores, {WORKERS} workers, "
          f"{'PostgreSQL' if url else 'SQLite'}; files in {data}")

    files = make_files(data / "office", args.files)
    seconds, made = through_workers(env, files, "Renditions")
    rate = len(files) / seconds * 60
    baseline = len(files) / bare(_bare_soffice, files) * 60
    print(f"office files: {len(files)} ({', '.join(KINDS)}), {made} PDF/A renditions made")
    print(f"  renditions/min through the workers  {rate:8.1f}")
    print(f"  bare soffice --convert-to pdf /min  {baseline:8.1f}")
    print(f"  ratio                               {rate / baseline:8.2f}")

    pages = scanned_pages(data / "scans", args.pages)
    seconds, _made = through_workers(env, pages, "OCR")
    rate = len(pages) / seconds * 60
    baseline = len(pages) / bare(_bare_ocr, pages) * 60
    print(f"scanned pages: {len(pages)} (one page each, 300 dpi)")
    print(f"  OCR pages/min through the workers   {rate:8.1f}")
    print(f"  bare ocrmypdf -l swe pages/min      {baseline:8.1f}")
    print(f"  ratio                               {rate / baseline:8.2f}")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
