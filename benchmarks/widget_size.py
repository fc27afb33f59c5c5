"""Size budget of the interactive checks: the JavaScript and CSS they add, gzipped.

Run from the repository root: ``.venv/bin/python benchmarks/widget_size.py``. Prints the
gzipped size of each file the widget pages add (``widgets/static/``) plus the inline storage
guard, and the total against the 50 KB budget; exits 1 when the budget is exceeded. The rule
data embedded in the reflection page is printed too, for information: it is data, not code.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "widgets" / "static"
BUDGET = 50 * 1024


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def sizes() -> dict[str, tuple[int, int]]:
    """name -> (raw bytes, gzipped bytes) of everything the widget pages add."""
    sys.path[:0] = [str(ROOT), str(ROOT / "extensions")]
    from widgets.templating import STATIC_FILES

    out = {}
    for name in STATIC_FILES:
        raw = (STATIC / name).read_bytes()
        out[name] = (len(raw), gzipped(raw))
    return out


def rules_blob() -> tuple[int, int]:
    """Raw and gzipped size of the rule inputs embedded in the default handbook's reflection page."""
    import json

    from forebygging.core import load
    from widgets.rules import ruleset

    blob = json.dumps(ruleset(load(ROOT / "_data", "sor-aurdal")), ensure_ascii=False, separators=(",", ":")).encode()
    return len(blob), gzipped(blob)


def main() -> int:
    table = sizes()
    for name, (raw, gz) in table.items():
        print(f"{name:28} {raw:7d} B raw {gz:7d} B gzipped")
    total = sum(gz for _, gz in table.values())
    print(f"{'total JS + CSS':28} {'':15} {total:7d} B gzipped ({total / 1024:.1f} KB of {BUDGET // 1024} KB budget)")
    raw, gz = rules_blob()
    print(f"{'(rule data in the page)':28} {raw:7d} B raw {gz:7d} B gzipped")
    return 0 if total < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
