"""The plan's PDF export: seconds per PDF of the sample plan (data/sample_plan.csv, about
a hundred processes and two hundred record types), against a baseline measured in the same
run: the same document with its tables laid out by fpdf2's own `table()` (how the export
was made before; it measures every cell character by character, twice). Also the floor:
the same document with empty tables (the headings, the font and writing the file).

    .venv/bin/python bench/plan_pdf.py [--repeat 5]

Only the rendering is timed (the plan is parsed from the CSV once, no database)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def fpdf_table(pdf, layout, rules) -> None:
    """The former layout: fpdf2's table() with the same columns, sizes and fill."""
    from fpdf.fonts import FontFace

    from diarium.plan.io import pdf as plan_pdf

    pdf.set_font(pdf.body_font, size=7)
    style = FontFace(emphasis="BOLD", fill_color=plan_pdf.HEADER_FILL)
    with pdf.table(col_widths=plan_pdf.WIDTHS, width=sum(plan_pdf.WIDTHS), text_align="LEFT",
                   v_align="TOP", headings_style=style, line_height=plan_pdf.LINE_HEIGHT,
                   padding=plan_pdf.PADDING) as table:
        header = table.row()
        for text in plan_pdf._headings():
            header.cell(pdf.clean(text))
        for rule in rules:
            row = table.row()
            for text in plan_pdf.rule_cells(rule):
                row.cell(pdf.clean(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    os.environ.setdefault("DIARIUM_DATA_DIR", tempfile.mkdtemp(prefix="bench-plan-pdf-"))
    import django

    django.setup()
    from django.utils import translation

    from diarium.plan.io import parsing, reading
    from diarium.plan.io import pdf as plan_pdf
    from diarium.plan.sample import BASE_FILE

    translation.activate("sv")
    parsed = parsing.parse_table(reading.read_table(BASE_FILE.read_bytes(), "csv"))
    meta = plan_pdf.PdfMeta("Informationshanteringsplan", "Version 1")
    ours = plan_pdf._table
    layouts = {"diarium": ours, "fpdf2 table()": fpdf_table,
               "empty tables": lambda pdf, layout, rules: None}
    results: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for _ in range(args.repeat):  # interleaved, so that load on the machine hits all alike
        for name, table in layouts.items():
            plan_pdf._table = table
            try:
                start = time.perf_counter()
                data = plan_pdf.render(parsed.processes, parsed.rules, meta)
                results.setdefault(name, []).append(time.perf_counter() - start)
                sizes[name] = len(data)
            finally:
                plan_pdf._table = ours
    print(f"sample plan: {len(parsed.processes)} processes, {len(parsed.rules)} record types; "
          f"median of {args.repeat}")
    for name, times in results.items():
        print(f"  {name:14} {statistics.median(times):6.2f} s  (min {min(times):.2f} s, "
              f"{sizes[name] / 1024:.0f} KiB)")
    ours_s = statistics.median(results["diarium"])
    print(f"  fpdf2 table() / diarium time ratio: "
          f"{statistics.median(results['fpdf2 table()']) / ours_s:.1f}")
    print(f"  diarium / empty tables time ratio: "
          f"{ours_s / statistics.median(results['empty tables']):.1f}")


if __name__ == "__main__":
    main()
