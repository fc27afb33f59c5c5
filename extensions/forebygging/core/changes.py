"""What changed between two plan versions, computed from their data (never written by hand).

The council reviews the plan yearly and each service evaluates its measures. The report
lists measures added, removed and changed field by field, services added, removed and
changed, duty coverage before and after, gaps opened and closed, and flags the items that
depend on a change as "til vurdering" – like suspect links in requirements tools.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data import HandbookData
from .loader import load
from .models import Measure, Service
from .trace import Gap, Trace, compute
from .versions import TAG_PREFIX, Version, export_data, repository_root, tagged_versions

MEASURE_FIELDS: tuple[str, ...] = (
    "name",
    "level",
    "responsible",
    "status",
    "status_note",
    "target_group",
    "ages",
    "description",
)
SERVICE_FIELDS: tuple[str, ...] = ("name", "kind", "description", "contact_url", "part_of", "bound_by")
DUTY_FIELDS: tuple[str, ...] = ("title", "summary", "section", "law", "samordningsplikt", "statute_text")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    id: str
    name: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Added:
    id: str
    name: str


@dataclass(frozen=True)
class ReviewFlag:
    """An item that depends on something that changed: to be looked at in the yearly review."""

    kind: str  # "measure" | "service"
    id: str
    name: str
    because: str  # the cause: its text is changes.because.<because> in wording/texts.yaml (nb and nn)
    subject: str = ""  # the name of what changed, filled into that text
    fields: tuple[str, ...] = ()  # for a moved measure: the changed fields (changes.field.<name>)


@dataclass(frozen=True)
class Coverage:
    duty: str
    before: int
    after: int


@dataclass
class ChangeReport:
    before: str
    after: str
    measures_added: list[Added] = field(default_factory=list)
    measures_removed: list[Added] = field(default_factory=list)
    measures_changed: list[ItemChange] = field(default_factory=list)
    services_added: list[Added] = field(default_factory=list)
    services_removed: list[Added] = field(default_factory=list)
    services_changed: list[ItemChange] = field(default_factory=list)
    duties_changed: list[ItemChange] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    gaps_opened: list[Gap] = field(default_factory=list)
    gaps_closed: list[Gap] = field(default_factory=list)
    review: list[ReviewFlag] = field(default_factory=list)
    # The two versions as compared: a closed gap is told in the words of the version that had it.
    sides: tuple[tuple[HandbookData, Trace], tuple[HandbookData, Trace]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.measures_added,
                self.measures_removed,
                self.measures_changed,
                self.services_added,
                self.services_removed,
                self.services_changed,
                self.duties_changed,
                self.gaps_opened,
                self.gaps_closed,
            )
        )


def _value(item: Any, name: str) -> Any:
    value = getattr(item, name)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _diff_items(
    before: Sequence[Any], after: Sequence[Any], fields: Sequence[str], name: Callable[[Any], str]
) -> tuple[list[Added], list[Added], list[ItemChange]]:
    old = {i.id: i for i in before}
    new = {i.id: i for i in after}
    added = [Added(i.id, name(i)) for i in after if i.id not in old]
    removed = [Added(i.id, name(i)) for i in before if i.id not in new]
    changed = []
    for item in after:
        if item.id not in old:
            continue
        diffs = tuple(
            FieldChange(f, _value(old[item.id], f), _value(item, f))
            for f in fields
            if _value(old[item.id], f) != _value(item, f)
        )
        if diffs:
            changed.append(ItemChange(item.id, name(item), diffs))
    return added, removed, changed


def compare(before: HandbookData, after: HandbookData, trace_before: Trace, trace_after: Trace) -> ChangeReport:
    """The change report from ``before`` to ``after`` (each with its own trace)."""
    report = ChangeReport(before.plan.version, after.plan.version)
    report.sides = ((before, trace_before), (after, trace_after))
    bm, am = before.municipality, after.municipality
    report.measures_added, report.measures_removed, report.measures_changed = _diff_items(
        bm.measures, am.measures, MEASURE_FIELDS, lambda m: m.name
    )
    report.services_added, report.services_removed, report.services_changed = _diff_items(
        bm.services, am.services, SERVICE_FIELDS, lambda s: s.name
    )
    _, _, report.duties_changed = _diff_items(
        before.national.duties, after.national.duties, DUTY_FIELDS, lambda d: after.duty_citation(d)
    )
    duties = dict.fromkeys([*trace_before.traced_duties, *trace_after.traced_duties])
    report.coverage = [
        Coverage(d, len(trace_before.measures_of(d)), len(trace_after.measures_of(d)))
        for d in duties
        if d in after.duties
    ]
    old_gaps, new_gaps = set(trace_before.gaps), set(trace_after.gaps)
    report.gaps_opened = [g for g in trace_after.gaps if g not in old_gaps]
    report.gaps_closed = [g for g in trace_before.gaps if g not in new_gaps]
    report.review = _review_flags(report, before, after, trace_after)
    return report


def _review_flags(report: ChangeReport, before: HandbookData, after: HandbookData, trace: Trace) -> list[ReviewFlag]:
    """Items that depend on a changed or removed duty, service or measure."""
    flags: dict[tuple[str, str], ReviewFlag] = {}

    def flag(kind: str, item: Measure | Service, because: str, subject: str, fields: tuple[str, ...] = ()) -> None:
        flags.setdefault((kind, item.id), ReviewFlag(kind, item.id, item.name, because, subject, fields))

    changed_services = {c.id: c.name for c in report.services_changed}
    removed_services = {r.id: r.name for r in report.services_removed}
    for measure in after.municipality.measures:
        for sid in measure.responsible:
            if sid in changed_services:
                flag("measure", measure, "service_changed", changed_services[sid])
    # A removed measure leaves its services with a gap to consider.
    for removed in report.measures_removed:
        for sid in before.measures[removed.id].responsible:
            if sid in after.services:
                flag("service", after.services[sid], "measure_removed", removed.name)
    for sid, name in removed_services.items():
        for service in after.municipality.services:
            if service.part_of == sid:
                flag("service", service, "parent_removed", name)
    for change in report.duties_changed:
        for service in after.municipality.services:
            if change.id in service.bound_by:
                flag("service", service, "duty_changed", change.name)
        for mid in trace.measures_of(change.id):
            flag("measure", after.measures[mid], "duty_changed", change.name)
    for change in report.measures_changed:
        moved = {f.field for f in change.fields} & {"level", "responsible"}
        if moved:
            for sid in after.measures[change.id].responsible:
                flag("service", after.services[sid], "measure_moved", change.name, tuple(sorted(moved)))
    return sorted(flags.values(), key=lambda f: (f.kind, f.name))


# --------------------------------------------------------------------------- versions from git


def load_version(data: HandbookData, version: str | None, workdir: Path) -> HandbookData:
    """The data of a tagged ``version`` of this municipality, or ``data`` itself for None."""
    if version is None or (version == data.plan.version and not _tag(data, version)):
        return data
    tag = _tag(data, version)
    if tag is None:
        known = ", ".join(v.name for v in tagged_versions(data.root, data.slug)) or "none"
        raise ValueError(f"no tag {TAG_PREFIX}/{data.slug}/{version}; tagged versions: {known}")
    repo = repository_root(data.root)
    assert repo is not None  # _tag found a tag, so this is a repository
    old_root = export_data(repo, tag, data.root.relative_to(repo).as_posix(), workdir)
    return load(old_root, data.slug)


def _tag(data: HandbookData, version: str) -> Version | None:
    return next((v for v in tagged_versions(data.root, data.slug) if v.name == version), None)


def previous_version(data: HandbookData) -> str | None:
    """The newest tagged version older than the working tree's, if any."""
    current = Version.from_tag(data.plan.version)
    older = [v for v in tagged_versions(data.root, data.slug) if current is None or v.key < current.key]
    return older[-1].name if older else None


def report_between(data: HandbookData, before: str | None, after: str | None, docs: set[str]) -> ChangeReport:
    """Change report between two versions (None = the working tree) of ``data``'s municipality."""
    with tempfile.TemporaryDirectory(prefix="plan-changes-") as tmp:
        old = load_version(data, before, Path(tmp) / "before")
        new = load_version(data, after, Path(tmp) / "after")
        return compare(old, new, compute(old, docs), compute(new, docs))
