"""The board's PDF/A work: a kallelse of 30 items with 150 attached documents merged into
one PDF/A, and minutes of 30 paragraphs, each beside a baseline in the same run.

    python bench/board.py [--items 30] [--documents 150] [--pages 2] [--repeat 3]

1. Kallelse: the agenda laid out with fpdf2, the 150 documents' pages appended with
   pikepdf, identified as PDF/A-2b and checked (board/pdfs.make_pdfa) — against a bare
   pikepdf merge of the same 150 PDFs into one file (baseline).
2. Minutes: 30 paragraphs with decisions, votes and remarks laid out and made PDF/A —
   against the same layout written by fpdf2 alone (baseline).
3. The same two from the authority's Word template (board/layouts.py): the DOCX filled
   with the 30 items (docxtpl) and turned into PDF/A by LibreOffice, then the 150
   documents appended (kallelse-template), or alone (minutes-template).
Each variant runs in a fresh process; its time (median of --repeat) and peak resident
memory are printed (for the template variants also LibreOffice's, a child process), and
the ratios to the baseline. No database is used."""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    os.environ.setdefault("DIARIUM_DATA_DIR", data_dir)
    import django

    django.setup()


def _documents(folder: Path, count: int, pages: int) -> list[Path]:
    from diarium.board import pdfs

    paths = []
    for n in range(count):
        path = folder / f"doc-{n}.pdf"
        if not path.exists():
            lines = tuple(f"Rad {i} i handling {n}: " + "text " * 30 for i in range(40 * pages))
            path.write_bytes(pdfs.simple_pdfa(f"Handling {n}", "Bänkby kommun",
                                              [pdfs.Section("Bilaga", lines)]))
        paths.append(path)
    return paths


def _agenda(items: int):
    from diarium.board.pdfs import Section

    return [Section(f"{n}. Ärende nummer {n} om något viktigt (KS 2026/{n})",
                    ("Förslag till beslut: nämnden beslutar enligt förslaget.",))
            for n in range(1, items + 1)]


def _paragraphs(items: int):
    from diarium.board.pdfs import Section

    return [Section(f"§ {n} Ärende nummer {n} (KS 2026/{n})", (
        "Beslut: nämnden beslutar enligt förvaltningens förslag. " * 3,
        "Omröstning: Anna: Ja; Bo: Nej; Cecilia: Ja; David: Avstår",
        "Utfall: bifall med 2 röster mot 1", "Reservation: Bo Vice."))
        for n in range(1, items + 1)]


def variant(name: str, args) -> float:
    """One run of a variant; returns seconds."""
    import pikepdf

    from diarium.board import pdfs

    docs = sorted(Path(args.folder).glob("doc-*.pdf"))[: args.documents]
    started = time.perf_counter()
    if name == "merge":
        with pikepdf.new() as merged:
            for path in docs:
                with pikepdf.open(path) as one:
                    merged.pages.extend(one.pages)
            merged.save(io.BytesIO())
    elif name == "kallelse":
        streams = [path.open("rb") for path in docs]
        try:
            pdfs.make_pdfa(pdfs.layout("Kallelse", "Bänkby kommun", _agenda(args.items)),
                           streams, title="Kallelse")
        finally:
            for stream in streams:
                stream.close()
    elif name == "layout":
        pdfs.layout("Protokoll", "Bänkby kommun", _paragraphs(args.items))
    elif name == "minutes":
        pdfs.simple_pdfa("Protokoll", "Bänkby kommun", _paragraphs(args.items))
    elif name == "kallelse-template":
        streams = [path.open("rb") for path in docs]
        try:
            pdfs.make_pdfa(_from_template(args, _agenda(args.items)), streams,
                           title="Kallelse")
        finally:
            for stream in streams:
                stream.close()
    elif name == "minutes-template":
        pdfs.make_pdfa(_from_template(args, _paragraphs(args.items)), title="Protokoll")
    return time.perf_counter() - started


TEMPLATE = ("Kallelse/protokoll {{ myndighet }}",
            "{{ sammantrade.organ }} {{ sammantrade.datum }} kl. {{ sammantrade.tid }}",
            "{%p for p in punkter %}", "{{ p.rubrik }}", "{%p for r in p.rader %}",
            "{{ r }}", "{%p endfor %}", "{%p endfor %}")


def _from_template(args, sections) -> bytes:
    """The template path of board/layouts.py without the database: fill, convert."""
    from diarium.board import layouts
    from diarium.documents.convert.sandbox import private_folder
    from diarium.registry.demo_templates import docx_bytes

    values = {"myndighet": "Kommunstyrelsen", "sammantrade": {
        "organ": "Kommunstyrelsen", "datum": "2026-11-17", "tid": "09:00", "plats": "Salen"},
        "punkter": [{"nummer": str(n), "rubrik": s.heading, "rader": list(s.lines),
                     "stangd": False} for n, s in enumerate(sections, start=1)]}
    with private_folder() as folder:
        source = folder / "template.docx"
        source.write_bytes(docx_bytes(TEMPLATE))
        return layouts.render_docx(source, values, folder, name="bench")


def child(args) -> None:
    _setup(args.folder)
    times = [variant(args.variant, args) for _ in range(args.repeat)]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # LibreOffice runs as a child process: its peak is reported beside ours.
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"median": statistics.median(times), "peak_mib": peak_kib / 1024,
                      "children_mib": children_kib / 1024}))


def measure(name: str, args) -> dict:
    argv = [sys.executable, __file__, "--variant", name, "--folder", args.folder,
            "--items", str(args.items), "--documents", str(args.documents),
            "--repeat", str(args.repeat)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--documents", type=int, default=150)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variant")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.variant:
        child(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        args.folder = folder
        _setup(folder)
        _documents(Path(folder), args.documents, args.pages)
        results = {name: measure(name, args) for name in (
            "merge", "kallelse", "layout", "minutes", "kallelse-template",
            "minutes-template")}
    for label, name, base in [("kallelse", "kallelse", "merge"),
                              ("minutes", "minutes", "layout"),
                              ("kallelse from a Word template", "kallelse-template", "merge"),
                              ("minutes from a Word template", "minutes-template", "layout")]:
        r, b = results[name], results[base]
        office = (f" (+ LibreOffice {r['children_mib']:.0f} MiB)"
                 if r.get("children_mib") else "")
        print(f"{label}: {r['median']:.3f} s, peak {r['peak_mib']:.0f} MiB{office}; baseline "
              f"{base}: {b['median']:.3f} s, peak {b['peak_mib']:.0f} MiB; "
              f"time ratio {r['median'] / b['median']:.2f}, "
              f"memory ratio {r['peak_mib'] / b['peak_mib']:.2f}")


if __name__ == "__main__":
    main()
