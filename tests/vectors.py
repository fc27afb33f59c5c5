"""The shared vectors of the interactive checks (``widgets/vectors/*.yaml``), read once for every test
that runs them: against the Python rules, the notebook widgets and the page."""

from __future__ import annotations

from ruamel.yaml import YAML

from .conftest import ROOT

VECTOR_FILES = sorted((ROOT / "widgets" / "vectors").glob("*.yaml"))
ALL_VECTORS = [
    (v["kommune"], case)
    for v in (YAML(typ="safe").load(p.read_text(encoding="utf-8")) for p in VECTOR_FILES)
    for case in v["cases"]
]
"""(municipality slug, case) for every case of every vector file."""
EXPECTED = ("step", "acute", "basis", "age_unknown", "measures", "duties")
"""The result fields every implementation must agree on."""
