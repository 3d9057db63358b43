"""A short passage of a text around the first words that match a query, with those words
marked: what a search hit shows of a file's text. Words match as the index matches them:
by their Snowball stem, as a prefix (so "bygglov" marks "bygglovet")."""

from __future__ import annotations

import re

from diarium.search.backends import query_stems, stem

WORD = re.compile(r"\w+", re.UNICODE)
WIDTH = 90


def snippet(text: str, query: str, width: int = WIDTH) -> list[tuple[str, bool]]:
    """Segments (text, marked) of the passage; empty when no word of text matches."""
    stems = query_stems(query)
    if not stems:
        return []
    hits = [m for m in WORD.finditer(text)
            if any(stem(m.group()).startswith(s) for s in stems)]
    if not hits:
        return []
    start = max(0, hits[0].start() - width)
    end = min(len(text), hits[0].end() + width)
    segments: list[tuple[str, bool]] = [("… " if start else "", False)]
    position = start
    for hit in hits:
        if hit.start() < start or hit.end() > end:
            continue
        segments.append((_flat(text[position:hit.start()]), False))
        segments.append((hit.group(), True))
        position = hit.end()
    segments.append((_flat(text[position:end]) + (" …" if end < len(text) else ""), False))
    return [(piece, marked) for piece, marked in segments if piece]


def _flat(piece: str) -> str:
    return re.sub(r"\s+", " ", piece)
