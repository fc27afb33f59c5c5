"""The JSON Schemas that editors use are current, referenced by every data file, and accept the data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from forebygging.core.models import file_models
from forebygging.core.schema import generate, schema_name

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
DATA_FILES = sorted(p for p in (ROOT / "_data").rglob("*.yaml"))
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_committed_schemas_are_current() -> None:
    generated = generate()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert committed == generated, "schemas/ is stale: run `make schemas`"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT / "_data")))
def test_data_file_points_at_its_schema_and_passes_it(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path} must start with '# yaml-language-server: $schema=...'"
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path.name == schema_name(path.name)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    # YAML dates (adoption.date) are strings in JSON.
    document = json.loads(json.dumps(document, default=str))
    jsonschema.validate(document, schema)


def test_every_model_file_has_a_schema() -> None:
    assert {schema_name(name) for name in file_models()} == {p.name for p in SCHEMAS.glob("*.schema.json")}
