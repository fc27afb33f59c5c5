"""JSON Schemas for the data files, so an editor (VS Code + YAML extension) completes and checks while typing.

Each YAML file starts with ``# yaml-language-server: $schema=../../schemas/<stem>.schema.json``.
The schemas are generated from the pydantic models; ``make schemas`` rewrites them and a
test fails when the committed copies are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .models import file_models


def schema_name(file_name: str) -> str:
    return Path(file_name).stem + ".schema.json"


def generate() -> dict[str, str]:
    """File name of each schema -> its JSON text."""
    out: dict[str, str] = {}
    for name, (attr, model) in file_models().items():
        schema = TypeAdapter(model).json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", attr)
        out[schema_name(name)] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
