"""Problems found in a plan file, each with its row and column."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Issue:
    row: int | None  # the spreadsheet row (the header is row 1); None for the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return _("Column %(column)s: %(message)s") % {
                "column": self.column, "message": self.message}
        return self.message


class PlanFileError(Exception):
    """The file cannot be imported. Nothing was imported; `issues` lists every problem."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=lambda i: (i.row or 0, i.column or ""))
        super().__init__("\n".join(str(i) for i in self.issues))
