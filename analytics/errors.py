"""The one error type for problems a user causes (bad file, unknown province, bad option)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix, with a Vietnamese message and where it happened.

    `sheet`, `row` and `column` are filled when the problem sits in a workbook cell, so the
    message can point the analyst at it ("Sheet 2016_PAPI, dòng 12, cột D").
    """

    def __init__(self, message: str, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, hint: str | None = None):
        self.message = message
        self.sheet = sheet
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.describe())

    def location(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} {self.hint}" if self.hint else text
