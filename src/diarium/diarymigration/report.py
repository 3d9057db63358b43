"""What checking an export found: every problem with where it is (file, row, column), and
the counts of what would be (or was) brought in."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
# Problems kept for the report; past this only their number grows (a broken export can
# have a problem on every one of a million rows, and memory stays flat).
MAX_KEPT = 10_000


@dataclass(frozen=True)
class Issue:
    """A problem: the file (or package), the row (the line in a CSV file, the header being
    row 1; none in a package), the column (or the ERMS element) and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        label = "" if self.severity == ERROR else f"{self.severity}: "
        return f"{where}: {label}{self.message}"


@dataclass
class Report:
    """Problems found and the counts of what is (to be) brought in."""

    issues: list[Issue] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    cases: int = 0  # read
    new_cases: int = 0  # to bring in (or brought in)
    skipped_cases: int = 0  # brought in before with the same content
    documents: int = 0
    parties: int = 0
    files: int = 0
    bytes: int = 0
    brought_in: dict[str, int] = field(default_factory=dict)

    def add(self, issue: Issue) -> None:
        if issue.severity == ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.issues) < MAX_KEPT:
            self.issues.append(issue)

    def error(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.add(Issue(file, row, column, message))

    def warning(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.add(Issue(file, row, column, message, WARNING))

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def left_out(self) -> int:
        return self.errors + self.warnings - len(self.issues)

    def sorted_issues(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: (i.file, i.row or 0, i.column or "",
                                                  i.message))
