"""The product's wording: one gettext catalog per language under `locale/`, read with Babel.

Message IDs are keys (`app_title`, `places_up`); both Vietnamese and English are translations, so
editing either language's sentence never breaks the other (unlike a table keyed on the
Vietnamese sentence). The .po files are read directly (`babel.messages.pofile.read_po`) and turned
into a `gettext.GNUTranslations` in memory, so a fresh clone needs no compile step.

Analytics return codes and numbers; sentences are built here, one call per language:
`say(lang, "key", **values)` and, for counts, `say_n(lang, "key", n, **values)` (ngettext with
the catalog's plural forms: English "1 place" / "3 places", Vietnamese one form). `N_("key")`
marks a key that code picks at run time (`TIER_KEYS[code]`), so extraction still sees it.
Extraction: `pybabel extract -F babel.cfg -k t -k tn -k translate -k say:2 -k say_n:2 -k N_ -k phrase -k keyed ...`
(see README, "Wording").
"""

from __future__ import annotations

import gettext
import io
import string
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
PLURAL_SUFFIX = "_plural"  # msgid_plural of a counted message: its key + this suffix


def N_(key: str) -> str:
    """Mark a key chosen at run time so `pybabel extract` (keyword N_) lists it; returns it."""
    return key


def language_of(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return Path(locale_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    with open(po_path(lang, locale_dir), "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def message_key(message_id) -> str:
    """A catalog entry's key: the msgid, or the singular msgid of a counted message."""
    return message_id[0] if isinstance(message_id, (tuple, list)) else message_id


@lru_cache(maxsize=4)
def _translations(lang: str) -> tuple[gettext.GNUTranslations, frozenset[str]]:
    catalog = read_catalog(lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    keys = frozenset(message_key(m.id) for m in catalog if m.id)
    return gettext.GNUTranslations(buffer), keys


def _known(lang: str, key: str) -> gettext.GNUTranslations:
    translations, keys = _translations(language_of(lang))
    if key not in keys:
        # A missing key is a bug (tests/test_wording.py catches it); fail loudly, never show "key".
        raise KeyError(f"no message {key!r} in locale/{language_of(lang)}")
    return translations


def say(lang: str, key: str, **values) -> str:
    """The message `key` in `lang` ("vi"/"en"), with `{placeholders}` filled from `values`."""
    text = _known(lang, key).gettext(key)
    return text.format(**values) if values else text


def say_n(lang: str, key: str, n: int, **values) -> str:
    """A counted message: the plural form for `n` in `lang`; `{n}` is filled with n."""
    text = _known(lang, key).ngettext(key, key + PLURAL_SUFFIX, int(n))
    return text.format(n=n, **values)


def placeholders(text: str) -> set[str]:
    """The `{names}` a message fills (format-spec and conversion ignored)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
