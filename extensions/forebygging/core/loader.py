"""Load ``_data/`` into validated models, or fail with every problem at once.

YAML is read by :mod:`.safe_yaml`, which keeps the line of every key and item, so a
validation error can point at the line an editor must change. It is safe by construction:
it composes nodes and builds only plain mappings, sequences and scalars, never Python
objects named by a tag.
"""

from __future__ import annotations

import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from yaml import MarkedYAMLError, YAMLError

from .errors import DataError, DataValidationError, closest, did_you_mean
from .models import (
    Duty,
    FactorKind,
    Law,
    MeasureLayout,
    MunicipalityData,
    NationalData,
    Ref,
    SourceKind,
    file_models,
)
from .safe_yaml import YamlRefused, compose, line_of, to_plain

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A plan's data is a few hundred kilobytes; a larger file is a mistake, not a plan."""

NATIONAL = "national"

Loc = tuple[str | int, ...]


@dataclass
class SourceFile:
    """A parsed YAML file with its line information."""

    path: Path
    document: Any

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the deepest node of ``loc`` that exists in the document."""
        return line_of(self.document, loc)


@dataclass
class HandbookData:
    """Everything one handbook is built from: national data plus one municipality."""

    root: Path
    slug: str
    national: NationalData
    municipality: MunicipalityData
    files: list[Path] = field(default_factory=list)

    # Lookups by id, derived once.
    def __post_init__(self) -> None:
        self.laws = {law.id: law for law in self.national.laws}
        self.duties = {d.id: d for d in self.national.duties}
        self.factors = {f.id: f for f in self.national.factors}
        self.levels = {lv.id: lv for lv in self.national.levels}
        self.services = {s.id: s for s in self.municipality.services}
        self.measures = {m.id: m for m in self.municipality.measures}
        self.steps = {s.id: s for s in self.municipality.collaboration.steps}

    @property
    def plan(self):
        return self.municipality.plan

    def duty_url(self, duty: Duty) -> str | None:
        return duty.url(self.laws[duty.law])

    def duty_citation(self, duty: Duty) -> str:
        return duty.citation(self.laws[duty.law])

    def measures_by_service(self, service_id: str) -> list:
        return [m for m in self.municipality.measures if service_id in m.responsible]


def available_municipalities(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != NATIONAL and (p / "plan.yaml").exists())


def load(root: Path, slug: str) -> HandbookData:
    """Load and validate national data and one municipality; raise DataValidationError on any problem."""
    root = Path(root).resolve()
    errors: list[DataError] = []
    muni_dir = root / slug
    if not (muni_dir / "plan.yaml").exists():
        known = available_municipalities(root) if root.is_dir() else []
        raise DataValidationError(
            [
                DataError(
                    file=muni_dir,
                    line=None,
                    field="KOMMUNE",
                    message=f"no municipality {slug!r} in {root} (expected {muni_dir / 'plan.yaml'})",
                    value=slug,
                    hint=did_you_mean(slug, known) or f"known municipalities: {', '.join(known) or 'none'}",
                )
            ],
            root,
        )

    national_parts: dict[str, Any] = {}
    muni_parts: dict[str, Any] = {"slug": slug}
    sources: dict[str, SourceFile] = {}
    for name, (attr, model) in file_models().items():
        is_national = name.startswith(f"{NATIONAL}/")
        path = root / name if is_national else muni_dir / name
        container = NationalData if is_national else MunicipalityData
        source = _read_yaml(path, errors, required=container.model_fields[attr].is_required())
        if source is None:
            continue
        sources[attr] = source
        value = _validate_part(source, attr, model, errors)
        if value is not None:
            (national_parts if is_national else muni_parts)[attr] = value

    if errors:
        raise DataValidationError(errors, root)

    # The parts are validated models already; this only assembles them (and fills defaults
    # for optional files that are absent).
    national = NationalData.model_validate(national_parts)
    municipality = MunicipalityData.model_validate(muni_parts)
    _check_consistency(national, municipality, sources, errors)
    language = municipality.plan.language.value
    for gap in missing_translations(national, language):
        path, line = (sources[gap.attr].path, sources[gap.attr].line_of((*gap.loc, gap.field)))
        errors.append(
            DataError(
                path,
                line,
                _format_loc(gap.attr, (*gap.loc, language, gap.field)),
                f"{gap.item!r} has no {language} text for '{gap.field}', and the plan is in {language}",
                hint=f"add '{gap.field}' under '{language}:' of this item (in {language}; a page never falls back)",
            )
        )
    if errors:
        raise DataValidationError(errors, root)
    national = localize(national, language)
    return HandbookData(
        root=root,
        slug=slug,
        national=national,
        municipality=municipality,
        files=sorted(s.path for s in sources.values()),
    )


# --------------------------------------------------------------------------- reading


def _read_yaml(path: Path, errors: list[DataError], *, required: bool) -> SourceFile | None:
    if not path.exists():
        if required:
            errors.append(DataError(path, None, "", "required file is missing", hint="create it; see README.md"))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        errors.append(
            DataError(
                path,
                None,
                "",
                f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                hint="a plan's data is far smaller; check that the right file was saved here",
            )
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(DataError(path, None, "", f"not UTF-8 text ({exc.reason})", hint="save the file as UTF-8"))
        return None
    try:
        document = compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            problem += f" (the construct began on line {started.line + 1})"
        errors.append(
            DataError(
                path,
                line,
                "",
                f"YAML syntax error: {problem}",
                hint="check indentation and quoting; a value containing ': ' or starting with a special "
                "character must be in quotes",
            )
        )
        return None
    except YAMLError as exc:
        errors.append(DataError(path, None, "", f"YAML error: {exc}"))
        return None
    except (RecursionError, ValueError, OverflowError, AttributeError, TypeError) as exc:
        # Hostile input the parser does not report as YAMLError: nesting too deep, an integer
        # too long, a merge key (<<) naming its own mapping, ...
        errors.append(DataError(path, None, "", f"YAML cannot be read ({type(exc).__name__}: {str(exc)[:200]})"))
        return None
    return SourceFile(path, document)


def _validate_part(source: SourceFile, attr: str, model: Any, errors: list[DataError]) -> Any:
    try:  # issue 8: no endless or exploding structures from YAML aliases
        data = to_plain(source.document, source.path.stat().st_size)
    except YamlRefused as exc:
        line = exc.line if exc.line is not None else source.line_of(exc.loc)
        errors.append(DataError(source.path, line, _format_loc(attr, exc.loc), exc.message))
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
    field_path = _format_loc(attr, loc)
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
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info else None
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
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


def _format_loc(attr: str, loc: Loc) -> str:
    text = attr
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


# --------------------------------------------------------------------------- language


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
    mapping = _unwrap(info.annotation) if info is not None else None
    return list(mapping.model_fields) if isinstance(mapping, type) and issubclass(mapping, BaseModel) else []


def missing_translations(national: NationalData, language: str) -> list[MissingText]:
    """Every text of ours that a plan in ``language`` would show untranslated; empty for bokmål."""
    missing = []
    for attr in NationalData.model_fields:
        for loc, model in _walk(getattr(national, attr), ()):
            translation = getattr(model, language, None) if language in type(model).model_fields else None
            for name in _translation_fields(model, language):
                if getattr(model, name) is not None and getattr(translation, name, None) is None:
                    ident = getattr(model, "id", None)
                    missing.append(MissingText(attr, loc, str(ident) if ident else _format_loc(attr, loc), name))
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


# --------------------------------------------------------------------------- cross-file checks


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


def _walk(obj: Any, loc: Loc) -> Iterator[tuple[Loc, BaseModel]]:
    """Every model inside ``obj`` with its location."""
    if isinstance(obj, BaseModel):
        yield loc, obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), (*loc, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, (*loc, i))


def _check_consistency(
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
        for loc, model in _walk(value, ()):
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
        for loc, model in _walk(value, ()):
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
        for loc, model in _walk(value, ()):
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
                            _format_loc(attr, item_loc),
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
            errors.append(
                DataError(path, line, field_path, "not a municipality of plan.yaml", part.municipality, hint)
            )
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
                    _format_loc(attr, (*loc, i, "id")),
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
