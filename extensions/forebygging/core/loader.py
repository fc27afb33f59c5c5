"""Load ``_data/`` into validated models, or fail with every problem at once.

Each file is read with line positions (:mod:`.reading`), validated against its model and
checked across files (:mod:`.checks`); a nynorsk plan gets the national texts in nynorsk
(:mod:`.localize`). The result is a :class:`~.data.HandbookData`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .checks import check_consistency, validate_part
from .data import HandbookData
from .errors import DataError, DataValidationError, did_you_mean
from .localize import localize, missing_translations
from .models import MunicipalityData, NationalData, file_models
from .reading import NATIONAL, SourceFile, format_loc, read_yaml


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
        source = read_yaml(path, errors, required=container.model_fields[attr].is_required(), attr=attr)
        if source is None:
            continue
        sources[attr] = source
        value = validate_part(source, attr, model, errors)
        if value is not None:
            (national_parts if is_national else muni_parts)[attr] = value

    if errors:
        raise DataValidationError(errors, root)

    # The parts are validated models already; this only assembles them (and fills defaults
    # for optional files that are absent).
    national = NationalData.model_validate(national_parts)
    municipality = MunicipalityData.model_validate(muni_parts)
    check_consistency(national, municipality, sources, errors)
    language = municipality.plan.language.value
    for gap in missing_translations(national, language):
        path, line = (sources[gap.attr].path, sources[gap.attr].line_of((*gap.loc, gap.field)))
        errors.append(
            DataError(
                path,
                line,
                format_loc(gap.attr, (*gap.loc, language, gap.field)),
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
