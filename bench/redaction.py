"""Masked pages per second, against bare baselines on the same pages in the same run:
pdftoppm rasterising them at the same resolution (the floor of a rasterising method), and
pikepdf opening and saving the file (the floor of any rewrite). Every page of the test PDF
carries one mask, the worst case (unmasked pages are copied, not drawn). Each measurement
runs in a process of its own and reports its peak memory (its own and its children's).

    .venv/bin/python bench/redaction.py [--pages 20] [--dpi 150]"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def make_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_font("helvetica", size=11)
    for number in range(pages):
        pdf.add_page()
        for line in range(40):
            pdf.set_xy(15, 15 + line * 6.5)
            pdf.cell(0, 6, f"Sida {number + 1}, rad {line + 1}: Personnummer 19800101-1234, "
                           "Storgatan 1, 123 45 Kommunby")
    pdf.output(str(path))


def inner(kind: str, source: Path, pages: int, dpi: int) -> dict:
    import django
    from django.conf import settings

    settings.configure(USE_I18N=False)
    django.setup()
    from diarium.disclosure import redaction

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        if kind == "redact":
            boxes = [redaction.Box(p, 0.05, 0.2, 0.95, 0.3) for p in range(1, pages + 1)]
            redaction.redact(source, boxes, Path(tmp) / "out.pdf", dpi=dpi)
        elif kind == "pdftoppm":
            subprocess.run(["pdftoppm", "-r", str(dpi), str(source), str(Path(tmp) / "p")],
                           check=True)
        else:
            import pikepdf

            with pikepdf.open(source) as pdf:
                pdf.save(Path(tmp) / "out.pdf")
        seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "own_mib": own / 1024, "children_mib": children / 1024}


def measure(kind: str, source: Path, pages: int, dpi: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--inner", kind, "--source", str(source),
                          "--pages", str(pages), "--dpi", str(dpi)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--inner")
    parser.add_argument("--source")
    args = parser.parse_args()
    if args.inner:
        print(json.dumps(inner(args.inner, Path(args.source), args.pages, args.dpi)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.pdf"
        make_pdf(source, args.pages)
        results = {kind: measure(kind, source, args.pages, args.dpi)
                   for kind in ("redact", "pdftoppm", "pikepdf")}
    print(f"{args.pages} pages, one mask on each, {args.dpi} dpi")
    for kind, r in results.items():
        rate = args.pages / r["seconds"]
        print(f"  {kind:9} {rate:8.1f} pages/s  {r['seconds']:6.2f} s  peak memory "
              f"{r['own_mib']:6.1f} MiB (children {r['children_mib']:.1f} MiB)")
    redact = results["redact"]["seconds"]
    print(f"  redaction / pdftoppm time ratio: {redact / results['pdftoppm']['seconds']:.2f}")
    print(f"  redaction / pikepdf open+save time ratio: "
          f"{redact / results['pikepdf']['seconds']:.1f}")


if __name__ == "__main__":
    main()
