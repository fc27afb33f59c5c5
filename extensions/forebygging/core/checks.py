"""Checks of the read data: pydantic's errors mapped to file, line and field with a hint, and the
rules that span files (references resolve, ids are unique, the factor layout, local parts)."""

from __future__ import annotations

import types
import typing
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import DataError, closest, did_you_mean
from .models import (
    NAME_PATTERN,
    FactorKind,
    Law,
    MeasureLayout,
    MunicipalityData,
    NationalData,
    Ref,
    SourceKind,
)
from .reading import Loc, SourceFile, format_loc
from .safe_yaml import YamlRefused, to_plain


def validate_part(source: SourceFile, attr: str, model: Any, errors: list[DataError]) -> Any:
    try:  # no endless or exploding structures from YAML aliases
        data = to_plain(source.document, source.path.stat().st_size)
    except YamlRefused as exc:
        line = exc.line if exc.line is not None else source.line_of(exc.loc)
        errors.append(DataError(source.path, line, format_loc(attr, exc.loc), exc.message, hint=exc.hint))
        return None
    try:
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        for err in exc.errors():
            errors.append(_from_pydantic(source, attr, model, err))
        return None


def _from_pydantic(source: SourceFile, attr: str, model: Any, err: dict[str, Any]) -> DataError:
    loc: Loc = tuple(err["loc"])
    # pydantic puts union branch names and validator tags into loc; drop what is not in the document.
    loc = tuple(part for part in loc if not (isinstance(part, str) and part.startswith(("function-", "tagged-"))))
    kind = err["type"]
    message = err["msg"]
    value = err.get("input")
    hint = None
    field_path = format_loc(attr, loc)
    if kind == "missing":
        hint = f"add the field '{loc[-1]}'"
        value = None
    elif kind == "extra_forbidden":
        parent = _fields_at(model, loc[:-1])
        hint = did_you_mean(loc[-1], parent) if parent else None
        message = f"unknown field '{loc[-1]}'"
        value = None
    elif kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        hint = did_you_mean(value, options) or f"allowed values: {expected}"
    elif kind == "string_type" and hasattr(value, "isoformat"):
        hint = "YAML read this as a date; put the value in quotes"
    elif kind in {"url_parsing", "url_scheme", "url_syntax_violation"}:
        hint = "write the full address, starting with https://"
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == NAME_PATTERN:
        message = "blank: a name, title, heading or label needs visible text"
        hint = "write the text (spaces alone are removed, leaving nothing); leave an optional field out instead"
    elif kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if "\\d{4}-\\d{2}-\\d{2}" in pattern:
            hint = "a lovdata id looks like 2021-06-18-97 (date of the act, then its number)"
        elif pattern.startswith("^[a-z0-9]"):
            hint = "ids are lower-case letters and digits joined by '-', e.g. 'helsestasjon-skolehelsetjeneste'"
    line = source.line_of(loc)
    return DataError(source.path, line, field_path, message, value, hint)


def _fields_at(model: Any, loc: Loc) -> list[str] | None:
    """Field names allowed at ``loc`` inside ``model``, for 'did you mean' on an unknown field."""
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info else None
        else:
            return None
    current = unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated, leaving list[...] or a model."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _refs_of(annotation: Any, metadata: list[Any]) -> Ref | None:
    for meta in metadata:
        if isinstance(meta, Ref):
            return meta
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return _refs_of(args[0], list(args[1:]))
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            ref = _refs_of(arg, [])
            if ref is not None:
                return ref
    return None


