"""Nynorsk: our own texts in the national data carry their nynorsk under ``nn:``; for a plan in
nynorsk every such text is swapped in, and a missing one is an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .checks import unwrap, walk
from .models import NationalData, file_models
from .reading import NATIONAL, Loc, format_loc


@dataclass(frozen=True)
class MissingText:
    """A text of ours in the national data that has no translation into a plan's language."""

    attr: str  # NationalData attribute, e.g. "duties"
    loc: Loc  # the item within it, e.g. (0, "requirements", 2)
    item: str  # the item's id (or its location when it has none)
    field: str  # the untranslated field, e.g. "title"

    @property
    def file(self) -> str:
        names = (name for name, (attr, _) in file_models().items() if attr == self.attr)
        return next(name for name in names if name.startswith(f"{NATIONAL}/"))


def _translation_fields(model: BaseModel, language: str) -> list[str]:
    """Fields ``model`` can carry in ``language`` (those of its translation mapping; none for bokmål)."""
    info = type(model).model_fields.get(language)
    mapping = unwrap(info.annotation) if info is not None else None
    return list(mapping.model_fields) if isinstance(mapping, type) and issubclass(mapping, BaseModel) else []


def missing_translations(national: NationalData, language: str) -> list[MissingText]:
    """Every text of ours that a plan in ``language`` would show untranslated; empty for bokmål."""
    missing = []
    for attr in NationalData.model_fields:
        for loc, model in walk(getattr(national, attr), ()):
            translation = getattr(model, language, None) if language in type(model).model_fields else None
            for name in _translation_fields(model, language):
                if getattr(model, name) is not None and getattr(translation, name, None) is None:
                    ident = getattr(model, "id", None)
                    missing.append(MissingText(attr, loc, str(ident) if ident else format_loc(attr, loc), name))
    return missing


def localize(obj: Any, language: str) -> Any:
    """``obj`` with every translatable text replaced by its ``language`` version, nested items too.

    The bokmål texts are the source and have no mapping, so a bokmål plan gets ``obj`` back as it is.
    Page generators read the fields as before and never learn that a translation exists.
    """
    if isinstance(obj, list):
        items = [localize(item, language) for item in obj]
        return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
    if not isinstance(obj, BaseModel):
        return obj
    update = {}
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        new = localize(value, language)
        if new is not value:
            update[name] = new
    translation = getattr(obj, language, None) if language in type(obj).model_fields else None
    if translation is not None:
        update |= {k: v for k, v in translation if v is not None}
    return obj.model_copy(update=update) if update else obj
