"""Check the wording catalogs against the code (run by tests/test_wording.py; also standalone).

    .venv/bin/python scripts/check_wording.py        # prints problems, exit 1 if any

Problems: a key missing or empty in either language; a key in the catalog that no code uses
(extracted with Babel's own extractor over the files babel.cfg names); a key the code uses
that the catalog lacks; different `{placeholders}` in the two languages.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from analytics.wording import (
    LANGUAGES,
    LOCALE_DIR,
    message_key,
    placeholders,
    read_catalog,
)

# The call names that take a key (None: the first argument; (2,): the second).
KEYWORDS = {"t": None, "tn": None, "translate": None, "translate_n": None,
            "say": (2,), "say_n": (2,), "N_": None, "phrase": None, "keyed": None}


def used_keys(root: Path = ROOT) -> dict[str, str]:
    """Every key the code passes as a literal, with one place it is used (file:line)."""
    with open(root / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        found.setdefault(message_key(message), f"{filename}:{line}")
    return found


def catalog_texts(locale_dir: Path = LOCALE_DIR) -> dict[str, dict[str, list[str]]]:
    """{lang: {key: [text, plural forms…]}} from the .po files."""
    out = {}
    for lang in LANGUAGES:
        texts = {}
        for message in read_catalog(lang, locale_dir):
            if not message.id:
                continue  # the header
            strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
            texts[message_key(message.id)] = list(strings)
        out[lang] = texts
    return out


def problems(locale_dir: Path = LOCALE_DIR, used: dict[str, str] | None = None) -> list[str]:
    """Everything wrong with the catalogs in `locale_dir` against the keys `used` by the code."""
    used = used_keys() if used is None else used
    texts = catalog_texts(locale_dir)
    found = []
    every = set().union(*(set(t) for t in texts.values()))
    for key in sorted(every):
        for lang in LANGUAGES:
            forms = texts[lang].get(key)
            if forms is None:
                found.append(f"{key}: missing in {lang}")
            elif not all(form and form.strip() for form in forms):
                found.append(f"{key}: empty in {lang}")
        shapes = {lang: set().union(*(placeholders(f) for f in texts[lang].get(key) or [""])) for lang in LANGUAGES}
        if len({frozenset(s) for s in shapes.values()}) > 1:
            found.append(f"{key}: placeholders differ {shapes}")
        if key not in used:
            found.append(f"{key}: in the catalog but not used in the code")
    for key, where in sorted(used.items()):
        if key not in every:
            found.append(f"{key}: used at {where} but not in the catalog")
    return found


if __name__ == "__main__":
    listed = problems()
    print("\n".join(listed) or "wording: OK")
    sys.exit(1 if listed else 0)
