"""A readable comparison of two versions' texts: line by line (one line per paragraph, as
convert/text.py extracts them), each line kept, removed or added, with unchanged stretches
longer than a few lines folded so that the changes stand out."""

import difflib
from dataclasses import dataclass

CONTEXT = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same, removed, added, fold
    text: str
    old_number: int | None = None
    new_number: int | None = None


def text_diff(old: str, new: str, context: int = CONTEXT) -> list[DiffLine]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = [DiffLine("same", old_lines[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
            if len(same) > 2 * context + 1:
                head = same[:context] if result else []
                tail = same[-context:] if i2 < len(old_lines) or j2 < len(new_lines) else []
                hidden = len(same) - len(head) - len(tail)
                same = [*head, DiffLine("fold", str(hidden)), *tail]
            result.extend(same)
            continue
        result.extend(DiffLine("removed", old_lines[i], i + 1, None) for i in range(i1, i2))
        result.extend(DiffLine("added", new_lines[j], None, j + 1) for j in range(j1, j2))
    return result


def changed(lines: list[DiffLine]) -> bool:
    return any(line.kind in ("removed", "added") for line in lines)
