"""One-off (kept as documentation): how the old `ui.i18n.STRINGS` dict of (vi, en) tuples became
locale/vi and locale/en messages.po. Run at commit "i18n: gettext catalogs" while STRINGS existed:

    .venv/bin/python scripts/strings_to_po.py

Since then the .po files are the source; add messages with scripts/po_tools.py or pybabel.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.po_tools import add_messages


def main() -> None:
    from ui.i18n import STRINGS  # only exists before the conversion

    add_messages([(key, vi, en) for key, (vi, en) in STRINGS.items()])


if __name__ == "__main__":
    main()
