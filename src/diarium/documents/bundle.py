"""One PDF/A made of many: an index (already PDF/A) followed by PDF/A renditions, with a
bookmark per part. The index is the base, so its PDF/A identification (XMP) and output
intent carry over; the parts are PDF/A-2b renditions (documents/processing.py), so what is
appended keeps to PDF/A too. Nothing is rewritten: the parts' pages are copied."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf


@dataclass(frozen=True)
class Part:
    title: str
    path: Path


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def bundle(index: Path, index_title: str, parts: list[Part], out: Path) -> Path:
    """`index` then every part, bookmarked, written to `out`."""
    opened: list[pikepdf.Pdf] = []
    with pikepdf.open(index) as base:
        try:
            starts = []
            for part in parts:
                source = pikepdf.open(part.path)
                opened.append(source)
                starts.append(len(base.pages))
                base.pages.extend(source.pages)
            with base.open_outline() as outline:
                outline.root.clear()
                outline.root.append(pikepdf.OutlineItem(index_title, 0))
                for part, start in zip(parts, starts, strict=True):
                    outline.root.append(pikepdf.OutlineItem(part.title, start))
            base.save(out)
        finally:
            for source in opened:
                source.close()
    return out