def walk(obj: Any, loc: Loc) -> Iterator[tuple[Loc, BaseModel]]:
    """Every model inside ``obj`` with its location."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name in type(obj).model_fields:
            yield from walk(getattr(obj, name), (*loc, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from walk(item, (*loc, i))


def check_consistency(
    national: NationalData,
    municipality: MunicipalityData,
    sources: dict[str, SourceFile],
    errors: list[DataError],
) -> None:
    """References resolve, ids are unique, and the few rules that span files hold."""
    collections: dict[str, dict[str, Loc]] = {
        "laws": {},
        "duties": {},
        "factors": {},
        "requirements": {},
        "services": {},
        "measures": {},
        "steps": {},
        "implementations": {},
        "local-sections": {},
    }
    parts: list[tuple[str, Any]] = [(a, getattr(national, a)) for a in NationalData.model_fields]
    parts += [(a, getattr(municipality, a)) for a in MunicipalityData.model_fields if a != "slug"]

    def where(attr: str, loc: Loc) -> tuple[Path, int | None]:
        source = sources.get(attr)
        if source is None:
            return Path(attr), None
        return source.path, source.line_of(loc)

    # 1. Unique ids within every list of items that carry an id.
    for attr, value in parts:
        for loc, model in walk(value, ()):
            for name in type(model).model_fields:
                items = getattr(model, name)
                if (
                    isinstance(items, list)
                    and items
                    and all(isinstance(i, BaseModel) and hasattr(i, "id") for i in items)
                ):
                    _check_unique(attr, (*loc, name), items, where, errors)
        if isinstance(value, list) and value and all(hasattr(i, "id") for i in value):
            _check_unique(attr, (), value, where, errors)

    # 2. Register collections.
    for attr, value in parts:
        for loc, model in walk(value, ()):
            ident = getattr(model, "id", None)
            if not isinstance(ident, str):
                continue
            kind = {
                "Law": "laws",
                "Duty": "duties",
                "Factor": "factors",
                "Requirement": "requirements",
                "Service": "services",
                "Measure": "measures",
                "Step": "steps",
                "ImplementationDuty": "implementations",
                "LocalSection": "local-sections",
            }.get(type(model).__name__)
            if kind:
                collections[kind].setdefault(ident, (attr, *loc))

    # 3. Every reference resolves.
    for attr, value in parts:
        for loc, model in walk(value, ()):
            for name, info in type(model).model_fields.items():
                ref = _refs_of(info.annotation, info.metadata)
                if ref is None:
                    continue
                raw = getattr(model, name)
                values = raw if isinstance(raw, list) else [raw]
                for i, target in enumerate(values):
                    if target is None or target in collections[ref.collection]:
                        continue
                    item_loc = (*loc, name, i) if isinstance(raw, list) else (*loc, name)
                    path, line = where(attr, item_loc)
                    guess = closest(target, collections[ref.collection])
                    noun = ref.collection[:-1] if ref.collection != "duties" else "duty"
                    errors.append(
                        DataError(
                            path,
                            line,
                            format_loc(attr, item_loc),
                            f"unknown {noun} id",
                            target,
                            f"did you mean {guess!r}?"
                            if guess
                            else f"no {noun} has this id; check the ids in {_collection_file(ref.collection)}",
                        )
                    )

    # 4. Rules that span files.
    laws: dict[str, Law] = {law.id: law for law in national.laws}
    for i, duty in enumerate(national.duties):
        law = laws.get(duty.law)
        if law is None:
            continue
        path, line = where("duties", (i,))
        if law.kind is SourceKind.KONVENSJON and duty.article is None:
            errors.append(DataError(path, line, f"duties[{i}].article", "a convention's duty needs an 'article'"))
        if law.kind in (SourceKind.LOV, SourceKind.GRUNNLOV) and duty.section is None:
            errors.append(DataError(path, line, f"duties[{i}].section", "a duty from an act needs a 'section'"))
    numbers = Counter((f.kind, f.number) for f in national.factors)
    for i, factor in enumerate(national.factors):
        if numbers[(factor.kind, factor.number)] > 1:
            path, line = where("factors", (i, "number"))
            errors.append(
                DataError(
                    path, line, f"factors[{i}].number", f"two {factor.kind} factors share a number", factor.number
                )
            )
    if {lv.id for lv in national.levels} != {"universell", "selektiv", "indikert"}:
        path, _ = where("levels", ())
        errors.append(DataError(path, None, "levels", "the pyramid needs exactly universell, selektiv and indikert"))
    _check_factor_layout(national, municipality, where, errors)
    _check_local_part(municipality, where, errors)


def _check_factor_layout(national: NationalData, municipality: MunicipalityData, where, errors) -> None:
    """A plan organised by protective factor shows each measure under its factors: each needs one."""
    if municipality.plan.measures_by is not MeasureLayout.BESKYTTELSESFAKTOR:
        return
    protective = {f.id for f in national.factors if f.kind is FactorKind.BESKYTTELSE}
    for i, measure in enumerate(municipality.measures):
        if not protective & set(measure.strengthens):
            path, line = where("measures", (i, "strengthens"))
            errors.append(
                DataError(
                    path,
                    line,
                    f"measures[{i}].strengthens",
                    "plan.yaml says the measures are organised by protective factor (measures_by: "
                    "beskyttelsesfaktor), but this measure strengthens no protective factor",
                    measure.id,
                    "list the protective factor(s) whose table the measure stands in, e.g. strengthens: [en-venn]",
                )
            )


def _check_local_part(municipality: MunicipalityData, where, errors) -> None:
    """Filled-in local parts belong to the plan's member municipalities, one entry each."""
    local = municipality.local_part
    if local is None:
        return
    members = municipality.plan.municipalities
    seen: set[str] = set()
    for i, part in enumerate(local.municipalities):
        path, line = where("local_part", ("municipalities", i, "municipality"))
        field_path = f"local_part.municipalities[{i}].municipality"
        if part.municipality not in members:
            hint = did_you_mean(part.municipality, members) or f"the plan's municipalities: {', '.join(members)}"
            errors.append(DataError(path, line, field_path, "not a municipality of plan.yaml", part.municipality, hint))
        elif part.municipality in seen:
            errors.append(
                DataError(path, line, field_path, "municipality listed twice", part.municipality, "merge the entries")
            )
        seen.add(part.municipality)
        sections = [c.section for c in part.sections]
        for j, section in enumerate(sections):
            if section in sections[:j]:
                path, line = where("local_part", ("municipalities", i, "sections", j, "section"))
                errors.append(
                    DataError(
                        path,
                        line,
                        f"local_part.municipalities[{i}].sections[{j}].section",
                        "section filled in twice",
                        section,
                        "merge the entries",
                    )
                )


def _check_unique(attr, loc, items, where, errors) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            path, line = where(attr, (*loc, i, "id"))
            _, first_line = where(attr, (*loc, seen[item.id], "id"))
            errors.append(
                DataError(
                    path,
                    line,
                    format_loc(attr, (*loc, i, "id")),
                    f"duplicate id (first used on line {first_line})",
                    item.id,
                    "ids must be unique; give this item its own id",
                )
            )
        else:
            seen[item.id] = i


def _collection_file(collection: str) -> str:
    return {
        "laws": "_data/national/laws.yaml",
        "duties": "_data/national/duties.yaml",
        "factors": "_data/national/factors.yaml",
        "requirements": "_data/national/duties.yaml (requirements)",
        "services": "services.yaml",
        "measures": "measures.yaml",
        "steps": "collaboration_model.yaml (steps)",
        "implementations": "development.yaml (implementation)",
        "local-sections": "local_part.yaml (sections)",
    }[collection]
