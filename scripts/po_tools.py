"""Add or change messages in both catalogs at once (locale/vi and locale/en).

    .venv/bin/python scripts/po_tools.py add KEY "câu tiếng Việt" "English sentence"
    .venv/bin/python scripts/po_tools.py add KEY "{n} bậc" "{n} place" --plural "{n} places"
    .venv/bin/python scripts/po_tools.py remove KEY [KEY…]

The usual gettext route works too (README, "Wording"): `pybabel extract` then `pybabel update`
adds the new keys with empty translations, which tests/test_wording.py refuses until both are
filled. This helper exists because keys are msgids, so a developer writes both languages at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from analytics.wording import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    PLURAL_SUFFIX,
    po_path,
    read_catalog,
)

PROJECT = "govindex"


def new_catalog(lang: str) -> Catalog:
    return Catalog(locale=lang, domain=DOMAIN, project=PROJECT, version="1", charset="utf-8",
                   fuzzy=False, copyright_holder=PROJECT)


def save(catalog: Catalog, lang: str, locale_dir: Path = LOCALE_DIR) -> None:
    path = po_path(lang, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


def load(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    return read_catalog(lang, locale_dir) if po_path(lang, locale_dir).exists() else new_catalog(lang)


def put(catalog: Catalog, key: str, text: str, plural: str | None = None) -> None:
    """Set one message; a counted one gets msgid_plural KEY_plural and one form per plural."""
    if key in catalog:
        del catalog[key]
    if plural is None:
        catalog.add(key, text)
        return
    forms = [text] if catalog.num_plurals == 1 else [text, plural]
    catalog.add((key, key + PLURAL_SUFFIX), tuple(forms))


def add_messages(entries: list[tuple], locale_dir: Path = LOCALE_DIR) -> None:
    """entries: (key, vi, en) or (key, vi, en_one, en_other) for a counted message."""
    catalogs = {lang: load(lang, locale_dir) for lang in LANGUAGES}
    for key, vi, en, *rest in entries:
        plural = rest[0] if rest else None
        put(catalogs["vi"], key, vi, vi if plural is not None else None)
        put(catalogs["en"], key, en, plural)
    for lang, catalog in catalogs.items():
        save(catalog, lang, locale_dir)


def remove_messages(keys: list[str], locale_dir: Path = LOCALE_DIR) -> None:
    for lang in LANGUAGES:
        catalog = load(lang, locale_dir)
        for key in keys:
            if key in catalog:
                del catalog[key]
        save(catalog, lang, locale_dir)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace one message in both languages")
    add.add_argument("key")
    add.add_argument("vi")
    add.add_argument("en")
    add.add_argument("--plural", help="English plural form (the message is then counted: {n})")
    remove = sub.add_parser("remove", help="remove messages from both languages")
    remove.add_argument("keys", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "remove":
        remove_messages(args.keys)
        return
    entries = [(args.key, args.vi, args.en) + ((args.plural,) if args.plural else ())]
    add_messages(entries)


if __name__ == "__main__":
    main()
