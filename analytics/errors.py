"""The one error type for problems a user causes (bad file, unknown province, bad option).

A `UserError` is built from catalog keys (`UserError.keyed("err_file_empty", hint_key=...)`), so
the app shows it in the interface language: `describe(lang)` renders the message, the place
("sheet «X», dòng 12, cột D" / "sheet «X», row 12, column D") and the hint with
`analytics.wording.say`. `str(error)`, `.message` and `.hint` are the Vietnamese rendering, as
the command line prints it. A UserError built from a plain (Vietnamese) message still works: it
describes itself in Vietnamese whatever the language asked.

Values may be plain (a file name, a number already written) or themselves language-dependent:
a `phrase(...)` (`analytics.weak_wording.Part`), a `Num` or a `ByLanguage`, rendered in the
language asked.
"""

from __future__ import annotations

from analytics.wording import DEFAULT_LANGUAGE, N_, language_of, say

WHERE_KEYS = {"sheet": N_("where_sheet"), "row": N_("where_row"), "column": N_("where_column")}


class Joined(tuple):
    """Values shown one after the other with `separator` (each rendered in the message's language)."""

    def __new__(cls, items, separator: str = "; "):
        joined = super().__new__(cls, items)
        joined.separator = separator
        return joined

    def __reduce__(self):
        return Joined, (tuple(self), self.separator)


def render_value(value, lang: str):
    """A value for a message in `lang`: phrases, numbers, two-language texts and problems
    (anything with `describe(lang)`) rendered; the rest as is."""
    from analytics.weak_wording import ByLanguage, Num, Part, render_part, render_value as render_data
    if isinstance(value, Joined):
        return value.separator.join(str(render_value(item, lang)) for item in value)
    if isinstance(value, Part):
        return render_part(value, lang)
    if isinstance(value, (ByLanguage, Num, list, tuple)):
        return render_data(value, lang)
    if callable(getattr(value, "describe", None)) and not isinstance(value, (str, bytes)):
        return value.describe(lang)
    return value


def fill(lang: str, key: str, values: dict) -> str:
    """The catalog's `key` in `lang`, its placeholders filled with `values` rendered in `lang`."""
    lang = language_of(lang)
    return say(lang, key, **{name: render_value(value, lang) for name, value in values.items()})


def location(lang: str, sheet=None, row=None, column=None) -> str:
    """"sheet «X», dòng 12, cột D" in `lang` ("sheet «X», row 12, column D"); parts left out when None."""
    lang = language_of(lang)
    parts = []
    if sheet is not None:
        parts.append(say(lang, WHERE_KEYS["sheet"], sheet=sheet))
    if row is not None:
        parts.append(say(lang, WHERE_KEYS["row"], row=row))
    if column is not None:
        parts.append(say(lang, WHERE_KEYS["column"], column=column))
    return ", ".join(parts)


def located(where: str, message: str, hint: str | None) -> str:
    """"where: message hint" (the same marks in both languages)."""
    text = f"{where}: {message}" if where else message
    return f"{text} {hint}" if hint else text


class UserError(Exception):
    """A problem the user can fix: what went wrong, where, and what to do, in either language.

    `sheet`, `row` and `column` are filled when the problem sits in a workbook cell, so the
    message can point the analyst at it ("sheet «2016_PAPI», dòng 12, cột D").
    Build it with `UserError.keyed(key, hint_key=..., sheet=..., **values)`; the constructor's
    plain `message` (Vietnamese only) is kept for the command line and older code.
    """

    def __init__(self, message: str | None = None, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, hint: str | None = None, key: str | None = None,
                 hint_key: str | None = None, values: dict | None = None):
        if message is None and key is None:
            raise TypeError("UserError needs a message or a key")
        self.key = key
        self.hint_key = hint_key
        self.values = dict(values or {})
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = self.message_in(DEFAULT_LANGUAGE) if key is not None else message
        self.hint = self.hint_in(DEFAULT_LANGUAGE) if hint_key is not None else hint
        super().__init__(self.describe())

    @classmethod
    def keyed(cls, key: str, hint_key: str | None = None, *, sheet: str | None = None, row: int | None = None,
              column: str | None = None, **values) -> "UserError":
        """The error whose message is the catalog's `key` (and hint `hint_key`), filled with `values`.

        Pass keys as literals (or `N_("key")` when chosen at run time) so extraction sees them."""
        return cls(key=key, hint_key=hint_key, values=values, sheet=sheet, row=row, column=column)

    def message_in(self, lang: str) -> str:
        return self.message if self.key is None else fill(lang, self.key, self.values)

    def hint_in(self, lang: str) -> str | None:
        return self.hint if self.hint_key is None else fill(lang, self.hint_key, self.values)

    def location(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return location(lang if self.key is not None else DEFAULT_LANGUAGE, self.sheet, self.row, self.column)

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Where, what and what to do, in `lang` ("vi"/"en"); a plain-message error stays Vietnamese."""
        lang = language_of(lang) if self.key is not None else DEFAULT_LANGUAGE
        return located(self.location(lang), self.message_in(lang), self.hint_in(lang))
