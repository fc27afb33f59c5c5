"""Make generated files depend only on their input, so two builds of one commit are byte-identical.

Sphinx-free helpers, used by the exports and by :mod:`forebygging.ext.invalidation`:

- XLSX: openpyxl writes every zip member with the current time (``ZipFile.writestr``), so
  two exports of the same data differ. :func:`normalize_zip` rewrites the members with
  a fixed time, keeping their order, names, content and compression.
- ``schema_violations.json`` (sphinx-needs' schema report) states how long the validation
  took and how many needs per second it validated. :func:`normalize_schema_report` drops
  those two timings and keeps everything else (the count and every warning).
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
"""The time of every member of a generated zip (XLSX): the date openpyxl's properties get too."""

TIMING_KEYS = ("validated_needs_per_second",)


def zip_time() -> tuple[int, int, int, int, int, int]:
    """``$SOURCE_DATE_EPOCH`` (reproducible-builds.org) when set, else :data:`FIXED_ZIP_TIME`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        import datetime as dt

        when = dt.datetime.fromtimestamp(max(int(epoch), 315532800), tz=dt.UTC)  # zip cannot go before 1980
        return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    return FIXED_ZIP_TIME


def normalize_zip(path: Path, replace: dict[str, bytes] | None = None) -> Path:
    """Rewrite the zip at ``path`` with a fixed time on every member (same order, names and bytes).

    ``replace`` gives new bytes for some members.
    """
    when = zip_time()
    replace = replace or {}
    with zipfile.ZipFile(path) as src:
        members = [(info, replace.get(info.filename) or src.read(info)) for info in src.infolist()]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as dst:
        for info, payload in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            fixed.create_system = 3  # the same on every platform
            dst.writestr(fixed, payload)
    tmp.replace(path)
    return path


CORE_PROPERTIES = "docProps/core.xml"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def normalize_xlsx(path: Path) -> Path:
    """An XLSX whose 'modified' property equals its 'created' one, with fixed zip times.

    openpyxl sets ``modified`` to the time of saving whatever the workbook says.
    """
    with zipfile.ZipFile(path) as src:
        core = src.read(CORE_PROPERTIES) if CORE_PROPERTIES in src.namelist() else None
    if core is not None:
        created = CREATED.search(core)
        stamp = created.group(1) if created else b"2000-01-01T00:00:00Z"
        fixed = MODIFIED.sub(lambda m: m.group(1) + stamp + m.group(2), core)
        if fixed != core:
            return normalize_zip(path, {CORE_PROPERTIES: fixed})
    return normalize_zip(path)


def normalize_schema_report(path: Path) -> Path | None:
    """Drop the timings from sphinx-needs' ``schema_violations.json``; None if there is no report."""
    if not path.exists():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    for key in TIMING_KEYS:
        report.pop(key, None)
    warnings = report.get("validation_warnings") or {}
    count = report.get("validated_needs_count")
    report["validation_summary"] = (
        f"Schema validation completed with {len(warnings)} warning(s). Validated {count} needs."
    )
    text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
